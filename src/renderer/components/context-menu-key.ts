/**
 * Tells whether a key press asks for the focused item's context menu: the Menu key, or
 * Shift+F10 (the keyboard equivalents of a right-click on every desktop platform).
 */
export function isContextMenuKey(event: { key: string; shiftKey: boolean }): boolean {
  return event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey);
}

/**
 * Opens the Radix context menu of an element from the keyboard: a `contextmenu` event at the
 * element's left edge, as a right-click there would send. Radix context menus open only on that
 * event and have no `open` prop; browsers do not reliably send one for Shift+F10.
 */
export function openContextMenuAt(element: Element): void {
  const box = element.getBoundingClientRect();
  element.dispatchEvent(
    new MouseEvent('contextmenu', {
      bubbles: true,
      cancelable: true,
      clientX: box.left + Math.min(24, box.width / 2),
      clientY: box.top + box.height / 2,
    }),
  );
}
