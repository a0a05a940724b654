import { isContextMenuKey } from '../../components/context-menu-key';
import type { FocusMove } from './selection-model';

/** What a key press in the file list asks for; the list carries it out. */
export type ListKeyCommand =
  | { type: 'move'; move: FocusMove; range: boolean; toggle: boolean }
  | { type: 'toggle' }
  | { type: 'select-all' }
  | { type: 'clear' }
  | { type: 'open' }
  | { type: 'menu' }
  | { type: 'rename' }
  | { type: 'delete' }
  | { type: 'refresh' }
  | { type: 'copy-link' }
  | { type: 'type-ahead'; character: string };

/** The parts of a keyboard event the list looks at. */
export interface KeyPress {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/**
 * Maps a key on the file list to a command, as desktop file managers do: arrows, Home, End
 * and Page keys move (Shift extends the selection, Ctrl/Cmd moves focus alone), Space
 * toggles, Ctrl/Cmd+A selects all, Escape clears, Enter opens, F2 renames, Delete deletes,
 * F5 refreshes, Ctrl/Cmd+Shift+L copies a share link, the Menu key or Shift+F10 opens the context menu, and printable
 * characters jump to a name starting with what was typed (see {@link nextTypeAhead}). `pageSize`
 * is how many rows a page key moves. While the person is typing a name (`typingAhead`), Space is
 * part of it ("meeting notes") rather than a toggle. Returns undefined for keys the list leaves
 * alone (Tab, Alt+arrows for history).
 */
export function listCommandForKey(event: KeyPress, pageSize: number, typingAhead = false): ListKeyCommand | undefined {
  if (isContextMenuKey(event)) return { type: 'menu' };
  if (typingAhead && event.key === ' ' && !event.ctrlKey && !event.metaKey && !event.altKey) {
    return { type: 'type-ahead', character: ' ' };
  }
  if (event.altKey) return undefined;
  const toggle = event.ctrlKey || event.metaKey;
  const range = event.shiftKey;
  const move = (to: FocusMove): ListKeyCommand => ({ type: 'move', move: to, range, toggle });
  switch (event.key) {
    case 'ArrowDown':
      return move('next');
    case 'ArrowUp':
      return move('previous');
    case 'Home':
      return move('first');
    case 'End':
      return move('last');
    case 'PageDown':
      return move({ page: Math.max(1, pageSize) });
    case 'PageUp':
      return move({ page: -Math.max(1, pageSize) });
    case ' ':
      return { type: 'toggle' };
    case 'Enter':
      return toggle || range ? undefined : { type: 'open' };
    case 'Escape':
      return { type: 'clear' };
    case 'F2':
      return { type: 'rename' };
    case 'Delete':
      return { type: 'delete' };
    case 'F5':
      return { type: 'refresh' };
  }
  if (toggle && (event.key === 'a' || event.key === 'A')) return { type: 'select-all' };
  // Ctrl/Cmd+Shift+L: copy a share link (Ctrl+Shift+C opens the browser's inspector in web mode).
  if (toggle && range && (event.key === 'l' || event.key === 'L')) return { type: 'copy-link' };
  if (!toggle && event.key.length === 1 && event.key.trim() !== '') {
    return { type: 'type-ahead', character: event.key };
  }
  return undefined;
}

/**
 * The index of the next name (after `from`, wrapping around) that starts with `text`,
 * ignoring case; -1 when none does.
 */
export function findTypeAhead(names: readonly string[], from: number, text: string): number {
  const wanted = text.toLocaleLowerCase();
  for (let step = 1; step <= names.length; step++) {
    const i = (from + step + names.length) % names.length;
    if ((names[i] ?? '').toLocaleLowerCase().startsWith(wanted)) return i;
  }
  return -1;
}

/** How long a pause ends the name being typed, so the next character starts a new one (as in Finder or Explorer). */
export const TYPE_AHEAD_PAUSE_MS = 1000;

/** The name typed so far in the list, and when its last character came. */
export interface TypeAhead {
  text: string;
  at: number;
}

/** The typed text after one more character at `now`: added to the text, or a new text after a pause. */
export function nextTypeAhead(previous: TypeAhead | null, character: string, now: number): TypeAhead {
  const continues = previous !== null && now - previous.at < TYPE_AHEAD_PAUSE_MS;
  return { text: continues ? previous.text + character : character, at: now };
}

/** True while a typed name is still being added to (its last character came less than a pause ago). */
export function isTypingAhead(state: TypeAhead | null, now: number): boolean {
  return state !== null && now - state.at < TYPE_AHEAD_PAUSE_MS;
}

/**
 * The row a typed name jumps to, as file managers do: the first character jumps to the next name
 * that starts with it; more characters typed without a pause narrow it to names starting with the
 * whole text, from the row already found (so "re" stays on "report" rather than moving on). A
 * letter repeated ("bbb") with no name starting with it all moves on to the next name starting with
 * that letter, as pressing one letter again does. -1 when nothing matches.
 */
export function findTypeAheadMatch(names: readonly string[], focusIndex: number, text: string): number {
  if (text.length <= 1) return findTypeAhead(names, focusIndex, text);
  const whole = findTypeAhead(names, focusIndex - 1, text);
  if (whole >= 0) return whole;
  const first = text.charAt(0).toLocaleLowerCase();
  const repeated = [...text.toLocaleLowerCase()].every((c) => c === first);
  return repeated ? findTypeAhead(names, focusIndex, first) : -1;
}
