import { useId } from 'react';
import { Icon } from './icon';
import { IconButton } from './icon-button';

/** One row of a key/value list being edited (user metadata or tags); `id` keeps React rows stable. */
export interface KeyValueRow {
  id: number;
  key: string;
  value: string;
}

let nextRowId = 1;

/** A row with a fresh id. */
export function newRow(key = '', value = ''): KeyValueRow {
  return { id: nextRowId++, key, value };
}

/** Props of KeyValueRows. */
export interface KeyValueRowsProps {
  rows: KeyValueRow[];
  onChange: (rows: KeyValueRow[]) => void;
  /** Problems by row id, shown under that row (and tied to its key field). */
  problems: Record<number, string>;
  /** "Metadata" → "Metadata key 1", "Metadata value 1"; "Tag" → "Tag key 1", … */
  noun: string;
  /** The Add button's text: "Add metadata entry", "Add tag". */
  addLabel: string;
  /** What the group is called ("User metadata", "Tags"). */
  groupLabel: string;
}

/**
 * Rows of key and value, each with a Remove button, and an Add button: the editor for user
 * metadata (uploads and edits) and for tags. Each field is named by its row number, as a person would say it.
 */
export function KeyValueRows({ rows, onChange, problems, noun, addLabel, groupLabel }: KeyValueRowsProps) {
  const id = useId();
  const update = (rowId: number, fields: Partial<KeyValueRow>) =>
    onChange(rows.map((row) => (row.id === rowId ? { ...row, ...fields } : row)));
  return (
    <div role="group" aria-label={groupLabel} className="kv-rows">
      {rows.length > 0 ? (
        <div className="kv-rows__head" aria-hidden="true">
          <span>Key</span>
          <span>Value</span>
        </div>
      ) : null}
      {rows.map((row, index) => {
        const n = index + 1;
        const problem = problems[row.id];
        const errorId = `${id}-${row.id}-error`;
        return (
          <div key={row.id} className="kv-row">
            <div className="kv-row__fields">
              <input
                className="input kv-row__key"
                aria-label={`${noun} key ${n}`}
                aria-invalid={problem ? true : undefined}
                aria-describedby={problem ? errorId : undefined}
                spellCheck={false}
                autoComplete="off"
                value={row.key}
                data-row-key={row.id}
                onChange={(event) => update(row.id, { key: event.target.value })}
              />
              <input
                className="input kv-row__value"
                aria-label={`${noun} value ${n}`}
                spellCheck={false}
                autoComplete="off"
                value={row.value}
                onChange={(event) => update(row.id, { value: event.target.value })}
              />
              <IconButton
                label={`Remove ${noun.toLowerCase()} ${n}`}
                icon="trash"
                onClick={() => onChange(rows.filter((r) => r.id !== row.id))}
              />
            </div>
            {problem ? (
              <p id={errorId} className="field-error">
                {problem}
              </p>
            ) : null}
          </div>
        );
      })}
      <div>
        <button
          type="button"
          className="button button--small"
          onClick={(event) => {
            const added = newRow();
            onChange([...rows, added]);
            // Focus the new row's key, once it is in the page.
            const form = event.currentTarget.closest('form');
            requestAnimationFrame(() => form?.querySelector<HTMLElement>(`[data-row-key="${added.id}"]`)?.focus());
          }}
        >
          <Icon name="plus" />
          {addLabel}
        </button>
      </div>
    </div>
  );
}
