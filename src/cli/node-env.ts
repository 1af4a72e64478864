// The environment a node process is started with (by `strata up`, and by the
// systemd unit in examples/). glibc's malloc gives every thread that
// allocates an arena of its own — a node has ~11 threads (libuv's pool, V8's
// helpers, the NTP worker) — and each arena keeps its freed memory: two
// arenas take ~4 MB off an idle site's RSS (issue 13). An operator's own
// setting wins.

export const NODE_MALLOC_ARENA_MAX = '2';

export function nodeProcessEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { MALLOC_ARENA_MAX: NODE_MALLOC_ARENA_MAX, ...env };
}
