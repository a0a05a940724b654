import { describe, expect, it } from 'vitest';
import {
  clickItem,
  emptySelection,
  moveFocus,
  retainExisting,
  selectAll,
  selectedInOrder,
  toggleFocused,
  type ListSelection,
} from './selection-model';

const keys = ['a', 'b', 'c', 'd', 'e'];
const plain = { range: false, toggle: false };
const shift = { range: true, toggle: false };
const ctrl = { range: false, toggle: true };
const selected = (state: ListSelection) => selectedInOrder(state, keys);

describe('clicking', () => {
  it('selects one item, and moves the anchor and focus there', () => {
    const state = clickItem(emptySelection, keys, 'c', plain);
    expect(selected(state)).toEqual(['c']);
    expect(state.anchor).toBe('c');
    expect(state.focus).toBe('c');
    expect(selected(clickItem(state, keys, 'a', plain))).toEqual(['a']);
  });

  it('selects a range from the anchor with Shift, in either direction, keeping the anchor', () => {
    const start = clickItem(emptySelection, keys, 'b', plain);
    const down = clickItem(start, keys, 'd', shift);
    expect(selected(down)).toEqual(['b', 'c', 'd']);
    expect(down.anchor).toBe('b');
    // A second Shift+click replaces the range from the same anchor.
    expect(selected(clickItem(down, keys, 'a', shift))).toEqual(['a', 'b']);
  });

  it('selects just the clicked item with Shift when there is no anchor yet', () => {
    expect(selected(clickItem(emptySelection, keys, 'c', shift))).toEqual(['c']);
  });

  it('toggles one item with Ctrl/Cmd, and adds a range with Ctrl+Shift', () => {
    let state = clickItem(emptySelection, keys, 'a', plain);
    state = clickItem(state, keys, 'c', ctrl);
    expect(selected(state)).toEqual(['a', 'c']);
    state = clickItem(state, keys, 'a', ctrl);
    expect(selected(state)).toEqual(['c']);
    expect(state.anchor).toBe('a');
    state = clickItem(state, keys, 'd', ctrl);
    state = clickItem(state, keys, 'e', { range: true, toggle: true });
    expect(selected(state)).toEqual(['c', 'd', 'e']);
  });

  it('selects everything shown with Ctrl/Cmd+A', () => {
    expect(selected(selectAll(emptySelection, keys))).toEqual(keys);
    expect(selectAll(emptySelection, []).focus).toBeNull();
  });
});

describe('the keyboard', () => {
  it('moves focus and selection together with the arrows, stopping at the ends', () => {
    let state = moveFocus(emptySelection, keys, 'next', plain);
    expect(state.focus).toBe('a');
    expect(selected(state)).toEqual(['a']);
    state = moveFocus(state, keys, 'previous', plain);
    expect(state.focus).toBe('a');
    state = moveFocus(state, keys, 'last', plain);
    expect(selected(state)).toEqual(['e']);
    expect(moveFocus(state, keys, 'next', plain).focus).toBe('e');
    expect(moveFocus(state, keys, { page: -3 }, plain).focus).toBe('b');
    expect(moveFocus(state, keys, { page: 10 }, plain).focus).toBe('e');
  });

  it('extends a range with Shift+arrows, and shrinks it back', () => {
    let state = clickItem(emptySelection, keys, 'b', plain);
    state = moveFocus(state, keys, 'next', shift);
    state = moveFocus(state, keys, 'next', shift);
    expect(selected(state)).toEqual(['b', 'c', 'd']);
    state = moveFocus(state, keys, 'previous', shift);
    expect(selected(state)).toEqual(['b', 'c']);
    expect(selected(moveFocus(state, keys, 'first', shift))).toEqual(['a', 'b']);
  });

  it('moves only the focus with Ctrl, then toggles with Space', () => {
    let state = clickItem(emptySelection, keys, 'a', plain);
    state = moveFocus(state, keys, 'next', ctrl);
    state = moveFocus(state, keys, 'next', ctrl);
    expect(state.focus).toBe('c');
    expect(selected(state)).toEqual(['a']);
    state = toggleFocused(state, keys);
    expect(selected(state)).toEqual(['a', 'c']);
    state = toggleFocused(state, keys);
    expect(selected(state)).toEqual(['a']);
  });

  it('does nothing in an empty list', () => {
    expect(moveFocus(emptySelection, [], 'next', plain)).toBe(emptySelection);
    expect(toggleFocused(emptySelection, [])).toBe(emptySelection);
  });
});

describe('after the list changes', () => {
  it('keeps what still exists and drops a focus whose row is gone', () => {
    let state = clickItem(emptySelection, keys, 'b', plain);
    state = clickItem(state, keys, 'd', shift);
    const kept = retainExisting(state, new Set(['a', 'c', 'd']));
    expect(selectedInOrder(kept, keys)).toEqual(['c', 'd']);
    expect(kept.focus).toBe('d');
    expect(kept.anchor).toBeNull();
  });

  it('returns the same object when everything still exists', () => {
    const state = clickItem(emptySelection, keys, 'b', plain);
    expect(retainExisting(state, new Set(keys))).toBe(state);
  });
});
