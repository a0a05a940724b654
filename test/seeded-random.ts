/** A small seeded random generator for tests that print their seed, so a run can be repeated. */

/** Numbers from a seed (mulberry32): the same seed gives the same sequence. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    /** A number in [0, 1). */
    next,
    /** An integer in [min, max]. */
    int: (min: number, max: number): number => min + Math.floor(next() * (max - min + 1)),
    /** One of the items. */
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    /** `size` bytes. */
    bytes: (size: number): Uint8Array => {
      const out = new Uint8Array(size);
      for (let i = 0; i < size; i += 4) {
        const word = (next() * 4294967296) >>> 0;
        out[i] = word & 0xff;
        out[i + 1] = (word >>> 8) & 0xff;
        out[i + 2] = (word >>> 16) & 0xff;
        out[i + 3] = (word >>> 24) & 0xff;
      }
      return out;
    },
  };
}

/** What seededRandom returns. */
export type SeededRandom = ReturnType<typeof seededRandom>;
