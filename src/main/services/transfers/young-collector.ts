import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Runs V8's young-generation collection (a scavenge) after every so many bytes a download
 * received.
 *
 * Why: each piece a socket reads is a Buffer whose bytes live outside the JavaScript heap. Its
 * small JavaScript object dies young, but the young generation (16 MiB per semi-space in Node 24)
 * fills so slowly with such small objects that hundreds of MiB of dead Buffers wait for a
 * scavenge; their outside bytes then set off full mark-compacts instead. A large download spent
 * a third of its CPU there (see docs/benchmarks.md). Node's `--max-semi-space-size=1` fixes it,
 * but Electron's main process takes V8 flags only from its command line, so the app asks for the
 * cheap collection itself: a scavenge of a nearly empty young generation costs well under a
 * millisecond, and frees the dead Buffers' bytes at once.
 */
export interface YoungCollector {
  /** Counts bytes a download received; collects once their total since the last collection passes the step. */
  received(bytes: number): void;
}

/**
 * Bytes received between two collections. Measured with `npm run bench` (docs/benchmarks.md):
 * every 4 or 16 MiB took a 256 MiB download's CPU down by a third, 4 MiB kept its peak RSS
 * lowest, and every 64 MiB did no better than none.
 */
export const COLLECT_EVERY_BYTES = 4 * 1024 * 1024;

/** The scavenge function of V8's `gc` extension, or null where this runtime does not give it. */
export function youngCollection(): (() => void) | null {
  try {
    // The flag only adds `gc` to contexts made while it is set: one context of our own gets it,
    // then the flag is cleared so that no later context (a worker's, say) has it.
    setFlagsFromString('--expose-gc');
    let gc: unknown;
    try {
      gc = runInNewContext('typeof gc === "function" ? gc : undefined');
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
    if (typeof gc !== 'function') return null;
    const collect = gc as (options: { type: 'minor' }) => void;
    return () => collect({ type: 'minor' });
  } catch {
    return null;
  }
}

/** A collector that runs `collect` after every `everyBytes` received; `collect` null: one that does nothing. */
export function createYoungCollector(
  collect: (() => void) | null,
  everyBytes: number = COLLECT_EVERY_BYTES,
): YoungCollector {
  let since = 0;
  return {
    received(bytes) {
      if (!collect) return;
      since += bytes;
      if (since < everyBytes) return;
      since = 0;
      collect();
    },
  };
}

/** The process's one collector: it counts every download's bytes together. */
let shared: YoungCollector | undefined;

/** The collector transfers share (made on first use, with the scavenge where it is had). */
export function sharedYoungCollector(): YoungCollector {
  shared ??= createYoungCollector(youngCollection());
  return shared;
}
