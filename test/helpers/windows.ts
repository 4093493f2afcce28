/** The most events in any sliding window of `windowMs` (times in ms). */
export function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/**
 * Slots are taken in Redis time; a request reaches the server a few ms later,
 * and under the full suite's load (worker processes, benchmarks-sized tests
 * beside it) sometimes 100 ms later, which bunches arrivals. Windows are
 * checked this much shorter than the limit's.
 */
export const JITTER_MS = 150;
