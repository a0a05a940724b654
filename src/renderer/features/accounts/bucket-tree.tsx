import { useMemo, useRef, useState, type HTMLAttributes, type KeyboardEvent, type ReactElement } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Icon, type IconName } from '../../components/icon';
import { useAppStore } from '../../stores/app-store';
import { selectionAt, type TreeSelection } from '../../stores/selection-slice';
import { openContextMenuAt } from '../../components/context-menu-key';
import { useLocationDropTarget } from '../transfers/use-drop-target';
import { AccountMenus, BucketMenu } from './account-menu';
import { isContextMenuKey, treeCommandForKey } from './tree-keyboard';
import { buildTreeRows, rowLabel, selectionRowId, type TreeRow } from './tree-rows';

/**
 * The sidebar tree: accounts, their buckets, and the buckets' folders (listed when a bucket or
 * folder is expanded). A WAI-ARIA tree with a roving tabindex: one item is in the Tab order,
 * arrow keys move between items. Selecting a bucket or folder opens it in the file list.
 */
export function BucketTree({ labelledBy }: { labelledBy: string }) {
  const { accounts, bucketLists, collapsedAccounts, selection, folderChildren, expandedFolders } = useAppStore(
    useShallow((s) => ({
      accounts: s.accounts,
      bucketLists: s.bucketLists,
      collapsedAccounts: s.collapsedAccounts,
      selection: s.selection,
      folderChildren: s.folderChildren,
      expandedFolders: s.expandedFolders,
    })),
  );
  const { select, setAccountExpanded, expandAllAccounts, setFolderExpanded } = useAppStore(
    useShallow((s) => ({
      select: s.select,
      setAccountExpanded: s.setAccountExpanded,
      expandAllAccounts: s.expandAllAccounts,
      setFolderExpanded: s.setFolderExpanded,
    })),
  );
  const rows = useMemo(
    () =>
      buildTreeRows(accounts, bucketLists, collapsedAccounts, { children: folderChildren, expanded: expandedFolders }),
    [accounts, bucketLists, collapsedAccounts, folderChildren, expandedFolders],
  );

  // The item that holds the tab stop. If it disappears (collapsed, refreshed away), the
  // stop falls back to the selection, then to the first item, so Tab always lands somewhere.
  const [activeId, setActiveId] = useState<string | null>(null);
  const selectedId = selectionRowId(selection);
  const tabStopId =
    [activeId, selectedId].find((id) => id !== null && rows.some((r) => r.id === id)) ?? rows[0]?.id ?? null;

  const elements = useRef(new Map<string, HTMLElement>());
  // The account whose "Account actions" menu is open, when the keyboard (or its button) opened it.
  const [menuAccountId, setMenuAccountId] = useState<string | null>(null);

  function focusRow(index: number): void {
    const row = rows[index];
    if (!row) return;
    setActiveId(row.id);
    elements.current.get(row.id)?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLElement>, index: number): void {
    // Only keys pressed on the row itself, not ones that bubble (through React) from inside it.
    if (event.target !== event.currentTarget) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const row = rows[index];
    if (isContextMenuKey(event)) {
      // Prevented here, so the browser sends no contextmenu event: the row's menu opens at its button.
      event.preventDefault();
      if (row?.kind === 'account') {
        select(selectionOf(row));
        setMenuAccountId(row.account.id);
      } else if (row?.kind === 'bucket') {
        // Buckets have only a context menu: open it where the row is, as a right-click would.
        openContextMenuAt(event.currentTarget);
      }
      return;
    }
    const command = treeCommandForKey(rows, index, event.key);
    if (!command) return;
    event.preventDefault();
    switch (command.type) {
      case 'focus':
        focusRow(command.index);
        break;
      case 'expand':
        setAccountExpanded(command.accountId, true);
        break;
      case 'collapse':
        setAccountExpanded(command.accountId, false);
        break;
      case 'expand-folder':
        setFolderExpanded(command.location, true);
        break;
      case 'collapse-folder':
        setFolderExpanded(command.location, false);
        break;
      case 'expand-all':
        expandAllAccounts();
        break;
      case 'select':
        select(selectionOf(command.row));
        break;
    }
  }

  return (
    <div role="tree" aria-labelledby={labelledBy} className="tree">
      {rows.map((row, index) => {
        const item = (actionsButton?: ReactElement) => (
          <TreeItem
            key={row.id}
            row={row}
            selected={row.id === selectedId}
            tabbable={row.id === tabStopId}
            elementRef={(element) => {
              elements.current.set(row.id, element);
              return () => elements.current.delete(row.id);
            }}
            onFocus={() => setActiveId(row.id)}
            onKeyDown={(event) => onKeyDown(event, index)}
            onSelect={() => {
              const next = selectionOf(row);
              if (next) select(next);
            }}
            onToggle={toggleOf(row)}
            actionsButton={actionsButton}
          />
        );
        if (row.kind === 'bucket') {
          return (
            <BucketMenu
              key={row.id}
              accountId={row.accountId}
              bucket={row.bucket.name}
              onContextMenu={() => select(selectionOf(row))}
              focusRow={() => {
                setActiveId(row.id);
                elements.current.get(row.id)?.focus();
              }}
            >
              {item()}
            </BucketMenu>
          );
        }
        if (row.kind !== 'account') return item();
        const accountId = row.account.id;
        return (
          <AccountMenus
            key={row.id}
            account={row.account}
            menuOpen={menuAccountId === accountId}
            onMenuOpenChange={(open) => setMenuAccountId(open ? accountId : null)}
            onContextMenu={() => select({ kind: 'account', accountId })}
            focusRow={() => {
              setActiveId(row.id);
              elements.current.get(row.id)?.focus();
            }}
          >
            {item}
          </AccountMenus>
        );
      })}
    </div>
  );

  function toggleOf(row: TreeRow): (() => void) | undefined {
    if (row.kind === 'account') return () => setAccountExpanded(row.account.id, !row.expanded);
    if (row.kind === 'message' || !row.expandable) return undefined;
    return () => setFolderExpanded(row.location, !row.expanded);
  }
}

/**
 * What selecting a row selects. A note about an account (it failed to connect, it has no
 * buckets) selects that account, so the main area speaks of it and offers what to do; other
 * notes select nothing.
 */
function selectionOf(row: TreeRow): TreeSelection | null {
  switch (row.kind) {
    case 'account':
      return { kind: 'account', accountId: row.account.id };
    case 'bucket':
      return { kind: 'bucket', accountId: row.accountId, bucket: row.bucket.name };
    case 'folder':
      return selectionAt(row.location);
    case 'message':
      return row.offers ? { kind: 'account', accountId: row.accountId } : null;
  }
}

/** A row's own props; the rest (from the context menu's trigger, through asChild) go to its element. */
interface TreeItemProps extends Omit<HTMLAttributes<HTMLDivElement>, 'onFocus' | 'onKeyDown' | 'onSelect'> {
  row: TreeRow;
  selected: boolean;
  tabbable: boolean;
  elementRef: (element: HTMLDivElement) => () => void;
  onFocus: () => void;
  onKeyDown: (event: KeyboardEvent<HTMLDivElement>) => void;
  onSelect: () => void;
  onToggle: (() => void) | undefined;
  /** The "Account actions" button of an account row. */
  actionsButton: ReactElement | undefined;
}

function TreeItem({
  row,
  selected,
  tabbable,
  elementRef,
  onFocus,
  onKeyDown,
  onSelect,
  onToggle,
  actionsButton,
  ...triggerProps
}: TreeItemProps) {
  const isMessage = row.kind === 'message';
  // Files dragged in from the desktop onto a bucket or folder upload there.
  const dropTarget = useLocationDropTarget(row.kind === 'bucket' || row.kind === 'folder' ? row.location : null);
  return (
    <div
      // Props from the context menu's trigger (asChild), e.g. its contextmenu handler and data-state.
      {...triggerProps}
      {...dropTarget}
      ref={elementRef}
      role="treeitem"
      className="tree-row"
      data-kind={row.kind}
      data-tone={isMessage ? row.tone : undefined}
      aria-level={row.level}
      style={{ paddingLeft: 2 + (row.level - 1) * 16 }}
      aria-posinset={row.position}
      aria-setsize={row.setSize}
      aria-expanded={onToggle && row.kind !== 'message' ? row.expanded : undefined}
      // Message rows are focusable (so a keyboard user reaches the error) but not selectable.
      aria-selected={isMessage ? undefined : selected}
      // A note with buttons is not disabled: ARIA's disabled state would pass to its buttons.
      aria-disabled={(isMessage && !row.offers) || undefined}
      // Chromium leaves an alert's text out of a name computed from content, so say it outright;
      // an account's name must not take in its "Account actions" button either.
      aria-label={isMessage ? row.text : row.kind === 'account' ? row.account.name : undefined}
      aria-busy={row.kind !== 'message' && row.busy ? true : undefined}
      tabIndex={tabbable ? 0 : -1}
      onFocus={onFocus}
      onKeyDown={onKeyDown}
      onClick={onSelect}
      onDoubleClick={onToggle}
    >
      {onToggle && row.kind !== 'message' ? (
        <span
          className="tree-row__twisty"
          data-expanded={row.expanded}
          aria-hidden="true"
          onClick={(event) => {
            // The disclosure triangle only toggles; the rest of the row selects.
            event.stopPropagation();
            onToggle?.();
          }}
          onDoubleClick={(event) => event.stopPropagation()}
        >
          <Icon name="chevron-right" />
        </span>
      ) : (
        <span className="tree-row__twisty" aria-hidden="true" />
      )}
      <RowIcon row={row} />
      {row.kind === 'message' && row.tone === 'error' ? (
        <span className="tree-row__label" role="alert">
          {row.text}
        </span>
      ) : (
        <span className="tree-row__label">{rowLabel(row)}</span>
      )}
      {row.kind !== 'message' && row.busy ? <Icon name="spinner" className="icon--spin tree-row__busy" /> : null}
      {actionsButton}
      {row.kind === 'message' && row.offers ? <MessageOffers accountId={row.accountId} offers={row.offers} /> : null}
    </div>
  );
}

/**
 * The buttons under a note about an account: Try again and Edit account under a failure to
 * connect, Create bucket under "No buckets". Out of the Tab order like the "Account actions"
 * button (the tree has one tab stop): from the keyboard, Enter on the note selects the account,
 * and the main area offers the same buttons.
 */
function MessageOffers({ accountId, offers }: { accountId: string; offers: 'reconnect' | 'create-bucket' }) {
  const { account, loadBuckets, openAccountEditor, openBrowserDialog } = useAppStore(
    useShallow((s) => ({
      account: s.accounts.find((a) => a.id === accountId),
      loadBuckets: s.loadBuckets,
      openAccountEditor: s.openAccountEditor,
      openBrowserDialog: s.openBrowserDialog,
    })),
  );
  if (!account) return null;
  // The row selects its account on click; the buttons do only what they say.
  const button = (label: string, name: string, icon: IconName, action: () => void) => (
    <button
      type="button"
      className="button button--small"
      tabIndex={-1}
      aria-label={name}
      onClick={(event) => {
        event.stopPropagation();
        action();
      }}
      onDoubleClick={(event) => event.stopPropagation()}
    >
      <Icon name={icon} />
      {label}
    </button>
  );
  return (
    <span className="tree-row__offers">
      {offers === 'reconnect' ? (
        <>
          {button('Try again', `Try again to connect “${account.name}”`, 'refresh', () => void loadBuckets(accountId))}
          {account.origin === 'launch'
            ? null
            : button('Edit account', `Edit account “${account.name}”`, 'pencil', () =>
                openAccountEditor({ mode: 'edit', accountId }),
              )}
        </>
      ) : (
        button('Create bucket', `Create bucket in “${account.name}”`, 'bucket-plus', () =>
          openBrowserDialog({ kind: 'create-bucket', accountId }),
        )
      )}
    </span>
  );
}

function RowIcon({ row }: { row: TreeRow }) {
  switch (row.kind) {
    case 'account':
      return <Icon name="account" className="tree-row__icon" />;
    case 'bucket':
      return <Icon name="bucket" className="tree-row__icon" />;
    case 'folder':
      return <Icon name="folder" className="tree-row__icon" />;
    case 'message':
      return row.tone === 'error' ? <Icon name="alert" className="tree-row__icon" /> : null;
  }
}
