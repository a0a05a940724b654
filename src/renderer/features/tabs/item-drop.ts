import type { DragEvent } from 'react';
import { notify, useAppStore } from '../../stores/app-store';
import type { BrowserLocation } from '../../stores/selection-slice';
import { desktopFiles } from '../transfers/local-files';
import { draggedItems, endItemDrag } from './item-drag';

const DROP_ATTRIBUTE = 'data-drop-target';

/**
 * Handlers that make an element take rows dragged from the file list (a tab, a bookmark): while
 * they are over it, it is highlighted; a drop opens "Copy to" there ("Move to" with Shift held).
 * `target` is where they would go (null: nowhere, e.g. their own folder).
 */
export function itemDropHandlers(target: () => BrowserLocation | null) {
  const desktop = desktopFiles() !== null;
  const accepts = (event: DragEvent<HTMLElement>) => {
    const items = draggedItems(event.dataTransfer, desktop);
    const to = target();
    if (!items || !to) return null;
    const same = items.location.accountId === to.accountId && items.location.bucket === to.bucket;
    return same && items.location.prefix === to.prefix ? null : { items, to };
  };
  return {
    onDragOver(event: DragEvent<HTMLElement>) {
      if (!accepts(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = event.shiftKey ? 'move' : 'copy';
      event.currentTarget.setAttribute(DROP_ATTRIBUTE, '');
    },
    onDragLeave(event: DragEvent<HTMLElement>) {
      if (event.currentTarget.contains(event.relatedTarget as Node | null)) return;
      event.currentTarget.removeAttribute(DROP_ATTRIBUTE);
    },
    onDrop(event: DragEvent<HTMLElement>) {
      event.currentTarget.removeAttribute(DROP_ATTRIBUTE);
      const accepted = accepts(event);
      if (!accepted) return;
      event.preventDefault();
      endItemDrag();
      const problem = useAppStore.getState().dropItems(accepted.items, accepted.to, event.shiftKey ? 'move' : 'copy');
      if (problem) notify(problem, 'error');
    },
  };
}
