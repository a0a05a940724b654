/** Bytes per second over a sliding window, and the time left at that rate. */
export interface RateMeter {
  /** Records how many bytes are done at a moment (ms). */
  record(nowMs: number, bytesDone: number): void;
  /** Bytes per second over the window ending now; 0 without two samples or when nothing moved. */
  bytesPerSecond(nowMs: number): number;
  /** Seconds left for `bytesTotal` at the current rate; null when the rate is 0 or the total unknown. */
  secondsLeft(nowMs: number, bytesTotal: number | null): number | null;
  /** Forgets every sample (after a pause, so that the idle time does not count). */
  reset(): void;
}

/** A rate meter over the last `windowMs` (5 s by default: steady enough to read, quick to follow a change). */
export function createRateMeter(windowMs = 5_000): RateMeter {
  let samples: { at: number; bytes: number }[] = [];
  const prune = (nowMs: number) => {
    // Keep one sample older than the window, so the window is always fully covered.
    while (samples.length > 2 && (samples[1]?.at ?? nowMs) <= nowMs - windowMs) samples.shift();
  };
  const rate = (nowMs: number): number => {
    prune(nowMs);
    const first = samples[0];
    const last = samples.at(-1);
    if (!first || !last || last.at <= first.at) return 0;
    // A sample older than the window counts only for the part of its interval inside it.
    const from = Math.max(first.at, nowMs - windowMs);
    const span = Math.max(nowMs, last.at) - from;
    const bytes = last.bytes - first.bytes;
    if (span <= 0 || bytes <= 0) return 0;
    const covered = last.at - first.at;
    return (bytes * Math.min(1, (last.at - from) / covered)) / (span / 1000);
  };
  return {
    record(nowMs, bytesDone) {
      const last = samples.at(-1);
      // Bytes can go back (a part that failed is sent again): start over from there.
      if (last && bytesDone < last.bytes) samples = [];
      samples.push({ at: nowMs, bytes: bytesDone });
      prune(nowMs);
    },
    bytesPerSecond: rate,
    secondsLeft(nowMs, bytesTotal) {
      const perSecond = rate(nowMs);
      const last = samples.at(-1);
      if (bytesTotal === null || perSecond <= 0 || !last) return null;
      return Math.max(0, Math.ceil((bytesTotal - last.bytes) / perSecond));
    },
    reset() {
      samples = [];
    },
  };
}
