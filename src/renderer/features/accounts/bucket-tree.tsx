import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Icon } from '../../components/icon';
import { useAppStore } from '../../stores/app-store';
import type { TreeSelection } from '../../stores/selection-slice';
import { treeCommandForKey } from './tree-keyboard';
import { buildTreeRows, rowLabel, selectionRowId, type TreeRow } from './tree-rows';

/**
 * The sidebar tree: accounts, and under each its buckets (folders come later). A WAI-ARIA
 * tree with a roving tabindex: one item is in the Tab order, arrow keys move between items.
 */
export function BucketTree({ labelledBy }: { labelledBy: string }) {
  const { accounts, bucketLists, collapsedAccounts, selection } = useAppStore(
    useShallow((s) => ({
      accounts: s.accounts,
      bucketLists: s.bucketLists,
      collapsedAccounts: s.collapsedAccounts,
      selection: s.selection,
    })),
  );
  const { select, setAccountExpanded, expandAllAccounts } = useAppStore(
    useShallow((s) => ({
      select: s.select,
      setAccountExpanded: s.setAccountExpanded,
      expandAllAccounts: s.expandAllAccounts,
    })),
  );
  const rows = useMemo(
    () => buildTreeRows(accounts, bucketLists, collapsedAccounts),
    [accounts, bucketLists, collapsedAccounts],
  );

  // The item that holds the tab stop. If it disappears (collapsed, refreshed away), the
  // stop falls back to the selection, then to the first item, so Tab always lands somewhere.
  const [activeId, setActiveId] = useState<string | null>(null);
  const selectedId = selectionRowId(selection);
  const tabStopId =
    [activeId, selectedId].find((id) => id !== null && rows.some((r) => r.id === id)) ?? rows[0]?.id ?? null;

  const elements = useRef(new Map<string, HTMLElement>());

  function focusRow(index: number): void {
    const row = rows[index];
    if (!row) return;
    setActiveId(row.id);
    elements.current.get(row.id)?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLElement>, index: number): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
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
      {rows.map((row, index) => (
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
          onToggle={row.kind === 'account' ? () => setAccountExpanded(row.account.id, !row.expanded) : undefined}
        />
      ))}
    </div>
  );
}

/** What selecting a row selects; message rows select nothing. */
function selectionOf(row: TreeRow): TreeSelection | null {
  switch (row.kind) {
    case 'account':
      return { kind: 'account', accountId: row.account.id };
    case 'bucket':
      return { kind: 'bucket', accountId: row.accountId, bucket: row.bucket.name };
    case 'message':
      return null;
  }
}

interface TreeItemProps {
  row: TreeRow;
  selected: boolean;
  tabbable: boolean;
  elementRef: (element: HTMLDivElement) => () => void;
  onFocus: () => void;
  onKeyDown: (event: KeyboardEvent<HTMLDivElement>) => void;
  onSelect: () => void;
  onToggle: (() => void) | undefined;
}

function TreeItem({ row, selected, tabbable, elementRef, onFocus, onKeyDown, onSelect, onToggle }: TreeItemProps) {
  const isMessage = row.kind === 'message';
  return (
    <div
      ref={elementRef}
      role="treeitem"
      className="tree-row"
      data-kind={row.kind}
      data-tone={isMessage ? row.tone : undefined}
      aria-level={row.level}
      aria-posinset={row.position}
      aria-setsize={row.setSize}
      aria-expanded={row.kind === 'account' ? row.expanded : undefined}
      // Message rows are focusable (so a keyboard user reaches the error) but not selectable.
      aria-selected={isMessage ? undefined : selected}
      aria-disabled={isMessage || undefined}
      // Chromium leaves an alert's text out of a name computed from content, so say it outright.
      aria-label={isMessage ? row.text : undefined}
      aria-busy={row.kind === 'account' && row.busy ? true : undefined}
      tabIndex={tabbable ? 0 : -1}
      onFocus={onFocus}
      onKeyDown={onKeyDown}
      onClick={onSelect}
      onDoubleClick={onToggle}
    >
      {row.kind === 'account' ? (
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
      {row.kind === 'account' && row.busy ? <Icon name="spinner" className="icon--spin tree-row__busy" /> : null}
    </div>
  );
}

function RowIcon({ row }: { row: TreeRow }) {
  switch (row.kind) {
    case 'account':
      return <Icon name="account" className="tree-row__icon" />;
    case 'bucket':
      return <Icon name="bucket" className="tree-row__icon" />;
    case 'message':
      return row.tone === 'error' ? <Icon name="alert" className="tree-row__icon" /> : null;
  }
}
