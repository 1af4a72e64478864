// The environment a node process is started with (by `strata up`, and by the
// systemd unit in examples/). glibc malloc settings, each measured on the
// demo; an operator's own setting wins, variable by variable:
//
// - MALLOC_ARENA_MAX: glibc gives every thread that allocates an arena of
//   its own — a node has ~11 threads (libuv's pool, V8's helpers, the NTP
//   worker) — and each arena keeps its freed memory: two arenas take ~4 MB
//   off (issue 13).
// - MALLOC_TRIM_THRESHOLD_ on a site: glibc gives the free top of its heap
//   back to the system once it exceeds this threshold, but by default raises
//   the threshold (up to 64 MB) whenever a large block is freed — and Node
//   frees large buffers — so a node's heap never shrank. Fixing it at glibc's
//   own starting value (128 KiB) takes ~3 MB off an idle site (81 → 78 MB
//   median, 8 sites, two runs each; issue 13).
// - On the core and regionals, MALLOC_MMAP_THRESHOLD_ and
//   MALLOC_TRIM_THRESHOLD_ at 4 MiB instead (issue 16): every store
//   transaction is an lmdb child transaction, whose begin allocates 2 MiB and
//   1 MiB (its dirty-page list and free-page list). Fixing any threshold
//   turns off glibc's own raising of the mmap threshold, so at 128 KiB each
//   allocation was a fresh mmap, page faults and an munmap — per write and
//   per replicated change. Served from the heap, and the heap's top kept,
//   that cost goes: one process's sequential store writes took 446–489 µs
//   of CPU instead of 643–746 (durable owner writes) and 360–427 instead of
//   574–635 (replica applies), three A/B pairs; at ~3 MB more RSS per idle
//   node (80.6–81.1 → 83.9–84.4 MB median on the demo, 3 min after the
//   start) — worth it where every write lands, not on the many small sites,
//   which keep the smaller heap.

export const NODE_MALLOC_ARENA_MAX = '2';
export const NODE_MALLOC_TRIM_THRESHOLD = '131072';
/** The core's and regionals' mmap and trim thresholds: above an lmdb child transaction's 2 MiB + 1 MiB. */
export const BUSY_NODE_MALLOC_THRESHOLD = '4194304';

/** The malloc settings a node of `tier` starts with (before the operator's own). */
export function nodeMallocEnv(tier: string): Record<string, string> {
  if (tier === 'site') return { MALLOC_ARENA_MAX: NODE_MALLOC_ARENA_MAX, MALLOC_TRIM_THRESHOLD_: NODE_MALLOC_TRIM_THRESHOLD };
  return { MALLOC_ARENA_MAX: NODE_MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD_: BUSY_NODE_MALLOC_THRESHOLD, MALLOC_TRIM_THRESHOLD_: BUSY_NODE_MALLOC_THRESHOLD };
}

export function nodeProcessEnv(tier: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...nodeMallocEnv(tier), ...env };
}
