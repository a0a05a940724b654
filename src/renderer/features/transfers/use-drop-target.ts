import { useRef, type DragEvent } from 'react';
import { notify, useAppStore } from '../../stores/app-store';
import type { BrowserLocation } from '../../stores/selection-slice';
import { locationName } from '../../stores/transfers-slice';
import { carriesFiles, desktopFiles, pickFromDrop, takeDroppedItems } from './local-files';

/** Where a drop at some point goes, and which element to highlight for it. */
export interface DropTarget {
  location: BrowserLocation;
  element: HTMLElement;
}

/** The drag-and-drop handlers a drop target spreads onto its element. */
export interface DropTargetProps {
  onDragEnter: (event: DragEvent<HTMLElement>) => void;
  onDragOver: (event: DragEvent<HTMLElement>) => void;
  onDragLeave: (event: DragEvent<HTMLElement>) => void;
  onDrop: (event: DragEvent<HTMLElement>) => void;
}

const TARGET_ATTRIBUTE = 'data-drop-target';

/**
 * Makes an element take files dragged in from the desktop: while they are over it, the target
 * (the element, or a folder row inside it) is highlighted and a hint names the folder; a drop
 * uploads there. `resolve` says where a drop at the pointer goes (null: not here).
 */
export function useDropTarget(resolve: (event: DragEvent<HTMLElement>) => DropTarget | null): DropTargetProps {
  const marked = useRef<HTMLElement | null>(null);
  // A drag that ends elsewhere (a drop outside any target) must not leave a highlight. One
  // listener per target for its lifetime, acting only while this target shows a highlight.
  const endListener = useRef<(() => void) | null>(null);

  function mark(element: HTMLElement | null): void {
    if (marked.current === element) return;
    marked.current?.removeAttribute(TARGET_ATTRIBUTE);
    element?.setAttribute(TARGET_ATTRIBUTE, '');
    marked.current = element;
    if (element && !endListener.current) {
      const onEnd = (): void => {
        window.removeEventListener('dragend', onEnd);
        window.removeEventListener('drop', onEnd);
        endListener.current = null;
        if (!marked.current) return;
        marked.current.removeAttribute(TARGET_ATTRIBUTE);
        marked.current = null;
        useAppStore.getState().setDropHint(null);
      };
      endListener.current = onEnd;
      window.addEventListener('dragend', onEnd);
      window.addEventListener('drop', onEnd);
    }
  }
  function clear(): void {
    mark(null);
    useAppStore.getState().setDropHint(null);
  }

  function onDragOver(event: DragEvent<HTMLElement>): void {
    if (!carriesFiles(event.dataTransfer)) return;
    const target = resolve(event);
    if (!target) {
      clear();
      return;
    }
    // Accepting the drag (preventDefault) is what lets the drop happen here.
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    mark(target.element);
    useAppStore.getState().setDropHint(`Drop to upload to ${locationName(target.location)}`);
  }

  return {
    onDragEnter: onDragOver,
    onDragOver,
    onDragLeave(event) {
      // Leaving for a child of the element is not leaving it.
      if (event.currentTarget.contains(event.relatedTarget as Node | null)) return;
      clear();
    },
    onDrop(event) {
      if (!carriesFiles(event.dataTransfer)) return;
      const target = resolve(event);
      clear();
      if (!target) return;
      event.preventDefault();
      // The items are readable only while the event lasts: take them now, read them after.
      const items = takeDroppedItems(event.dataTransfer);
      const { uploadPicked } = useAppStore.getState();
      void pickFromDrop(items, desktopFiles()).then(
        (pick) => uploadPicked(target.location, pick, undefined, 'drop'),
        (error: unknown) =>
          notify(
            `The dropped files could not be read: ${error instanceof Error ? error.message : String(error)}`,
            'error',
          ),
      );
    },
  };
}

/** A drop target for one location (a bucket or folder of the sidebar tree); null makes it none. */
export function useLocationDropTarget(location: BrowserLocation | null): DropTargetProps {
  return useDropTarget((event) => (location ? { location, element: event.currentTarget } : null));
}

/** The attribute a file list row carries when it is a folder that takes drops (its prefix). */
export const DROP_PREFIX_ATTRIBUTE = 'data-drop-prefix';

/**
 * The file list as a drop target: onto a folder row uploads into that folder, anywhere else into
 * the folder shown (not into search results, which are no folder).
 */
export function useFileListDropTarget(): DropTargetProps {
  return useDropTarget((event) => {
    const { listing } = useAppStore.getState();
    const location = listing.location;
    if (!location) return null;
    const row = (event.target as Element).closest<HTMLElement>(`[${DROP_PREFIX_ATTRIBUTE}]`);
    const prefix = row?.getAttribute(DROP_PREFIX_ATTRIBUTE);
    if (row && prefix) return { location: { ...location, prefix }, element: row };
    if (listing.search !== null) return null;
    return { location, element: event.currentTarget };
  });
}
