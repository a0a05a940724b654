import { useEffect, useState, type FormEvent } from 'react';
import type { AppError } from '../../../shared/errors';
import { lastSegment } from '../../../shared/names';
import { api } from '../../api';
import { DialogError, FormButtons } from '../../components/dialog-parts';
import { SelectField, TextField } from '../../components/form-field';
import { useAppStore } from '../../stores/app-store';
import { locationName, type ConflictChoice, type TransferDialog } from '../../stores/transfers-slice';
import { FormDialog } from '../browser/dialog-frame';
import { countOf } from '../browser/format';
import { desktopFiles } from './local-files';

type DownloadRequest = Extract<TransferDialog, { kind: 'download' }>;

/** "Download…": where to (the Downloads folder unless chosen), and what to do with names that exist there. */
export function DownloadDialog({ request, onClose }: { request: DownloadRequest | null; onClose: () => void }) {
  const keys = request?.keys ?? [];
  const what = keys.length === 1 ? `“${lastSegment(keys[0] ?? '').replace(/\/$/, '')}”` : countOf(keys.length, 'item');
  return (
    <FormDialog
      open={request !== null}
      onClose={onClose}
      title="Download"
      description={
        request
          ? `Download ${what}${request.versionId ? ' (an earlier version)' : ''} from ${locationName(request.location)}`
          : ''
      }
    >
      {request ? <DownloadForm request={request} onClose={onClose} /> : null}
    </FormDialog>
  );
}

function DownloadForm({ request, onClose }: { request: DownloadRequest; onClose: () => void }) {
  const startDownload = useAppStore((s) => s.startDownload);
  const desktop = desktopFiles() !== null;
  const [folder, setFolder] = useState('');
  const [touched, setTouched] = useState(false);
  const [onConflict, setOnConflict] = useState<ConflictChoice>('keep-both');
  const [busy, setBusy] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  // In web mode, downloads must stay inside this folder (main refuses others); null elsewhere.
  const [confinedTo, setConfinedTo] = useState<string | null>(null);

  // The Downloads folder, unless the person typed something first.
  useEffect(() => {
    let current = true;
    void api.transfers.defaultDownloadDir({}).then((result) => {
      if (current && result.ok) setFolder((typed) => (typed === '' ? result.value.path : typed));
    });
    void api.transfers.downloadsRoot({}).then((result) => {
      if (current && result.ok && result.value.confined) setConfinedTo(result.value.path);
    });
    return () => {
      current = false;
    };
  }, []);

  const problem = folder.trim() === '' ? 'Choose a folder to download to.' : null;

  async function choose(): Promise<void> {
    const result = await api.transfers.chooseFolder({});
    if (!result.ok) setError(result.error);
    else if (result.value.path) {
      setFolder(result.value.path);
      setTouched(true);
    }
  }

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    setAttempted(true);
    if (busy || problem) return;
    setBusy(true);
    setError(null);
    const result = await startDownload(request.location, request.keys, folder.trim(), onConflict, request.versionId);
    setBusy(false);
    if (!result.ok) setError(result.error);
  }

  return (
    <form className="dialog__form" noValidate onSubmit={(event) => void submit(event)}>
      <div className="dialog__body">
        <div className="form-grid">
          <TextField
            label="Download to"
            data-autofocus
            autoComplete="off"
            value={folder}
            error={attempted || touched ? (problem ?? undefined) : undefined}
            hint={
              confinedTo !== null
                ? `A folder inside ${confinedTo}, on the computer that runs the app: web mode writes nowhere else. Folders keep their structure inside it.`
                : desktop
                  ? 'Folders keep their structure inside this folder.'
                  : 'A folder on the computer that runs the app. Folders keep their structure inside it.'
            }
            onValueChange={(value) => {
              setFolder(value);
              setTouched(true);
              setError(null);
            }}
          />
          {desktop ? (
            <>
              <span className="form-label" aria-hidden="true" />
              <div className="form-control">
                <button type="button" className="button button--small" onClick={() => void choose()}>
                  Choose…
                </button>
              </div>
            </>
          ) : null}
          <SelectField
            label="If a file exists"
            value={onConflict}
            onValueChange={(value) => setOnConflict(value as ConflictChoice)}
          >
            <option value="keep-both">Keep both (number the new file)</option>
            <option value="replace">Replace it</option>
            <option value="skip">Skip it</option>
          </SelectField>
        </div>
        <DialogError error={error} />
      </div>
      <FormButtons busy={busy} label="Download" busyLabel="Starting…" onCancel={onClose} />
    </form>
  );
}
