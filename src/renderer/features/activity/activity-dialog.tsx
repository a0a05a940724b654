import '../../styles/activity.css';
import { useEffect, useId, useState } from 'react';
import {
  activityKindLabels,
  activityKinds,
  activityResults,
  type ActivityFilter,
  type ActivityKind,
  type ActivityPage,
  type ActivityResult,
} from '../../../shared/activity';
import type { AppError } from '../../../shared/errors';
import { api } from '../../api';
import { Icon } from '../../components/icon';
import { notify } from '../../stores/app-store';
import { ConfirmButtons, DialogError, useDialogAction } from '../../components/dialog-parts';
import { ConfirmDialog, FormDialog } from '../browser/dialog-frame';
import { entryResult, entryTime, resultLabels } from './activity-view';

/** Entries shown at first; "Show more" adds as many, so the page stays light. */
const PAGE = 100;
/** The most entries the panel shows (the most one request gives); an export holds them all. */
const MOST_SHOWN = 1000;

/** The activity log (issue #15): every change the app made, searchable, filterable and exportable. */
export function ActivityDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <FormDialog
      open={open}
      onClose={onClose}
      size="wide"
      title="Activity log"
      description="Every change this app made, newest first. Kept on this computer only, without secrets or links."
    >
      {open ? <ActivityBody onClose={onClose} /> : null}
    </FormDialog>
  );
}

/** Starts a browser download of a text (web mode: there is no save dialog). */
function downloadText(text: string, fileName: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${mimeType};charset=utf-8` }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  // Revoked after the browser took it: a download starts asynchronously.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function ActivityBody({ onClose }: { onClose: () => void }) {
  const id = useId();
  const [query, setQuery] = useState('');
  const [appliedQuery, setAppliedQuery] = useState('');
  const [accountId, setAccountId] = useState('');
  const [kind, setKind] = useState<ActivityKind | ''>('');
  const [result, setResult] = useState<ActivityResult | ''>('');
  const [limit, setLimit] = useState(PAGE);
  const [page, setPage] = useState<ActivityPage | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [exporting, setExporting] = useState(false);
  const [clearing, setClearing] = useState(false);

  // Typing settles for a moment before the log is searched.
  useEffect(() => {
    const timer = setTimeout(() => setAppliedQuery(query), 200);
    return () => clearTimeout(timer);
  }, [query]);

  const filter: ActivityFilter = {
    query: appliedQuery,
    ...(accountId ? { accountId } : {}),
    ...(kind ? { kind } : {}),
    ...(result ? { result } : {}),
  };
  const filterKey = JSON.stringify(filter);

  // New entries (or a long operation's end) show while the panel is open.
  const [changes, setChanges] = useState(0);
  useEffect(() => api.activity.onChanged(() => setChanges((n) => n + 1)), []);

  useEffect(() => {
    let current = true;
    void api.activity.list({ filter: JSON.parse(filterKey) as ActivityFilter, offset: 0, limit }).then((answer) => {
      if (!current) return;
      if (answer.ok) {
        setPage(answer.value);
        setError(null);
      } else setError(answer.error);
    });
    return () => {
      current = false;
    };
  }, [filterKey, limit, changes]);

  async function exportAs(format: 'csv' | 'json'): Promise<void> {
    setExporting(true);
    try {
      if (window.api !== undefined) {
        const saved = await api.activity.saveExport({ format, filter });
        if (!saved.ok) notify(saved.error.message, 'error');
        else if (saved.value.saved !== null)
          notify(`Saved ${saved.value.count} entries to ${saved.value.saved}`, 'success');
        return;
      }
      const file = await api.activity.export({ format, filter });
      if (!file.ok) {
        notify(file.error.message, 'error');
        return;
      }
      downloadText(file.value.content, file.value.fileName, file.value.mimeType);
      notify(`Downloading ${file.value.fileName} (${file.value.count} entries)`, 'success');
    } finally {
      setExporting(false);
    }
  }

  const entries = page?.entries ?? [];
  const total = page?.total ?? 0;
  const filtered = appliedQuery !== '' || accountId !== '' || kind !== '' || result !== '';

  return (
    <>
      <div className="dialog__body activity">
        <div className="activity__filters" role="search" aria-label="Search and filter the activity log">
          <div className="activity__field activity__field--search">
            <label htmlFor={`${id}-query`} className="form-label">
              Search
            </label>
            <input
              id={`${id}-query`}
              className="input"
              type="search"
              data-autofocus
              placeholder="Names, buckets, errors…"
              value={query}
              maxLength={200}
              onChange={(event) => {
                setQuery(event.target.value);
                setLimit(PAGE);
              }}
            />
          </div>
          <div className="activity__field">
            <label htmlFor={`${id}-account`} className="form-label">
              Account
            </label>
            <select
              id={`${id}-account`}
              className="input select"
              value={accountId}
              onChange={(event) => {
                setAccountId(event.target.value);
                setLimit(PAGE);
              }}
            >
              <option value="">All accounts</option>
              {(page?.accounts ?? []).map((account) => (
                <option key={account.id} value={account.id}>
                  {account.name}
                </option>
              ))}
            </select>
          </div>
          <div className="activity__field">
            <label htmlFor={`${id}-kind`} className="form-label">
              Kind
            </label>
            <select
              id={`${id}-kind`}
              className="input select"
              value={kind}
              onChange={(event) => {
                setKind(event.target.value as ActivityKind | '');
                setLimit(PAGE);
              }}
            >
              <option value="">All kinds</option>
              {activityKinds.map((value) => (
                <option key={value} value={value}>
                  {activityKindLabels[value]}
                </option>
              ))}
            </select>
          </div>
          <div className="activity__field">
            <label htmlFor={`${id}-result`} className="form-label">
              Result
            </label>
            <select
              id={`${id}-result`}
              className="input select"
              value={result}
              onChange={(event) => {
                setResult(event.target.value as ActivityResult | '');
                setLimit(PAGE);
              }}
            >
              <option value="">Any result</option>
              {activityResults.map((value) => (
                <option key={value} value={value}>
                  {resultLabels[value]}
                </option>
              ))}
            </select>
          </div>
        </div>
        <p className="activity__count" role="status">
          {page === null
            ? 'Loading…'
            : total === 0
              ? filtered
                ? 'No entries match.'
                : 'Nothing recorded yet.'
              : `${total.toLocaleString()} ${total === 1 ? 'entry' : 'entries'}${filtered ? ' match' : ''}`}
        </p>
        {error ? (
          <p role="alert" className="inline-error">
            {error.message}
          </p>
        ) : null}
        {entries.length > 0 ? (
          <table className="activity__table">
            <caption className="visually-hidden">Activity, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Account</th>
                <th scope="col">What</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-result={entry.result}>
                  <td className="activity__time">
                    <time dateTime={entry.at}>{entryTime(entry)}</time>
                  </td>
                  <td>{entry.accountName ?? '—'}</td>
                  <td className="activity__what">{entry.what}</td>
                  <td className="activity__result">
                    {entry.result === 'failed' ? <Icon name="alert" /> : null}
                    {entryResult(entry)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {entries.length < total && limit < MOST_SHOWN ? (
          <button
            type="button"
            className="button button--small activity__more"
            onClick={() => setLimit((n) => Math.min(n + PAGE, MOST_SHOWN))}
          >
            Show {Math.min(PAGE, total - entries.length).toLocaleString()} more
          </button>
        ) : null}
        {entries.length < total && limit >= MOST_SHOWN ? (
          <p className="field-hint">
            The newest {MOST_SHOWN.toLocaleString()} are shown; an export holds every entry that matches.
          </p>
        ) : null}
      </div>
      <div className="dialog__footer">
        <div className="dialog__actions">
          <button
            type="button"
            className="button"
            aria-disabled={exporting || total === 0 || undefined}
            onClick={() => (exporting || total === 0 ? undefined : void exportAs('csv'))}
          >
            <Icon name="download" />
            Export CSV
          </button>
          <button
            type="button"
            className="button"
            aria-disabled={exporting || total === 0 || undefined}
            onClick={() => (exporting || total === 0 ? undefined : void exportAs('json'))}
          >
            <Icon name="download" />
            Export JSON
          </button>
          <button
            type="button"
            className="button"
            aria-disabled={total === 0 || undefined}
            onClick={() => (total === 0 ? undefined : setClearing(true))}
          >
            Clear log…
          </button>
          <button type="button" className="button button--primary" onClick={onClose}>
            Done
          </button>
        </div>
      </div>
      <ConfirmDialog open={clearing} onClose={() => setClearing(false)} title="Clear the activity log?">
        <ClearLogBody onDone={() => setClearing(false)} />
      </ConfirmDialog>
    </>
  );
}

/** The question before the whole log is emptied: what goes, and that an export keeps it. */
function ClearLogBody({ onDone }: { onDone: () => void }) {
  const { busy, error, run } = useDialogAction();
  return (
    <>
      <div className="dialog__body">
        <p className="dialog__text">
          Every entry is removed from this computer, whatever the search and filters show. Export the log first to keep
          a copy. The clearing itself is then the log’s first entry.
        </p>
        <DialogError error={error} />
      </div>
      <ConfirmButtons
        busy={busy}
        label="Clear log"
        busyLabel="Clearing…"
        onConfirm={() =>
          void run(
            () => api.activity.clear({}),
            ({ cleared }) => {
              notify(
                `Cleared ${cleared.toLocaleString()} ${cleared === 1 ? 'entry' : 'entries'} from the activity log`,
                'success',
              );
              onDone();
            },
          )
        }
      />
    </>
  );
}
