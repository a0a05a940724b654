import { useCallback, useEffect, useRef, useState, type UIEvent } from 'react';
import type { AppError } from '../../../shared/errors';
import type { SyncPair, SyncPreviewSummary, SyncRow, SyncRunStarted, SyncSpec } from '../../../shared/sync';
import { api } from '../../api';
import { DialogError } from '../../components/dialog-parts';
import { CheckboxField, SelectField, TextField } from '../../components/form-field';
import { Icon } from '../../components/icon';
import type { BrowserLocation } from '../../stores/selection-slice';
import { FormDialog } from '../browser/dialog-frame';
import { formatSize } from '../browser/format';
import { formatLocation } from '../browser/parse-location';
import { actionWords, describeSpec, totalsText } from './sync-words';

/** Rows in the table are this tall (px): the window of rows drawn follows from scrollTop by arithmetic. */
const ROW_HEIGHT = 30;
/** Rows drawn above and below the ones in view. */
const OVERSCAN = 10;
/** Rows asked for at a time. */
const PAGE = 200;

type Stage =
  | { step: 'form' }
  | { step: 'comparing'; previewId: string; compared: number }
  | { step: 'preview'; summary: SyncPreviewSummary }
  | { step: 'started'; started: SyncRunStarted };

/** "Sync…": compare a local folder with the folder shown, preview what would change, then run it. */
export function SyncDialog({ location, onClose }: { location: BrowserLocation | null; onClose: () => void }) {
  return (
    <FormDialog
      open={location !== null}
      onClose={onClose}
      size="wide"
      title="Sync a folder"
      description={location ? formatLocation(location.bucket, location.prefix) : ''}
    >
      {location ? <SyncBody location={location} onClose={onClose} /> : null}
    </FormDialog>
  );
}

function SyncBody({ location, onClose }: { location: BrowserLocation; onClose: () => void }) {
  const [localDir, setLocalDir] = useState('');
  const [direction, setDirection] = useState<SyncSpec['direction']>('upload');
  const [mode, setMode] = useState<SyncSpec['mode']>('mirror');
  const [deletes, setDeletes] = useState(false);
  const [pairName, setPairName] = useState('');
  const [pairs, setPairs] = useState<SyncPair[]>([]);
  const [stage, setStage] = useState<Stage>({ step: 'form' });
  const [error, setError] = useState<AppError | null>(null);
  const [note, setNote] = useState('');
  const stageRef = useRef(stage);
  useEffect(() => {
    stageRef.current = stage;
  }, [stage]);

  const loadPairs = useCallback(async () => {
    const result = await api.sync.pairs({});
    if (result.ok) setPairs(result.value);
  }, []);

  useEffect(() => {
    void api.sync.pairs({}).then((result) => {
      if (result.ok) setPairs(result.value);
    });
    void api.transfers.defaultDownloadDir({}).then((result) => {
      if (result.ok) setLocalDir((current) => current || result.value.path);
    });
  }, []);

  useEffect(
    () =>
      api.sync.onProgress(({ previewId, compared }) => {
        const current = stageRef.current;
        if (current.step === 'comparing' && current.previewId === previewId) setStage({ ...current, compared });
      }),
    [],
  );

  // A preview not run is forgotten when the dialog goes.
  useEffect(
    () => () => {
      const current = stageRef.current;
      if (current.step === 'preview') void api.sync.discardPreview({ previewId: current.summary.previewId });
      if (current.step === 'comparing') void api.sync.cancelPreview({ previewId: current.previewId });
    },
    [],
  );

  const spec: SyncSpec = {
    accountId: location.accountId,
    bucket: location.bucket,
    prefix: location.prefix,
    localDir: localDir.trim(),
    direction,
    mode,
    deletes: mode === 'mirror' && deletes,
  };

  const compare = async (wanted: SyncSpec) => {
    setError(null);
    setNote('');
    const previewId = crypto.randomUUID();
    setStage({ step: 'comparing', previewId, compared: 0 });
    const result = await api.sync.preview({ previewId, spec: wanted });
    if (stageRef.current.step !== 'comparing') return;
    if (result.ok) setStage({ step: 'preview', summary: result.value });
    else {
      setError(result.error);
      setStage({ step: 'form' });
    }
  };

  const choose = async () => {
    const result = await api.transfers.chooseFolder({});
    if (!result.ok) setError(result.error);
    else if (!result.value.supported) setNote('Type the folder’s full path: this page cannot open a folder picker.');
    else if (result.value.path) setLocalDir(result.value.path);
  };

  const savePair = async () => {
    setError(null);
    const result = await api.sync.savePair({ name: pairName.trim() || describeSpec(spec), spec });
    if (!result.ok) setError(result.error);
    else {
      setNote(`Saved “${result.value.name}”.`);
      setPairName('');
      await loadPairs();
    }
  };

  const runPair = (pair: SyncPair) => {
    setLocalDir(pair.spec.localDir);
    setDirection(pair.spec.direction);
    setMode(pair.spec.mode);
    setDeletes(pair.spec.deletes);
    void compare(pair.spec);
  };

  if (stage.step === 'comparing') {
    return (
      <>
        <div className="dialog__body">
          <p role="status" className="empty-state">
            <Icon name="spinner" className="icon--spin" /> Comparing… {stage.compared.toLocaleString()} paths so far
          </p>
        </div>
        <div className="dialog__footer">
          <div className="dialog__actions">
            <button
              type="button"
              className="button"
              onClick={() => {
                void api.sync.cancelPreview({ previewId: stage.previewId });
                setStage({ step: 'form' });
              }}
            >
              Stop comparing
            </button>
          </div>
        </div>
      </>
    );
  }

  if (stage.step === 'preview') {
    return (
      <SyncPreview
        summary={stage.summary}
        onBack={() => {
          void api.sync.discardPreview({ previewId: stage.summary.previewId });
          setStage({ step: 'form' });
        }}
        onStarted={(started) => setStage({ step: 'started', started })}
      />
    );
  }

  if (stage.step === 'started') {
    const { started } = stage;
    return (
      <>
        <div className="dialog__body">
          <p role="status" className="callout">
            <Icon name="info" />
            <span>
              Sync started: {started.transfers.toLocaleString()} {started.transfers === 1 ? 'file' : 'files'} to copy
              {started.deletes > 0 ? `, ${started.deletes.toLocaleString()} to delete` : ''}. Follow it in the transfers
              panel; pause, cancel and retry work there, and it goes on after a restart.
            </span>
          </p>
        </div>
        <div className="dialog__footer">
          <div className="dialog__actions">
            <button type="button" className="button button--primary" data-autofocus onClick={onClose}>
              Close
            </button>
          </div>
        </div>
      </>
    );
  }

  return (
    <form
      className="dialog__form"
      onSubmit={(event) => {
        event.preventDefault();
        void compare(spec);
      }}
    >
      <div className="dialog__body">
        <div className="form-grid">
          <TextField
            label="Local folder"
            value={localDir}
            onValueChange={setLocalDir}
            data-autofocus
            hint="Its full path. In web mode it must be inside the downloads folder."
          />
          <span />
          <div className="form-control">
            <button type="button" className="button" onClick={() => void choose()}>
              Choose folder…
            </button>
          </div>
          <SelectField
            label="Direction"
            value={direction}
            onValueChange={(value) => setDirection(value as SyncSpec['direction'])}
          >
            <option value="upload">Upload: local folder to the bucket</option>
            <option value="download">Download: bucket to the local folder</option>
          </SelectField>
          <SelectField
            label="Mode"
            value={mode}
            onValueChange={(value) => setMode(value as SyncSpec['mode'])}
            hint={
              mode === 'mirror'
                ? 'Makes the other side like this one.'
                : 'Copies what is new or changed; never deletes.'
            }
          >
            <option value="mirror">Mirror</option>
            <option value="update">Update only</option>
          </SelectField>
          <span />
          <CheckboxField
            label="Delete what is not in the source"
            checked={mode === 'mirror' && deletes}
            disabled={mode !== 'mirror'}
            onCheckedChange={setDeletes}
            hint="Listed for you to check first. Local files only ever go to the trash."
          />
          <TextField
            label="Pair name"
            value={pairName}
            onValueChange={setPairName}
            hint="To save this sync and run it again."
          />
        </div>
        {pairs.length > 0 ? (
          <section className="form-section" aria-labelledby="sync-pairs-title">
            <h3 id="sync-pairs-title" className="sync-heading">
              Saved syncs
            </h3>
            <ul className="sync-pairs">
              {pairs.map((pair) => (
                <li key={pair.id} className="sync-pairs__item">
                  <span className="sync-pairs__name">{pair.name}</span>
                  <span className="sync-pairs__what">
                    {describeSpec(pair.spec)}
                    {pair.lastRunAt ? ` · last run ${new Date(pair.lastRunAt).toLocaleString()}` : ''}
                  </span>
                  <button
                    type="button"
                    className="button"
                    aria-label={`Run ${pair.name}`}
                    onClick={() => runPair(pair)}
                  >
                    Run
                  </button>
                  <button
                    type="button"
                    className="button"
                    aria-label={`Remove ${pair.name}`}
                    onClick={() => void api.sync.removePair({ id: pair.id }).then(loadPairs)}
                  >
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {note ? (
          <p role="status" className="field-hint">
            {note}
          </p>
        ) : null}
        <DialogError error={error} />
      </div>
      <div className="dialog__footer">
        <div className="dialog__actions">
          <button type="button" className="button" onClick={() => void savePair()} disabled={spec.localDir === ''}>
            Save pair
          </button>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={spec.localDir === ''}>
            Compare
          </button>
        </div>
      </div>
    </form>
  );
}

/** The preview: totals, conflicts apart, every row in a windowed table with its tick box, then Run. */
function SyncPreview({
  summary,
  onBack,
  onStarted,
}: {
  summary: SyncPreviewSummary;
  onBack: () => void;
  onStarted: (started: SyncRunStarted) => void;
}) {
  const [toggled, setToggled] = useState<ReadonlySet<number>>(new Set());
  const [error, setError] = useState<AppError | null>(null);
  const [running, setRunning] = useState(false);
  const [conflicts, setConflicts] = useState<SyncRow[]>([]);
  const toggle = (index: number) =>
    setToggled((current) => {
      const next = new Set(current);
      if (next.has(index)) next.delete(index);
      else next.add(index);
      return next;
    });

  useEffect(() => {
    if (summary.totals.conflict.count === 0) return;
    void api.sync
      .previewRows({ previewId: summary.previewId, offset: 0, limit: 200, conflictsOnly: true })
      .then((result) => {
        if (result.ok) setConflicts(result.value.rows);
      });
  }, [summary]);

  const run = async () => {
    setRunning(true);
    setError(null);
    const result = await api.sync.run({ previewId: summary.previewId, toggled: [...toggled] });
    setRunning(false);
    if (result.ok) onStarted(result.value);
    else setError(result.error);
  };

  return (
    <>
      <div className="dialog__body sync-preview">
        <p className="sync-preview__totals" role="status">
          {totalsText(summary)}
        </p>
        {!summary.baseline ? (
          <p className="callout">
            <Icon name="info" />
            <span>
              No earlier sync of these folders: where both sides differ, the newer source copy replaces; a target as new
              or newer is a conflict.
            </span>
          </p>
        ) : null}
        {conflicts.length > 0 ? (
          <section aria-labelledby="sync-conflicts-title" className="sync-conflicts">
            <h3 id="sync-conflicts-title" className="sync-heading">
              Conflicts ({summary.totals.conflict.count.toLocaleString()})
            </h3>
            <p className="field-hint">
              Both sides differ and the app cannot tell which to keep. Tick one to copy the source over the target.
            </p>
            <ul className="sync-conflicts__list">
              {conflicts.map((row) => (
                <li key={row.index} className="check">
                  <input
                    type="checkbox"
                    id={`sync-conflict-${row.index}`}
                    checked={row.ticked !== toggled.has(row.index)}
                    onChange={() => toggle(row.index)}
                  />
                  <label htmlFor={`sync-conflict-${row.index}`}>
                    {row.path}: {row.reason}
                  </label>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {summary.rows > 0 ? (
          <RowTable summary={summary} toggled={toggled} onToggle={toggle} />
        ) : (
          <p className="empty-state">Nothing to do: both sides are the same.</p>
        )}
        <DialogError error={error} />
      </div>
      <div className="dialog__footer">
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onBack}>
            Back
          </button>
          <button
            type="button"
            className="button button--primary"
            data-autofocus
            disabled={running}
            onClick={() => void run()}
          >
            Run sync
          </button>
        </div>
      </div>
    </>
  );
}

/** Every row of the preview, drawn only where in view and read from main a page at a time. */
function RowTable({
  summary,
  toggled,
  onToggle,
}: {
  summary: SyncPreviewSummary;
  toggled: ReadonlySet<number>;
  onToggle: (index: number) => void;
}) {
  const [rows, setRows] = useState<Map<number, SyncRow>>(new Map());
  const [scrollTop, setScrollTop] = useState(0);
  const asked = useRef(new Set<number>());
  const viewHeight = 300;
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(summary.rows, Math.ceil((scrollTop + viewHeight) / ROW_HEIGHT) + OVERSCAN);

  useEffect(() => {
    for (let page = Math.floor(first / PAGE) * PAGE; page < last; page += PAGE) {
      if (asked.current.has(page)) continue;
      asked.current.add(page);
      void api.sync.previewRows({ previewId: summary.previewId, offset: page, limit: PAGE }).then((result) => {
        if (!result.ok) return;
        setRows((current) => {
          const next = new Map(current);
          for (const row of result.value.rows) next.set(row.index, row);
          return next;
        });
      });
    }
  }, [first, last, summary.previewId]);

  const shown: number[] = [];
  for (let index = first; index < last; index += 1) shown.push(index);
  return (
    <div
      className="sync-table"
      role="region"
      aria-label="Preview rows"
      tabIndex={0}
      style={{ height: viewHeight }}
      onScroll={(event: UIEvent<HTMLDivElement>) => setScrollTop(event.currentTarget.scrollTop)}
    >
      <table aria-label="What the sync will do" aria-rowcount={summary.rows + 1}>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col">Run</th>
            <th scope="col">Action</th>
            <th scope="col">Path</th>
            <th scope="col">Why</th>
            <th scope="col">Local</th>
            <th scope="col">Bucket</th>
          </tr>
        </thead>
        <tbody>
          <tr aria-hidden="true" style={{ height: first * ROW_HEIGHT }} />
          {shown.map((index) => {
            const row = rows.get(index);
            return (
              <tr key={index} aria-rowindex={index + 2} style={{ height: ROW_HEIGHT }}>
                {row ? (
                  <>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Run: ${actionWords[row.action]} ${row.path}`}
                        checked={row.tickable && row.ticked !== toggled.has(index)}
                        disabled={!row.tickable}
                        onChange={() => onToggle(index)}
                      />
                    </td>
                    <td>{actionWords[row.action]}</td>
                    <td className="sync-table__path">{row.path}</td>
                    <td>{row.reason}</td>
                    <td>{sideText(row.local)}</td>
                    <td>{sideText(row.remote)}</td>
                  </>
                ) : (
                  <td colSpan={6}>Loading…</td>
                )}
              </tr>
            );
          })}
          <tr aria-hidden="true" style={{ height: (summary.rows - last) * ROW_HEIGHT }} />
        </tbody>
      </table>
    </div>
  );
}

function sideText(side: SyncRow['local']): string {
  if (!side) return '—';
  const parts = [formatSize(side.size), new Date(side.modified).toLocaleString()];
  if (side.md5) parts.push(`MD5 ${side.md5.slice(0, 8)}…`);
  else if (side.etag) parts.push(`ETag ${side.etag.slice(0, 8)}…`);
  return parts.join(' · ');
}
