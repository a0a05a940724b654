import { useEffect, useState, type FormEvent } from 'react';
import type { AppError } from '../../../shared/errors';
import type { DownloadsRoot, TransferSettings } from '../../../shared/transfers';
import { api } from '../../api';
import { DialogError, FormButtons } from '../../components/dialog-parts';
import { TextField } from '../../components/form-field';
import { Icon } from '../../components/icon';
import { notify } from '../../stores/app-store';
import { FormDialog } from '../browser/dialog-frame';
import { UpdateSettingField } from '../updates/update-setting';
import { settingsDraft, settingsFrom, type TransferSettingsDraft } from './upload-options';

const fields: Array<{ key: keyof TransferSettings; label: string; hint: string }> = [
  { key: 'multipartThresholdMiB', label: 'Multipart above (MiB)', hint: 'Larger files are sent in parts.' },
  {
    key: 'partSizeMiB',
    label: 'Part size (MiB)',
    hint: '5 MiB to 5 GiB; grows by itself for huge files (S3 allows 10,000 parts).',
  },
  { key: 'partsInParallel', label: 'Parts in parallel', hint: 'Per file. Memory is about part size × this.' },
  {
    key: 'filesInParallel',
    label: 'Files in parallel',
    hint: 'Large files, across the whole queue. Small files (one request each) run 4 times as many, at least 64, and up to 256 when the service is far away.',
  },
  { key: 'maxRetries', label: 'Retries', hint: 'After a network error, a 5xx or throttling, before a file fails.' },
];

/** Settings → Transfers: part size and concurrency, checked as typed with the schema main applies. */
export function TransferSettingsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <FormDialog
      open={open}
      onClose={onClose}
      title="Transfer settings"
      description="How uploads and downloads use the network."
    >
      {open ? <SettingsForm onClose={onClose} /> : null}
    </FormDialog>
  );
}

type Loaded = { status: 'loading' } | { status: 'ready' } | { status: 'error'; error: AppError };

function SettingsForm({ onClose }: { onClose: () => void }) {
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [draft, setDraft] = useState<TransferSettingsDraft | null>(null);
  const [touched, setTouched] = useState<Partial<Record<keyof TransferSettings, true>>>({});
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    let current = true;
    void api.transfers.settings({}).then((result) => {
      if (!current) return;
      if (result.ok) {
        setDraft(settingsDraft(result.value));
        setLoaded({ status: 'ready' });
      } else {
        setLoaded({ status: 'error', error: result.error });
      }
    });
    return () => {
      current = false;
    };
  }, []);

  const checked = draft ? settingsFrom(draft) : null;
  const errors = checked && !checked.ok ? checked.errors : {};

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    setAttempted(true);
    if (busy || !checked?.ok) return;
    setBusy(true);
    setError(null);
    const result = await api.transfers.saveSettings({ settings: checked.settings });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    notify('Transfer settings saved.', 'success');
    onClose();
  }

  if (loaded.status !== 'ready' || !draft) {
    return (
      <div className="dialog__form">
        <div className="dialog__body">
          {loaded.status === 'error' ? (
            <DialogError error={loaded.error} />
          ) : (
            <p className="dialog__text" role="status">
              <Icon name="spinner" className="icon--spin" /> Loading…
            </p>
          )}
        </div>
        <div className="dialog__footer">
          <div className="dialog__actions">
            <button type="button" className="button" onClick={onClose}>
              Close
            </button>
          </div>
        </div>
      </div>
    );
  }

  return (
    <form className="dialog__form" noValidate onSubmit={(event) => void submit(event)}>
      <div className="dialog__body">
        <div className="form-grid form-grid--settings">
          {fields.map((field, index) => (
            <TextField
              key={field.key}
              label={field.label}
              inputMode="numeric"
              autoComplete="off"
              {...(index === 0 ? { 'data-autofocus': true } : {})}
              value={draft[field.key]}
              hint={field.hint}
              error={attempted || touched[field.key] ? errors[field.key] : undefined}
              onValueChange={(value) => {
                setDraft({ ...draft, [field.key]: value });
                setTouched({ ...touched, [field.key]: true });
              }}
            />
          ))}
        </div>
        <DownloadsRootField onError={setError} />
        <UpdateSettingField onError={setError} />
        <DialogError error={error} />
      </div>
      <FormButtons busy={busy} label="Save" busyLabel="Saving…" onCancel={onClose} />
    </form>
  );
}

/**
 * The downloads root: the folder a browser (web mode) may download into. Shown everywhere,
 * changed only in the desktop app with its folder picker (main refuses it from a browser), and
 * saved at once, apart from the form.
 */
function DownloadsRootField({ onError }: { onError: (error: AppError | null) => void }) {
  const [root, setRoot] = useState<DownloadsRoot | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    void api.transfers.downloadsRoot({}).then((result) => {
      if (current && result.ok) setRoot(result.value);
    });
    return () => {
      current = false;
    };
  }, []);

  async function change(reset: boolean): Promise<void> {
    setBusy(true);
    onError(null);
    const result = await api.transfers.chooseDownloadsRoot(reset ? { reset: true } : {});
    setBusy(false);
    if (result.ok) setRoot(result.value);
    else onError(result.error);
  }

  if (!root) return null;
  return (
    <div className="form-grid form-grid--settings">
      <span className="form-label">Web mode downloads</span>
      <div className="form-control">
        <p className="dialog__text">{root.path}</p>
        {root.changeable ? (
          <div className="dialog__actions">
            <button type="button" className="button button--small" disabled={busy} onClick={() => void change(false)}>
              Choose…
            </button>
            {root.chosen ? (
              <button type="button" className="button button--small" disabled={busy} onClick={() => void change(true)}>
                Use the Downloads folder
              </button>
            ) : null}
          </div>
        ) : null}
        <p className="field-hint">
          {root.changeable
            ? 'A browser using web mode may download only into this folder.'
            : 'Downloads from this page go only into this folder. Only the desktop app changes it (or downloadsRoot in transfers-settings.json, in the data folder).'}
        </p>
      </div>
    </div>
  );
}
