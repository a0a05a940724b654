import type { BrowserLocation } from '../../stores/selection-slice';

/**
 * Rows dragged from the file list onto a tab or a bookmark, to copy or move them there. The
 * drag carries a type of its own (so a drop target knows it is ours while the pointer is over
 * it, when the data itself cannot be read yet); what is dragged is kept here, in this window.
 */

/** The drag data type of rows dragged inside the app. */
export const ITEMS_DRAG_TYPE = 'application/x-s3fm-items';

/** The rows being dragged, and the folder they are in. */
export interface DraggedItems {
  location: BrowserLocation;
  keys: string[];
}

let dragged: DraggedItems | null = null;

/** Starts dragging rows: remembered here, and marked on the drag so targets recognize it. */
export function startItemDrag(dataTransfer: DataTransfer | null, items: DraggedItems): void {
  dragged = items;
  if (!dataTransfer) return;
  dataTransfer.setData(ITEMS_DRAG_TYPE, items.keys.join('\n'));
  // Plain text too, so a drop into a text field outside the app gives the keys, not nothing.
  dataTransfer.setData('text/plain', items.keys.join('\n'));
  dataTransfer.effectAllowed = 'copyMove';
  // Forgotten when the drag ends, is dropped anywhere, or (an OS drag-out in Electron, which
  // sends no dragend here) at the next press of a mouse button, after this drag's drop handlers ran.
  const ends = ['dragend', 'drop', 'mousedown'] as const;
  const clear = (): void => {
    for (const name of ends) window.removeEventListener(name, clear, true);
    setTimeout(() => {
      if (dragged === items) dragged = null;
    }, 0);
  };
  for (const name of ends) window.addEventListener(name, clear, true);
}

/**
 * The rows a drag over some target carries, or null when it carries none of ours (files from
 * the desktop, text). In Electron a file row's drag becomes the OS drag of its downloaded copy
 * (drag-out), which carries files only; the rows remembered here still say what it is.
 */
export function draggedItems(dataTransfer: DataTransfer | null, desktop: boolean): DraggedItems | null {
  if (!dragged || !dataTransfer) return null;
  return dataTransfer.types.includes(ITEMS_DRAG_TYPE) || desktop ? dragged : null;
}

/** Forgets the drag once it was dropped somewhere of ours. */
export function endItemDrag(): void {
  dragged = null;
}
