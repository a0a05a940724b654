/**
 * The file list's multiple selection, as plain data and pure functions: which keys are
 * selected, the anchor of Shift ranges, and the focused (active) row. Every function takes
 * the keys in the order they are shown, since ranges follow what the person sees.
 */
export interface ListSelection {
  selected: ReadonlySet<string>;
  /** Where a Shift+click or Shift+arrow range starts. */
  anchor: string | null;
  /** The row keyboard commands act on (aria-activedescendant). */
  focus: string | null;
}

/** Nothing selected, nothing focused. */
export const emptySelection: ListSelection = { selected: new Set(), anchor: null, focus: null };

/** The modifier keys of a click or key press, as selection sees them. */
export interface SelectModifiers {
  /** Shift: extend a range from the anchor. */
  range: boolean;
  /** Ctrl (Cmd on macOS): toggle one item, or move focus without selecting. */
  toggle: boolean;
}

function rangeOf(keys: readonly string[], from: string | null, to: string): string[] {
  const end = keys.indexOf(to);
  if (end < 0) return [];
  const start = from === null ? -1 : keys.indexOf(from);
  if (start < 0) return [to];
  const [low, high] = start <= end ? [start, end] : [end, start];
  return keys.slice(low, high + 1);
}

/**
 * A click on a row: alone, selects only it; with Ctrl/Cmd, toggles it; with Shift, selects
 * the range from the anchor to it (Ctrl+Shift adds that range to the selection).
 */
export function clickItem(
  state: ListSelection,
  keys: readonly string[],
  key: string,
  modifiers: SelectModifiers,
): ListSelection {
  if (modifiers.range) {
    const range = rangeOf(keys, state.anchor, key);
    const selected = modifiers.toggle ? new Set([...state.selected, ...range]) : new Set(range);
    return { selected, anchor: state.anchor ?? key, focus: key };
  }
  if (modifiers.toggle) {
    const selected = new Set(state.selected);
    if (selected.has(key)) selected.delete(key);
    else selected.add(key);
    return { selected, anchor: key, focus: key };
  }
  return { selected: new Set([key]), anchor: key, focus: key };
}

/** Ctrl/Cmd+A: every shown item, keeping the focus where it is. */
export function selectAll(state: ListSelection, keys: readonly string[]): ListSelection {
  return { selected: new Set(keys), anchor: state.anchor ?? keys[0] ?? null, focus: state.focus ?? keys[0] ?? null };
}

/** Where a navigation key takes the focus. */
export type FocusMove = 'next' | 'previous' | 'first' | 'last' | { page: number };

/** The index a move lands on, from the focused row (or from before the first row when none is). */
function targetIndex(keys: readonly string[], focus: string | null, move: FocusMove): number {
  const current = focus === null ? -1 : keys.indexOf(focus);
  const last = keys.length - 1;
  if (move === 'first') return 0;
  if (move === 'last') return last;
  if (move === 'next') return current < 0 ? 0 : Math.min(current + 1, last);
  if (move === 'previous') return current < 0 ? 0 : Math.max(current - 1, 0);
  return Math.max(0, Math.min(last, (current < 0 ? 0 : current) + move.page));
}

/**
 * An arrow, Home, End or Page key: alone, moves focus and selects only that row; with Shift,
 * extends the range from the anchor; with Ctrl/Cmd, moves focus and leaves the selection.
 */
export function moveFocus(
  state: ListSelection,
  keys: readonly string[],
  move: FocusMove,
  modifiers: SelectModifiers,
): ListSelection {
  if (keys.length === 0) return state;
  const key = keys[targetIndex(keys, state.focus, move)] as string;
  if (modifiers.range) {
    const anchor = state.anchor ?? state.focus ?? key;
    return { selected: new Set(rangeOf(keys, anchor, key)), anchor, focus: key };
  }
  if (modifiers.toggle) return { ...state, focus: key };
  return { selected: new Set([key]), anchor: key, focus: key };
}

/** Space: toggles the focused row (focusing the first row when none is). */
export function toggleFocused(state: ListSelection, keys: readonly string[]): ListSelection {
  const key = state.focus !== null && keys.includes(state.focus) ? state.focus : keys[0];
  if (key === undefined) return state;
  return clickItem(state, keys, key, { range: false, toggle: true });
}

/**
 * The selection after the list changed (a refresh, a filter): keeps what still exists, and
 * the focus and anchor only where their rows do. Returns the same object when nothing changed.
 */
export function retainExisting(state: ListSelection, existing: ReadonlySet<string>): ListSelection {
  const selected = [...state.selected].filter((key) => existing.has(key));
  const focus = state.focus !== null && existing.has(state.focus) ? state.focus : null;
  const anchor = state.anchor !== null && existing.has(state.anchor) ? state.anchor : null;
  if (selected.length === state.selected.size && focus === state.focus && anchor === state.anchor) return state;
  return { selected: new Set(selected), anchor, focus };
}

/** The selected keys in the order they are shown. */
export function selectedInOrder(state: ListSelection, keys: readonly string[]): string[] {
  return state.selected.size === 0 ? [] : keys.filter((key) => state.selected.has(key));
}
