import { useId, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { DropBoxCors, DropBoxLink } from '../../../shared/share';
import { DialogError, useDialogAction } from '../../components/dialog-parts';
import { Icon } from '../../components/icon';
import { notify, useAppStore } from '../../stores/app-store';
import type { BrowserLocation } from '../../stores/selection-slice';
import { FormDialog } from '../browser/dialog-frame';
import { formatLocation } from '../browser/parse-location';
import { copyText } from './clipboard';
import { defaultExpiryChoice, expiryOf, type ExpiryChoice } from './expiry';
import { ExpiryChooser } from './expiry-chooser';
import { ExpiryTime } from './link-card';
import { sizeLimitOf, type SizeUnit } from './link-text';
import { SizeLimitField } from './size-limit-field';
import { useNow } from './use-now';

/** What the dialog is about, in a title: the folder's name, or the bucket's. */
function subjectOf(location: BrowserLocation): string {
  const trimmed = location.prefix.replace(/\/$/, '');
  return trimmed === '' ? location.bucket : trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** The drop box dialog, mounted once at the root; the store says when it is open and for which folder. */
export function DropBoxDialogs() {
  const { location, close } = useAppStore(useShallow((s) => ({ location: s.dropBoxDialog, close: s.closeDropBox })));
  return (
    <FormDialog
      open={location !== null}
      onClose={close}
      size="share"
      title={location ? `Drop box for “${subjectOf(location)}”` : 'Drop box'}
      description={
        location
          ? `An upload page for ${formatLocation(location.bucket, location.prefix)}: anyone who has it can upload files there, without an account, until it expires.`
          : ''
      }
    >
      {location ? <DropBoxBody key={JSON.stringify(location)} location={location} onClose={close} /> : null}
    </FormDialog>
  );
}

/** Downloads text as a file in the browser (web mode's "Save page…"). */
function downloadText(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/html;charset=utf-8' }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  // Revoked after the browser took it: a download starts asynchronously.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function DropBoxBody({ location, onClose }: { location: BrowserLocation; onClose: () => void }) {
  const createDropBox = useAppStore((s) => s.createDropBox);
  const id = useId();
  const [amount, setAmount] = useState('100');
  const [unit, setUnit] = useState<SizeUnit>('MiB');
  const [expiry, setExpiry] = useState<ExpiryChoice>(defaultExpiryChoice);
  const [made, setMade] = useState<DropBoxLink | null>(null);
  const { busy, error, run } = useDialogAction();
  const size = sizeLimitOf(amount, unit);
  const lifetime = expiryOf(expiry);
  const blocked = busy || size.bytes === null || lifetime.seconds === null;

  function submit(event: FormEvent): void {
    event.preventDefault();
    if (size.bytes === null || lifetime.seconds === null) return;
    const bytes = size.bytes;
    const seconds = lifetime.seconds;
    setMade(null);
    void run(() => createDropBox(location, bytes, seconds), setMade);
  }

  return (
    <>
      <div className="dialog__body drop-box">
        <form noValidate onSubmit={submit} aria-label="Drop box settings">
          <div className="form-grid">
            <SizeLimitField
              id={`${id}-size`}
              label="Largest file"
              unitLabel="Unit of the largest file"
              amount={amount}
              unit={unit}
              onAmountChange={setAmount}
              onUnitChange={setUnit}
              error={size.error}
              hint="The storage refuses larger files, and the page says so."
              autoFocus
            />
            <ExpiryChooser value={expiry} onChange={setExpiry} />
          </div>
          <DialogError error={error} />
          <div className="share-form__actions">
            <button type="submit" className="button button--primary" aria-disabled={blocked || undefined}>
              <Icon name="upload" />
              {busy ? 'Making the page…' : 'Make upload page'}
            </button>
          </div>
        </form>
        {made ? <DropBoxResult link={made} location={location} /> : null}
      </div>
      <div className="dialog__footer">
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            Done
          </button>
        </div>
      </div>
    </>
  );
}

/** The page just made: how to hand it over (save, copy as a link) and whether the bucket lets it upload. */
function DropBoxResult({ link, location }: { link: DropBoxLink; location: BrowserLocation }) {
  const saveDropBoxPage = useAppStore((s) => s.saveDropBoxPage);
  const now = useNow();
  const headingId = useId();
  const noteId = useId();
  const desktop = window.api !== undefined;

  async function save(): Promise<void> {
    if (!desktop) {
      downloadText(link.page.html, link.page.fileName);
      notify(`Downloading ${link.page.fileName}`, 'success');
      return;
    }
    const result = await saveDropBoxPage(link.id);
    if (!result.ok) notify(result.error.message, 'error');
    else if (result.value.saved !== null) notify(`Saved ${result.value.saved}`, 'success');
  }

  return (
    <section className="share-results" aria-labelledby={headingId}>
      <h3 id={headingId} className="share-section__title">
        Upload page ready
      </h3>
      <p className="share-section__text">
        Works until <ExpiryTime iso={link.expiresAt} now={now} />. Send the page to the people who should upload: they
        open it in any browser.
      </p>
      <ul className="drop-box__notes">
        {link.notes.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ul>
      <div className="drop-box__actions">
        <button type="button" className="button button--primary" onClick={() => void save()}>
          <Icon name="download" />
          Save page…
        </button>
        <button
          type="button"
          className="button"
          aria-disabled={link.dataUrl === null || undefined}
          aria-describedby={noteId}
          onClick={() => (link.dataUrl === null ? undefined : void copyText(link.dataUrl, 'Page link copied'))}
        >
          <Icon name="copy" />
          Copy link
        </button>
      </div>
      <p id={noteId} className="field-hint">
        {link.dataUrlNote}
      </p>
      <CorsStatus initial={link.cors} location={location} />
    </section>
  );
}

/** Whether the bucket's CORS lets the page upload, and (with a confirmation naming the rule) adding the rule it needs. */
function CorsStatus({ initial, location }: { initial: DropBoxCors; location: BrowserLocation }) {
  const allowDropBoxCors = useAppStore((s) => s.allowDropBoxCors);
  const [cors, setCors] = useState(initial);
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useDialogAction();
  const ruleId = useId();

  if (cors.state === 'allowed') {
    return (
      <p className="callout drop-box__ok" role="status">
        <Icon name="success" />
        <span>{cors.text}</span>
      </p>
    );
  }
  return (
    <div className={`callout ${cors.state === 'blocked' ? 'callout--warning' : 'callout--note'}`} role="status">
      <Icon name="alert" />
      <div className="callout__body">
        <span>{cors.text}</span>
        {cors.cannotAddReason ? <span>{cors.cannotAddReason}</span> : null}
        {cors.canAddRule && !confirming ? (
          <button type="button" className="button button--small" onClick={() => setConfirming(true)}>
            Add CORS rule…
          </button>
        ) : null}
        {cors.canAddRule && confirming ? (
          <div role="group" aria-label="Add the CORS rule" className="drop-box__confirm">
            <p id={ruleId}>
              The app will add to the bucket {location.bucket}: {cors.rule}
            </p>
            <div className="drop-box__actions">
              <button
                type="button"
                className="button button--small"
                aria-describedby={ruleId}
                aria-disabled={busy || undefined}
                onClick={() =>
                  void run(
                    () => allowDropBoxCors(location),
                    (next) => {
                      setCors(next);
                      setConfirming(false);
                    },
                  )
                }
              >
                {busy ? 'Adding the rule…' : 'Add this rule'}
              </button>
              <button type="button" className="button button--small" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </div>
          </div>
        ) : null}
        <DialogError error={error} />
      </div>
    </div>
  );
}
