// "Eventually" assertions (consul's retry.Run): poll until the check passes or
// a deadline passes, then fail with the last error. Never a fixed sleep.

export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const message = lastError instanceof Error ? lastError.message : String(lastError);
      throw new Error(`not true within ${timeoutMs} ms: ${message}`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
