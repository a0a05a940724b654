import { ContextMenu } from 'radix-ui';
import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useId,
  useMemo,
  useRef,
  type DragEvent as ReactDragEvent,
  type KeyboardEvent,
  type MouseEvent as ReactMouseEvent,
  type ReactNode,
  type RefObject,
} from 'react';
import { useShallow } from 'zustand/react/shallow';
import { openContextMenuAt } from '../../components/context-menu-key';
import { Icon, iconImage, type IconName } from '../../components/icon';
import { useAppStore } from '../../stores/app-store';
import { desktopFiles } from '../transfers/local-files';
import { useFileListDropTarget } from '../transfers/use-drop-target';
import { startItemDrag } from '../tabs/item-drag';
import type { BrowserCommand, BrowserCommands } from './browser-commands';
import { inDesktopApp } from './browser-commands';
import { nextSortOrder, type BrowserEntry, type SortColumn } from './entries';
import { fileIcon, formatSize, formatStorageClass } from './format';
import { findTypeAheadMatch, isTypingAhead, listCommandForKey, nextTypeAhead, type TypeAhead } from './list-keyboard';
import { clickItem, emptySelection, moveFocus, selectAll, toggleFocused } from './selection-model';
import { rowSlot, useRowWindow } from './use-row-window';

/**
 * The rows' icons, as CSS images behind `data-icon` (components.css draws them as a mask in the
 * name cell's ::before): one element and no SVG per row, and a new icon in a row is an
 * attribute changed, not shapes replaced. Added to the document once, when a list first shows.
 */
const rowIcons: readonly IconName[] = [
  'folder',
  'file',
  'file-text',
  'file-image',
  'file-video',
  'file-audio',
  'file-archive',
  'file-code',
];
let rowIconStyle: HTMLStyleElement | null = null;
function addRowIconStyle(): void {
  if (rowIconStyle?.isConnected) return;
  rowIconStyle = document.createElement('style');
  rowIconStyle.textContent = rowIcons
    .map((name) => `.file-cell--name[data-icon='${name}'] { --file-icon: ${iconImage(name)}; }`)
    .join('\n');
  document.head.append(rowIconStyle);
}

/** Row height in pixels; the same as --row-height in theme.css, which the rows use. */
const ROW_HEIGHT = 26;

/**
 * Rows rendered above and below the ones in view. Few: every scroll event renders the new
 * window at once, so these only cover what the compositor may show before the next event.
 */
const OVERSCAN = 4;

// Dates in the person's own locale and time zone, with the time.
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const columns: Array<{ id: SortColumn; label: string }> = [
  { id: 'name', label: 'Name' },
  { id: 'size', label: 'Size' },
  { id: 'lastModified', label: 'Last modified' },
  { id: 'storageClass', label: 'Storage class' },
];

/** Props of FileList. */
export interface FileListProps {
  /** The rows to show, sorted and filtered. */
  visible: BrowserEntry[];
  commands: BrowserCommands;
  /** The grid's accessible name ("Files in photos"). */
  label: string;
  /** Shown over the empty grid: loading, empty folder, no match, a failure. */
  emptyMessage: ReactNode;
}

/**
 * The file list: a WAI-ARIA grid (https://www.w3.org/WAI/ARIA/apg/patterns/grid/) whose rows
 * are virtualized, so a folder of 100,000 keys keeps a few dozen rows in the page. Focus stays
 * on the grid and aria-activedescendant names the focused row: with a roving tabindex, focus
 * would be lost whenever the focused row scrolled out and was removed.
 */
export function FileList({ visible, commands, label, emptyMessage }: FileListProps) {
  const baseId = useId();
  const scrollRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const { listSelection, sortOrder, setListSelection, setSortOrder } = useAppStore(
    useShallow((s) => ({
      listSelection: s.listSelection,
      sortOrder: s.sortOrder,
      setListSelection: s.setListSelection,
      setSortOrder: s.setSortOrder,
    })),
  );
  const focus = listSelection.focus;
  const focusIndex = useMemo(() => (focus === null ? -1 : visible.findIndex((e) => e.key === focus)), [visible, focus]);
  // The shown keys in order, for selection commands: made when a command needs them, not on
  // every page that arrives (100,000 keys would make a new array a hundred times).
  const shownKeys = () => visible.map((e) => e.key);

  const { window: rows, scrollToIndex, slots } = useRowWindow(scrollRef, visible.length, ROW_HEIGHT, OVERSCAN);
  useLayoutEffect(addRowIconStyle, []);

  // Keep the focused row in view when the focus moves (keyboard, a revealed item), not when
  // a new page merely shifts its index while the person scrolls elsewhere.
  const scrolledTo = useRef<string | null>(null);
  useEffect(() => {
    if (listSelection.focus === scrolledTo.current) return;
    scrolledTo.current = listSelection.focus;
    if (focusIndex >= 0) scrollToIndex(focusIndex);
  }, [listSelection.focus, focusIndex, scrollToIndex]);

  const rowId = (index: number) => `${baseId}-row-${index}`;
  // The name typed so far: characters typed without a pause add up ("rep" finds "reports").
  const typed = useRef<TypeAhead | null>(null);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    // Keys pressed on the grid itself, not on a column header's button inside it.
    if (event.target !== event.currentTarget) return;
    const keys = shownKeys();
    const pageSize = Math.floor((scrollRef.current?.clientHeight ?? 0) / ROW_HEIGHT) - 1;
    const now = performance.now();
    const cmd = listCommandForKey(event, pageSize, isTypingAhead(typed.current, now));
    if (!cmd) return;
    event.preventDefault();
    if (cmd.type !== 'type-ahead') typed.current = null;
    const focused = focusIndex >= 0 ? visible[focusIndex] : undefined;
    switch (cmd.type) {
      case 'move':
        setListSelection(moveFocus(listSelection, keys, cmd.move, cmd));
        break;
      case 'toggle':
        setListSelection(toggleFocused(listSelection, keys));
        break;
      case 'select-all':
        setListSelection(selectAll(listSelection, keys));
        break;
      case 'clear':
        setListSelection({ ...emptySelection, focus: listSelection.focus });
        break;
      case 'open':
        if (focused) commands.openEntry(focused);
        break;
      case 'rename':
        commands.rename.run();
        break;
      case 'delete':
        commands.delete.run();
        break;
      case 'refresh':
        commands.refresh.run();
        break;
      case 'copy-link':
        commands.copyLink.run();
        break;
      case 'menu': {
        const row = focusIndex >= 0 ? document.getElementById(rowId(focusIndex)) : null;
        openContextMenuAt(row ?? scrollRef.current ?? event.currentTarget);
        break;
      }
      case 'type-ahead': {
        typed.current = nextTypeAhead(typed.current, cmd.character, now);
        const match = findTypeAheadMatch(
          visible.map((e) => e.name),
          focusIndex,
          typed.current.text,
        );
        if (match >= 0) setListSelection(clickItem(listSelection, keys, keys[match] as string, plain));
        break;
      }
    }
  }

  // Row handlers that keep their identity across renders, so a memoized row re-renders only
  // when its own data changes (scrolling renders the rows that enter, not all of them).
  const latest = useRef({ visible, commands });
  useLayoutEffect(() => {
    latest.current = { visible, commands };
  });
  const onRowClick = useCallback((event: ReactMouseEvent, key: string): void => {
    const { listSelection: current, setListSelection: apply } = useAppStore.getState();
    const keys = latest.current.visible.map((e) => e.key);
    apply(clickItem(current, keys, key, { range: event.shiftKey, toggle: event.ctrlKey || event.metaKey }));
  }, []);
  const onRowOpen = useCallback((entry: BrowserEntry): void => latest.current.commands.openEntry(entry), []);
  // Rows dragged onto a tab or a bookmark are copied or moved there (features/tabs/item-drag.ts).
  // In Electron, files also leave the window as the OS drag of their downloaded copies (drag-out),
  // which exists only there (the OS drag needs files on disk).
  const dragOutEnabled = desktopFiles() !== null;
  const onRowDragStart = useCallback(
    (event: ReactDragEvent, key: string): void => {
      const { listSelection: current, listing, dragOut } = useAppStore.getState();
      if (!listing.location) return;
      // The selected rows when the dragged row is one of them, else that row alone.
      const keys = current.selected.has(key)
        ? latest.current.visible.filter((e) => !e.deleted && current.selected.has(e.key)).map((e) => e.key)
        : [key];
      startItemDrag(event.dataTransfer, { location: listing.location, keys });
      const files = keys.filter((k) => !k.endsWith('/'));
      if (dragOutEnabled && files.length > 0) {
        event.preventDefault();
        void dragOut(listing.location, files);
      }
    },
    [dragOutEnabled],
  );
  const onRowContextMenu = useCallback((key: string): void => {
    // A right-click on a row outside the selection selects that row alone, as file managers do.
    const { listSelection: current, setListSelection: apply } = useAppStore.getState();
    if (current.selected.has(key)) return;
    apply(
      clickItem(
        current,
        latest.current.visible.map((e) => e.key),
        key,
        plain,
      ),
    );
  }, []);

  /** A click (or right-click) on the empty space below the rows clears the selection. */
  function onBodyPointer(event: ReactMouseEvent): void {
    if ((event.target as HTMLElement).closest('[role="row"]') === null && listSelection.selected.size > 0) {
      setListSelection({ ...emptySelection, focus: listSelection.focus });
    }
  }

  // The rows in the window, in order, keyed by slot (rowSlot): a row that stays in the window
  // keeps its element untouched, and a row that enters reuses the element of one that left
  // (moved to the other end, with new text), so a scroll by a few rows changes a few rows and
  // no elements are made or removed, even when the whole window moves in one frame. The window
  // moves as one transform.
  const rendered: ReactNode[] = [];
  for (let index = rows.start; index < rows.end; index++) {
    const entry = visible[index];
    if (!entry) break;
    const active = index === focusIndex;
    rendered.push(
      <FileRow
        key={rowSlot(index, slots)}
        id={active ? rowId(index) : undefined}
        entry={entry}
        index={index}
        selected={listSelection.selected.has(entry.key)}
        active={active}
        onClick={onRowClick}
        onOpen={onRowOpen}
        onContextMenu={onRowContextMenu}
        onDragStart={onRowDragStart}
      />,
    );
  }
  // Files dragged in from the desktop: onto a folder row go into it, elsewhere into this folder.
  const dropTarget = useFileListDropTarget();
  return (
    <div className="file-list-frame" {...dropTarget}>
      <div
        ref={gridRef}
        role="grid"
        data-file-list
        aria-label={label}
        aria-rowcount={visible.length + 1}
        aria-colcount={columns.length}
        aria-multiselectable="true"
        aria-activedescendant={focusIndex >= 0 ? rowId(focusIndex) : undefined}
        tabIndex={0}
        className="file-list"
        onKeyDown={onKeyDown}
      >
        <div role="rowgroup" className="file-list__head">
          <div role="row" aria-rowindex={1} className="file-row file-row--head">
            {columns.map((column) => {
              const sorted = sortOrder.column === column.id;
              return (
                <div
                  key={column.id}
                  role="columnheader"
                  aria-sort={sorted ? sortOrder.direction : undefined}
                  className={`file-cell file-cell--${column.id}`}
                >
                  <button
                    type="button"
                    className="column-button"
                    data-sorted={sorted || undefined}
                    onClick={() => setSortOrder(nextSortOrder(sortOrder, column.id))}
                  >
                    <span>{column.label}</span>
                    {sorted ? (
                      <Icon
                        name={sortOrder.direction === 'ascending' ? 'chevron-up' : 'chevron-down'}
                        className="column-button__arrow"
                      />
                    ) : null}
                  </button>
                </div>
              );
            })}
          </div>
        </div>
        <ContextMenu.Root modal={false}>
          <ContextMenu.Trigger asChild onContextMenu={onBodyPointer}>
            <div
              ref={scrollRef}
              role="rowgroup"
              className="file-list__body"
              onMouseDown={(event) => event.button === 0 && onBodyPointer(event)}
            >
              <div className="file-list__spacer" style={{ height: visible.length * ROW_HEIGHT }}>
                <div className="file-list__window" style={{ transform: `translateY(${rows.start * ROW_HEIGHT}px)` }}>
                  {rendered}
                </div>
              </div>
            </div>
          </ContextMenu.Trigger>
          <ContextMenu.Portal>
            <FileContextMenu commands={commands} gridRef={gridRef} />
          </ContextMenu.Portal>
        </ContextMenu.Root>
      </div>
      {visible.length === 0 ? <div className="file-list__message">{emptyMessage}</div> : null}
    </div>
  );
}

const plain = { range: false, toggle: false };

interface FileRowProps {
  /** Only the active row has an id: the one aria-activedescendant names. */
  id: string | undefined;
  entry: BrowserEntry;
  index: number;
  selected: boolean;
  active: boolean;
  onClick: (event: ReactMouseEvent, key: string) => void;
  onOpen: (entry: BrowserEntry) => void;
  onContextMenu: (key: string) => void;
  /** Starts dragging the row (with the other selected rows) onto a tab, a bookmark or, in Electron, the desktop. */
  onDragStart: (event: ReactDragEvent, key: string) => void;
}

/** One row. Memoized: a row renders again only when what it shows changes. */
const FileRow = memo(function FileRow({
  id,
  entry,
  index,
  selected,
  active,
  onClick,
  onOpen,
  onContextMenu,
  onDragStart,
}: FileRowProps) {
  const isFolder = entry.kind === 'folder';
  const draggable = !entry.deleted;
  return (
    <div
      id={id}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className="file-row"
      data-kind={entry.kind}
      data-deleted={entry.deleted}
      data-drop-prefix={isFolder && !entry.deleted ? entry.key : undefined}
      data-active={active || undefined}
      onClick={(event) => onClick(event, entry.key)}
      onDoubleClick={() => onOpen(entry)}
      onContextMenu={() => onContextMenu(entry.key)}
      draggable={draggable || undefined}
      onDragStart={draggable ? (event) => onDragStart(event, entry.key) : undefined}
    >
      <div role="gridcell" className="file-cell file-cell--name" data-icon={isFolder ? 'folder' : fileIcon(entry.name)}>
        {entry.name}
        {/* In words, not only in style: "notes.txt Deleted" (its date is when it was deleted). */}
        {entry.deleted ? <span className="file-row__deleted"> Deleted</span> : null}
      </div>
      <div role="gridcell" className="file-cell file-cell--size">
        {isFolder || (entry.deleted && entry.size === 0) ? '' : formatSize(entry.size)}
      </div>
      <div role="gridcell" className="file-cell file-cell--lastModified">
        {isFolder || !entry.lastModified ? '' : dateFormat.format(new Date(entry.lastModified))}
      </div>
      <div role="gridcell" className="file-cell file-cell--storageClass">
        {isFolder ? '' : formatStorageClass(entry.storageClass)}
      </div>
    </div>
  );
});

/** The file list's context menu: the same commands as the toolbar, disabled where they do not apply. */
function FileContextMenu({
  commands,
  gridRef,
}: {
  commands: BrowserCommands;
  gridRef: RefObject<HTMLDivElement | null>;
}) {
  const item = (label: string, icon: Parameters<typeof Icon>[0]['name'], cmd: BrowserCommand, danger = false) => (
    <ContextMenu.Item
      className={danger ? 'menu__item menu__item--danger' : 'menu__item'}
      disabled={cmd.disabledReason !== null}
      onSelect={cmd.run}
    >
      <Icon name={icon} className="menu__icon" />
      {label}
    </ContextMenu.Item>
  );
  return (
    <ContextMenu.Content
      className="menu"
      collisionPadding={8}
      aria-label="File actions"
      onCloseAutoFocus={(event) => {
        // Back to the list, unless the menu opened a dialog, which has focus by then.
        event.preventDefault();
        if (useAppStore.getState().browserDialog === null) gridRef.current?.focus();
      }}
    >
      {item('Open', 'folder-open', commands.open)}
      {item('Download…', 'download', commands.download)}
      {item('Edit', 'pencil', commands.edit)}
      {inDesktopApp() ? item('Edit with…', 'pencil', commands.editWith) : null}
      {item('Copy share link…', 'link', commands.copyLink)}
      {item('Create drop box…', 'upload', commands.dropBox)}
      {item('Show versions', 'history', commands.showVersions)}
      <ContextMenu.Separator className="menu__separator" />
      {item('Rename…', 'pencil', commands.rename)}
      {item('Copy to…', 'copy', commands.copy)}
      {item('Move to…', 'folder-move', commands.move)}
      {item('Copy to another account…', 'copy', commands.copyAcross)}
      {item('Move to another account…', 'folder-move', commands.moveAcross)}
      {item('Delete…', 'trash', commands.delete, true)}
      {commands.showDeleted.pressed ? (
        <>
          {item('Undelete', 'undo', commands.undelete)}
          {item('Delete for good…', 'trash', commands.deleteForGood, true)}
        </>
      ) : null}
      <ContextMenu.Separator className="menu__separator" />
      {item('New folder…', 'folder-plus', commands.newFolder)}
      {item('Upload…', 'upload', commands.upload)}
      {item('Refresh', 'refresh', commands.refresh)}
    </ContextMenu.Content>
  );
}
