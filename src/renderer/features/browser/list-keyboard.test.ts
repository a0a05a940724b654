import { describe, expect, it } from 'vitest';
import {
  findTypeAhead,
  findTypeAheadMatch,
  isTypingAhead,
  listCommandForKey,
  nextTypeAhead,
  TYPE_AHEAD_PAUSE_MS,
  type KeyPress,
} from './list-keyboard';

const key = (k: string, modifiers: Partial<KeyPress> = {}): KeyPress => ({
  key: k,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...modifiers,
});

describe('listCommandForKey', () => {
  it('moves with arrows, Home, End and the page keys; Shift extends, Ctrl or Cmd moves focus alone', () => {
    expect(listCommandForKey(key('ArrowDown'), 10)).toEqual({
      type: 'move',
      move: 'next',
      range: false,
      toggle: false,
    });
    expect(listCommandForKey(key('ArrowUp', { shiftKey: true }), 10)).toMatchObject({ move: 'previous', range: true });
    expect(listCommandForKey(key('End', { metaKey: true }), 10)).toMatchObject({ move: 'last', toggle: true });
    expect(listCommandForKey(key('Home', { ctrlKey: true }), 10)).toMatchObject({ move: 'first', toggle: true });
    expect(listCommandForKey(key('PageDown'), 12)).toMatchObject({ move: { page: 12 } });
    expect(listCommandForKey(key('PageUp'), 0)).toMatchObject({ move: { page: -1 } });
  });

  it('toggles with Space, selects all with Ctrl/Cmd+A, clears with Escape', () => {
    expect(listCommandForKey(key(' '), 10)).toEqual({ type: 'toggle' });
    expect(listCommandForKey(key(' ', { ctrlKey: true }), 10)).toEqual({ type: 'toggle' });
    expect(listCommandForKey(key('a', { ctrlKey: true }), 10)).toEqual({ type: 'select-all' });
    expect(listCommandForKey(key('A', { metaKey: true, shiftKey: true }), 10)).toEqual({ type: 'select-all' });
    expect(listCommandForKey(key('Escape'), 10)).toEqual({ type: 'clear' });
  });

  it('opens with Enter, renames with F2, deletes with Delete, refreshes with F5', () => {
    expect(listCommandForKey(key('Enter'), 10)).toEqual({ type: 'open' });
    expect(listCommandForKey(key('F2'), 10)).toEqual({ type: 'rename' });
    expect(listCommandForKey(key('Delete'), 10)).toEqual({ type: 'delete' });
    expect(listCommandForKey(key('F5'), 10)).toEqual({ type: 'refresh' });
  });

  it('opens the context menu with the Menu key or Shift+F10', () => {
    expect(listCommandForKey(key('ContextMenu'), 10)).toEqual({ type: 'menu' });
    expect(listCommandForKey(key('F10', { shiftKey: true }), 10)).toEqual({ type: 'menu' });
    expect(listCommandForKey(key('F10'), 10)).toBeUndefined();
  });

  it('jumps by typed characters, and leaves Alt (history), Tab and Ctrl+letters alone', () => {
    expect(listCommandForKey(key('r'), 10)).toEqual({ type: 'type-ahead', character: 'r' });
    expect(listCommandForKey(key('ArrowLeft', { altKey: true }), 10)).toBeUndefined();
    expect(listCommandForKey(key('Tab'), 10)).toBeUndefined();
    expect(listCommandForKey(key('c', { ctrlKey: true }), 10)).toBeUndefined();
  });

  it('takes Space as part of a name while one is being typed, else as a toggle', () => {
    expect(listCommandForKey(key(' '), 10, true)).toEqual({ type: 'type-ahead', character: ' ' });
    expect(listCommandForKey(key(' ', { ctrlKey: true }), 10, true)).toEqual({ type: 'toggle' });
    expect(listCommandForKey(key(' '), 10, false)).toEqual({ type: 'toggle' });
  });
});

describe('nextTypeAhead', () => {
  it('adds characters typed without a pause, and starts over after one', () => {
    const r = nextTypeAhead(null, 'r', 1000);
    expect(r).toEqual({ text: 'r', at: 1000 });
    const re = nextTypeAhead(r, 'e', 1000 + TYPE_AHEAD_PAUSE_MS - 1);
    expect(re.text).toBe('re');
    expect(isTypingAhead(re, re.at + 10)).toBe(true);
    expect(isTypingAhead(re, re.at + TYPE_AHEAD_PAUSE_MS)).toBe(false);
    expect(nextTypeAhead(re, 'x', re.at + TYPE_AHEAD_PAUSE_MS).text).toBe('x');
  });
});

describe('findTypeAheadMatch', () => {
  const names = ['README.txt', 'notes', 'readme-old.txt', 'reports', 'rules.md', 'zebra'];
  it('narrows to names starting with the whole text, from the row already found', () => {
    // "r" jumps to the first r-name; "re" stays there; "rep" moves on to "reports".
    expect(findTypeAheadMatch(names, -1, 'r')).toBe(0);
    expect(findTypeAheadMatch(names, 0, 're')).toBe(0);
    expect(findTypeAheadMatch(names, 0, 'rep')).toBe(3);
    expect(findTypeAheadMatch(names, 3, 'rul')).toBe(4);
    expect(findTypeAheadMatch(names, 0, 'readme-')).toBe(2);
    expect(findTypeAheadMatch(names, 0, 'rx')).toBe(-1);
  });

  it('moves on to the next name with the same first letter when one letter is repeated', () => {
    expect(findTypeAheadMatch(names, 0, 'r')).toBe(2);
    expect(findTypeAheadMatch(names, 0, 'rr')).toBe(2);
    expect(findTypeAheadMatch(names, 2, 'rrr')).toBe(3);
  });
});

describe('findTypeAhead', () => {
  const names = ['apple', 'Banana', 'blueberry', 'cherry'];
  it('finds the next name starting with the text, ignoring case and wrapping around', () => {
    expect(findTypeAhead(names, -1, 'b')).toBe(1);
    expect(findTypeAhead(names, 1, 'b')).toBe(2);
    expect(findTypeAhead(names, 2, 'b')).toBe(1);
    expect(findTypeAhead(names, 0, 'BLU')).toBe(2);
    expect(findTypeAhead(names, 0, 'z')).toBe(-1);
  });
});
