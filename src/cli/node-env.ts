// The environment a node process is started with (by `strata up`, and by the
// systemd unit in examples/). Two glibc malloc settings, each measured on an
// idle site of the demo (issue 13); an operator's own setting wins:
//
// - MALLOC_ARENA_MAX: glibc gives every thread that allocates an arena of
//   its own — a node has ~11 threads (libuv's pool, V8's helpers, the NTP
//   worker) — and each arena keeps its freed memory: two arenas take ~4 MB
//   off.
// - MALLOC_TRIM_THRESHOLD_: glibc gives the free top of its heap back to the
//   system once it exceeds this threshold, but by default raises the
//   threshold (up to 64 MB) whenever a large block is freed — and Node frees
//   large buffers — so a node's heap never shrank. Fixing it at glibc's own
//   starting value (128 KiB) takes ~3 MB off (81 → 78 MB median, 8 sites,
//   two runs each), at no cost the LDAP and DNS benches could see (A/B).

export const NODE_MALLOC_ARENA_MAX = '2';
export const NODE_MALLOC_TRIM_THRESHOLD = '131072';

export function nodeProcessEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { MALLOC_ARENA_MAX: NODE_MALLOC_ARENA_MAX, MALLOC_TRIM_THRESHOLD_: NODE_MALLOC_TRIM_THRESHOLD, ...env };
}
