import { Collapsible, Progress } from 'radix-ui';
import { useId, useRef, useState, type ChangeEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ServiceCapabilities } from '../../../shared/capabilities';
import { DialogError } from '../../components/dialog-parts';
import { SelectField, TextField } from '../../components/form-field';
import { Icon } from '../../components/icon';
import { KeyValueRows } from '../../components/key-value-rows';
import { useAppStore } from '../../stores/app-store';
import { locationName, type UploadFlow, type UploadOptions } from '../../stores/transfers-slice';
import { FormDialog } from '../browser/dialog-frame';
import { countOf, formatSize, formatStorageClass } from '../browser/format';
import {
  aclChoices,
  encryptionChoices,
  encryptionLabels,
  storageClassChoices,
  unavailableHint,
} from '../capabilities/capability-choices';
import { useBucketCapabilities } from '../capabilities/use-capabilities';
import { desktopFiles, pickFromInput } from './local-files';
import { conflictList } from './transfer-view';
import {
  defaultUploadOptions,
  uploadOptionProblems,
  uploadOptionsFrom,
  uploadOptionsUnavailable,
  type UploadOptionsDraft,
  type UploadOptionsField,
} from './upload-options';

const titles: Record<UploadFlow['step'], string> = {
  choose: 'Upload',
  preparing: 'Preparing files',
  checking: 'Upload',
  conflicts: 'Some names exist already',
  failed: 'The upload could not start',
};

/**
 * The upload's one dialog, through its steps: choose files or a folder (with options), watch the
 * files being handed to the app (web mode), answer replace / skip / keep both, or read why it
 * failed. A drop skips the first step; a drop in Electron without conflicts shows no dialog at all.
 */
export function UploadDialog() {
  const { flow, cancel } = useAppStore(useShallow((s) => ({ flow: s.uploadFlow, cancel: s.cancelUploadFlow })));
  const open = flow !== null && !(flow.step === 'checking' && !flow.fromPicker);
  const where = flow ? locationName(flow.location) : '';
  return (
    <FormDialog
      open={open}
      onClose={cancel}
      title={flow ? titles[flow.step] : 'Upload'}
      description={flow?.step === 'failed' ? `Nothing was queued for ${where}.` : `Upload to ${where}`}
    >
      {flow ? <UploadStep flow={flow} onCancel={cancel} /> : null}
    </FormDialog>
  );
}

function UploadStep({ flow, onCancel }: { flow: UploadFlow; onCancel: () => void }) {
  switch (flow.step) {
    case 'choose':
    case 'checking':
      return <ChooseStep flow={flow} onCancel={onCancel} />;
    case 'preparing':
      return <PreparingStep flow={flow} onCancel={onCancel} />;
    case 'conflicts':
      return <ConflictsStep flow={flow} onCancel={onCancel} />;
    case 'failed':
      return (
        <div className="dialog__form">
          <div className="dialog__body">
            <DialogError error={flow.error} />
          </div>
          <div className="dialog__footer">
            <div className="dialog__actions">
              <button type="button" className="button button--primary" data-autofocus autoFocus onClick={onCancel}>
                Close
              </button>
            </div>
          </div>
        </div>
      );
  }
}

/** The pickers: a labelled button opens each native picker (the inputs themselves stay out of sight). */
function ChooseStep({
  flow,
  onCancel,
}: {
  flow: Extract<UploadFlow, { step: 'choose' | 'checking' }>;
  onCancel: () => void;
}) {
  const uploadPicked = useAppStore((s) => s.uploadPicked);
  const model = useBucketCapabilities(flow.location.accountId, flow.location.bucket);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const unsupportedId = useId();
  const [draft, setDraft] = useState<UploadOptionsDraft>(defaultUploadOptions);
  const [optionsOpen, setOptionsOpen] = useState(false);
  const [showErrors, setShowErrors] = useState(false);
  const checked = uploadOptionsFrom(draft);
  // What the service lacks is a fact, not a typing slip: shown at once, not only after a try.
  const errors = { ...(showErrors && !checked.ok ? checked.errors : {}), ...uploadOptionProblems(model, draft) };
  // The last check before anything is queued, in the words main would refuse the options with.
  const unsupported = checked.ok ? uploadOptionsUnavailable(model, checked.options) : undefined;
  const busy = flow.step === 'checking';

  function pick(input: HTMLInputElement | null): void {
    if (busy) return;
    if (!checked.ok || unsupported !== undefined) {
      setShowErrors(true);
      setOptionsOpen(true);
      return;
    }
    input?.click();
  }

  function onPicked(event: ChangeEvent<HTMLInputElement>): void {
    const files = Array.from(event.currentTarget.files ?? []);
    // Cleared, so choosing the same files again is a change too.
    event.currentTarget.value = '';
    if (files.length === 0 || !checked.ok) return;
    const options: UploadOptions = checked.options;
    void uploadPicked(flow.location, pickFromInput(files, desktopFiles()), options, 'picker');
  }

  return (
    <div className="dialog__form">
      <div className="dialog__body">
        <p className="dialog__text">
          Choose files, or a folder to upload with everything in it. You can also drop them on the file list.
        </p>
        <div className="upload-pickers">
          <button
            type="button"
            className="button upload-pickers__button"
            data-autofocus
            autoFocus
            aria-disabled={busy || unsupported !== undefined || undefined}
            aria-describedby={unsupported !== undefined ? unsupportedId : undefined}
            onClick={() => pick(filesInput.current)}
          >
            <Icon name="file" />
            Files…
          </button>
          <button
            type="button"
            className="button upload-pickers__button"
            aria-disabled={busy || unsupported !== undefined || undefined}
            aria-describedby={unsupported !== undefined ? unsupportedId : undefined}
            onClick={() => pick(folderInput.current)}
          >
            <Icon name="folder" />
            Folder…
          </button>
          {busy ? (
            <span className="upload-pickers__busy" role="status">
              <Icon name="spinner" className="icon--spin" />
              Checking for names that exist…
            </span>
          ) : null}
          <input
            ref={filesInput}
            type="file"
            multiple
            className="upload-pickers__input"
            tabIndex={-1}
            aria-label="Files to upload"
            onChange={onPicked}
          />
          <input
            ref={(element) => {
              folderInput.current = element;
              // Not in React's attribute list; a folder picker in Chromium and Electron.
              element?.setAttribute('webkitdirectory', '');
            }}
            type="file"
            className="upload-pickers__input"
            tabIndex={-1}
            aria-label="Folder to upload"
            onChange={onPicked}
          />
        </div>
        {unsupported !== undefined ? (
          <p id={unsupportedId} className="callout callout--warning">
            <Icon name="info" />
            <span>{unsupported}</span>
          </p>
        ) : null}
        <Collapsible.Root open={optionsOpen} onOpenChange={setOptionsOpen} className="form-section">
          <Collapsible.Trigger className="disclosure">
            <Icon name="chevron-right" className="disclosure__icon" />
            Options
          </Collapsible.Trigger>
          <Collapsible.Content className="form-grid form-section__content">
            <UploadOptionsFields draft={draft} onChange={setDraft} errors={errors} model={model} />
          </Collapsible.Content>
        </Collapsible.Root>
      </div>
      <div className="dialog__footer">
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}

/**
 * Storage class, access, content type, metadata and encryption for the files about to be chosen.
 * Choices the bucket's service lacks are listed but disabled, and the field's hint says why.
 */
function UploadOptionsFields({
  draft,
  onChange,
  errors,
  model,
}: {
  draft: UploadOptionsDraft;
  onChange: (draft: UploadOptionsDraft) => void;
  errors: Partial<Record<UploadOptionsField | 'encryption', string>>;
  model: ServiceCapabilities | null;
}) {
  const metadataLabel = useId();
  const update = (patch: Partial<UploadOptionsDraft>) => onChange({ ...draft, ...patch });
  const classes = storageClassChoices(model, draft.storageClass);
  const acls = aclChoices(model);
  const encryptions = encryptionChoices(model);
  const encryptionHint = [
    unavailableHint(encryptions),
    draft.encryption === 'SSE-C'
      ? 'Uses the customer key saved for this account in the keychain; without it, the upload fails.'
      : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <>
      <SelectField
        label="Storage class"
        value={draft.storageClass}
        error={errors.storageClass}
        onValueChange={(value) => update({ storageClass: value as UploadOptionsDraft['storageClass'] })}
      >
        <option value="">The service’s default</option>
        {classes.map((c) => (
          <option key={c.value} value={c.value} disabled={c.unavailable !== undefined}>
            {formatStorageClass(c.value)}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Access"
        value={draft.acl}
        error={errors.acl}
        hint={
          unavailableHint(acls) ??
          'Private unless you choose otherwise; public-read makes the files readable by anyone with the link.'
        }
        onValueChange={(value) => update({ acl: value as UploadOptionsDraft['acl'] })}
      >
        {acls.map((acl) => (
          <option key={acl.value} value={acl.value} disabled={acl.unavailable !== undefined}>
            {acl.value}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Content type"
        placeholder="Guessed from each file’s name"
        autoComplete="off"
        value={draft.contentType}
        error={errors.contentType}
        onValueChange={(contentType) => update({ contentType })}
      />
      <span className="form-label" id={metadataLabel}>
        Metadata
      </span>
      <div className="form-control" aria-labelledby={metadataLabel} role="group">
        <KeyValueRows
          rows={draft.metadata}
          onChange={(metadata) => update({ metadata })}
          problems={{}}
          noun="Metadata"
          addLabel="Add metadata"
          groupLabel="Metadata entries"
        />
        {errors.metadata ? <p className="field-error">{errors.metadata}</p> : null}
        <p className="field-hint">Sent as x-amz-meta-key headers: ASCII letters, digits and - _ . in keys.</p>
      </div>
      <SelectField
        label="Encryption"
        value={draft.encryption}
        error={errors.encryption}
        onValueChange={(value) => update({ encryption: value as UploadOptionsDraft['encryption'] })}
        hint={encryptionHint || undefined}
      >
        {encryptions.map((choice) => (
          <option key={choice.value} value={choice.value} disabled={choice.unavailable !== undefined}>
            {encryptionLabels[choice.value]}
          </option>
        ))}
      </SelectField>
      {draft.encryption === 'SSE-KMS' ? (
        <TextField
          label="KMS key id"
          placeholder="The service’s default key"
          autoComplete="off"
          value={draft.kmsKeyId}
          error={errors.kmsKeyId}
          onValueChange={(kmsKeyId) => update({ kmsKeyId })}
        />
      ) : null}
    </>
  );
}

/** Web mode: the files' bytes go to the app before they are queued ("Preparing 3 of 12 files…"). */
function PreparingStep({ flow, onCancel }: { flow: Extract<UploadFlow, { step: 'preparing' }>; onCancel: () => void }) {
  const text = `Preparing ${Math.min(flow.done + 1, flow.total).toLocaleString()} of ${countOf(flow.total, 'file')}…`;
  const bytes = `${formatSize(flow.bytesDone)} of ${formatSize(flow.bytesTotal)}`;
  return (
    <div className="dialog__form">
      <div className="dialog__body">
        <p className="dialog__text" role="status">
          {text}
        </p>
        <Progress.Root
          className="progress"
          aria-label="Preparing files"
          value={flow.bytesDone}
          max={Math.max(flow.bytesTotal, 1)}
          getValueLabel={() => bytes}
        >
          <Progress.Indicator
            className="progress__indicator"
            style={{ width: `${Math.min(100, (flow.bytesDone / Math.max(flow.bytesTotal, 1)) * 100)}%` }}
          />
        </Progress.Root>
        <p className="field-hint">{bytes}. The files are handed to the app, then queued for upload.</p>
      </div>
      <div className="dialog__footer">
        <div className="dialog__actions">
          <button type="button" className="button" data-autofocus autoFocus onClick={onCancel}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}

/** Replace, skip or keep both, naming up to ten of the files that exist. */
function ConflictsStep({ flow, onCancel }: { flow: Extract<UploadFlow, { step: 'conflicts' }>; onCancel: () => void }) {
  const resolve = useAppStore((s) => s.resolveUploadConflicts);
  // Named as they are under the folder uploaded to ("album/a.jpg"), as the person chose them.
  const prefix = flow.location.prefix;
  const { shown, more } = conflictList(
    flow.existing.map((key) => (key.startsWith(prefix) ? key.slice(prefix.length) : key)),
  );
  const where = locationName(flow.location);
  const question =
    flow.total === 1
      ? `“${shown[0] ?? ''}” already exists in ${where}.`
      : `${flow.existing.length === flow.total ? 'All' : `${flow.existing.length.toLocaleString()} of ${flow.total.toLocaleString()}`} files already exist in ${where}:`;
  return (
    <div className="dialog__form">
      <div className="dialog__body">
        <div role="alert" className="callout callout--warning">
          <Icon name="alert" />
          <div className="callout__body">
            <p>{question}</p>
            {flow.total === 1 ? null : (
              <ul className="conflict-names" aria-label="Names that exist">
                {shown.map((name) => (
                  <li key={name}>{name}</li>
                ))}
                {more ? <li className="conflict-names__more">{more}</li> : null}
              </ul>
            )}
          </div>
        </div>
        <p className="field-hint conflict-hint">
          Keep both gives the new {flow.total === 1 ? 'file' : 'files'} a numbered name, such as “report (1).pdf”.
        </p>
      </div>
      <div className="dialog__footer">
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <span className="dialog__spacer" />
          {/* The safe answer has focus: Enter skips what exists rather than overwriting it. */}
          <button
            type="button"
            className="button"
            data-autofocus
            autoFocus
            aria-disabled={flow.queueing || undefined}
            onClick={() => void resolve('skip')}
          >
            Skip
          </button>
          <button
            type="button"
            className="button"
            aria-disabled={flow.queueing || undefined}
            onClick={() => void resolve('keep-both')}
          >
            Keep both
          </button>
          <button
            type="button"
            className="button button--danger"
            aria-disabled={flow.queueing || undefined}
            onClick={() => void resolve('replace')}
          >
            Replace
          </button>
        </div>
      </div>
    </div>
  );
}
