import { describe, expect, it } from 'vitest';
import { countThatFits } from './fitting-count';

describe('countThatFits', () => {
  it('keeps every item when they fit together, with the gaps between them', () => {
    expect(countThatFits([100, 100, 100], 304, 30, 2)).toBe(3);
    expect(countThatFits([], 0, 30, 2)).toBe(0);
  });

  it('keeps room for the overflow button once one item does not fit', () => {
    // 100 + 2 + 100 + 2 + 100 = 304 > 303: the button (30 + 2) and two items (204) fit in 236.
    expect(countThatFits([100, 100, 100], 303, 32, 2)).toBe(2);
    expect(countThatFits([100, 100, 100], 235, 32, 2)).toBe(1);
    expect(countThatFits([100, 100, 100], 60, 32, 2)).toBe(0);
  });
});
