// Blocks the calling thread, as a slow or paused server's threads are blocked (seed 004 section 4.3's
// slow server and GC pause, for real): Atomics.wait on a private word nobody notifies. Only the real
// runtime's threads call it; wall time is read here because this folder is the one allowed to.

const word = new Int32Array(new SharedArrayBuffer(4));

/** Blocks this thread for `ms` milliseconds (none if ms <= 0). */
export function blockFor(ms: number): void {
  if (ms > 0) Atomics.wait(word, 0, 0, ms);
}

/** Wall time in epoch milliseconds, comparable across threads (each thread's performance.now differs). */
export function epochNowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Blocks until the given epoch time. */
export function blockUntil(epochMs: number): void {
  blockFor(epochMs - epochNowMs());
}
