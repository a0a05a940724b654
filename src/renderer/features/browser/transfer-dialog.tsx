import { Collapsible } from 'radix-ui';
import { useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { whyOptionsUnavailable } from '../../../shared/capabilities';
import type { AppError } from '../../../shared/errors';
import type { TransferConflicts } from '../../../shared/objects';
import type { EncryptionChoice } from '../../../shared/transfers';
import { SelectField, TextField } from '../../components/form-field';
import { Icon } from '../../components/icon';
import { useAppStore } from '../../stores/app-store';
import { itemName, type ConflictChoice, type TransferTarget } from '../../stores/object-actions-slice';
import type { BrowserLocation } from '../../stores/selection-slice';
import { encryptionChoices, encryptionLabels, unavailableHint } from '../capabilities/capability-choices';
import { useBucketCapabilities } from '../capabilities/use-capabilities';
import { FormDialog } from './dialog-frame';
import { DestinationFolder } from './destination-folder';
import { DialogError, FormButtons } from '../../components/dialog-parts';
import { conflictDialogText, folderPrefix, transferProblem } from './dialog-text';
import { countOf } from './format';

/** What the copy or move dialog is about. */
export interface TransferRequest {
  mode: 'copy' | 'move';
  location: BrowserLocation;
  items: string[];
  /** The folder the dialog starts at (rows dropped on a tab or a bookmark); absent: the items' own. */
  target?: { bucket: string; prefix: string } | undefined;
}

/**
 * "Copy to…" and "Move to…": the person picks a bucket of the same account and types or
 * browses to a folder. When some items exist there already, it asks: replace, skip or keep both.
 */
export function TransferDialog({ request, onClose }: { request: TransferRequest | null; onClose: () => void }) {
  const what =
    request?.items.length === 1 ? `“${itemName(request.items[0] ?? '')}”` : countOf(request?.items.length ?? 0, 'item');
  return (
    <FormDialog
      open={request !== null}
      onClose={onClose}
      title={request?.mode === 'move' ? 'Move to' : 'Copy to'}
      description={request ? `${request.mode === 'move' ? 'Move' : 'Copy'} ${what} to another folder or bucket.` : ''}
    >
      {request ? <TransferForm request={request} onClose={onClose} /> : null}
    </FormDialog>
  );
}

type Step = { kind: 'choose' } | { kind: 'conflicts'; found: TransferConflicts; target: TransferTarget };

/** The encryption select's values: 'keep' sends no choice, so each copy keeps its original's encryption. */
type EncryptionDraft = 'keep' | EncryptionChoice['mode'];

/** The contract's choice for the select's value (undefined keeps each object's own). */
function encryptionChoice(mode: EncryptionDraft, kmsKeyId: string): EncryptionChoice | undefined {
  if (mode === 'keep') return undefined;
  return mode === 'SSE-KMS' ? { mode, kmsKeyId: kmsKeyId.trim() } : { mode };
}

function TransferForm({ request, onClose }: { request: TransferRequest; onClose: () => void }) {
  const { location, items, mode } = request;
  const { buckets, findConflicts, transferItems } = useAppStore(
    useShallow((s) => ({
      buckets: s.bucketLists[location.accountId]?.buckets ?? [],
      findConflicts: s.findConflicts,
      transferItems: s.transferItems,
    })),
  );
  const [bucket, setBucket] = useState(request.target?.bucket ?? location.bucket);
  const [folder, setFolder] = useState(request.target?.prefix ?? location.prefix);
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [optionsOpen, setOptionsOpen] = useState(false);
  const [encryption, setEncryption] = useState<EncryptionDraft>('keep');
  const [kmsKeyId, setKmsKeyId] = useState('');

  const prefix = folderPrefix(folder);
  const problem = transferProblem(location.bucket, items, bucket, prefix);
  const verb = mode === 'move' ? 'Move' : 'Copy';
  // The copies are written to the chosen bucket, so its service decides which encryption it takes.
  const model = useBucketCapabilities(location.accountId, bucket);
  const encryptions = encryptionChoices(model);
  const chosen = encryptionChoice(encryption, kmsKeyId);
  const unsupported = model && chosen ? whyOptionsUnavailable(model, { encryption: chosen }) : undefined;

  async function start(target: TransferTarget, onConflict: ConflictChoice): Promise<void> {
    setBusy(true);
    const result = await transferItems(
      mode,
      location,
      items,
      target,
      onConflict,
      encryptionChoice(encryption, kmsKeyId),
    );
    setBusy(false);
    if (result.ok) onClose();
    else {
      setStep({ kind: 'choose' });
      setError(result.error);
    }
  }

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    setAttempted(true);
    if (unsupported !== undefined) setOptionsOpen(true);
    if (busy || problem || unsupported !== undefined) return;
    setError(null);
    setBusy(true);
    const target = { bucket, prefix };
    const found = await findConflicts(location, items, target);
    setBusy(false);
    if (!found.ok) {
      setError(found.error);
      return;
    }
    // Items that would land on one name among themselves need a choice too (search results span folders).
    if (found.value.conflicts.length > 0 || found.value.collisions.length > 0) {
      setStep({ kind: 'conflicts', found: found.value, target });
    } else await start(target, 'replace');
  }

  if (step.kind === 'conflicts') {
    const text = conflictDialogText(mode, step.found, items.length, step.target);
    return (
      <div className="dialog__form">
        <div className="dialog__body">
          <p role="alert" className="callout callout--warning">
            <Icon name="alert" />
            <span>{text.question}</span>
          </p>
          <p className="field-hint conflict-hint">{text.hint}</p>
        </div>
        <div className="dialog__footer">
          <div className="dialog__actions">
            <button type="button" className="button" onClick={() => setStep({ kind: 'choose' })}>
              Back
            </button>
            <span className="dialog__spacer" />
            {/* The safe answer has focus: Enter skips what exists rather than overwriting it. */}
            <button type="button" className="button" autoFocus onClick={() => void start(step.target, 'skip')}>
              Skip
            </button>
            <button type="button" className="button" onClick={() => void start(step.target, 'keep-both')}>
              Keep both
            </button>
            {/* Replace only means something where the destination holds a name already. */}
            {text.canReplace ? (
              <button
                type="button"
                className="button button--danger"
                aria-disabled={busy || undefined}
                onClick={() => void start(step.target, 'replace')}
              >
                Replace
              </button>
            ) : null}
          </div>
        </div>
      </div>
    );
  }

  return (
    <form className="dialog__form" noValidate onSubmit={(event) => void submit(event)}>
      <div className="dialog__body">
        <div className="form-grid form-grid--narrow">
          <SelectField
            label="Bucket"
            value={bucket}
            onValueChange={(value) => {
              setBucket(value);
              setFolder('');
              setError(null);
            }}
          >
            {(buckets.some((b) => b.name === bucket) ? buckets : [{ name: bucket }, ...buckets]).map((b) => (
              <option key={b.name} value={b.name}>
                {b.name}
              </option>
            ))}
          </SelectField>
          <DestinationFolder
            accountId={location.accountId}
            bucket={bucket}
            folder={folder}
            hint="Type a folder path, or pick one below. Folders that do not exist are created."
            error={attempted || folder !== location.prefix ? (problem ?? undefined) : undefined}
            onFolderChange={(value) => {
              setFolder(value);
              setError(null);
            }}
          />
        </div>
        <Collapsible.Root open={optionsOpen} onOpenChange={setOptionsOpen} className="form-section">
          <Collapsible.Trigger className="disclosure">
            <Icon name="chevron-right" className="disclosure__icon" />
            Options
          </Collapsible.Trigger>
          <Collapsible.Content className="form-grid form-section__content">
            <SelectField
              label="Encryption"
              value={encryption}
              onValueChange={(value) => setEncryption(value as EncryptionDraft)}
              error={unsupported}
              hint={
                [
                  unavailableHint(encryptions),
                  encryption === 'SSE-C'
                    ? 'Uses the customer key saved for this account in the keychain; without it, nothing is copied.'
                    : encryption === 'keep'
                      ? 'Each copy is encrypted as its original is (with the same customer key, for SSE-C).'
                      : undefined,
                ]
                  .filter(Boolean)
                  .join(' ') || undefined
              }
            >
              <option value="keep">Keep as it is</option>
              {encryptions.map((choice) => (
                <option key={choice.value} value={choice.value} disabled={choice.unavailable !== undefined}>
                  {encryptionLabels[choice.value]}
                </option>
              ))}
            </SelectField>
            {encryption === 'SSE-KMS' ? (
              <TextField
                label="KMS key id"
                placeholder="The service’s default key"
                autoComplete="off"
                value={kmsKeyId}
                onValueChange={setKmsKeyId}
              />
            ) : null}
          </Collapsible.Content>
        </Collapsible.Root>
        <DialogError error={error} />
      </div>
      <FormButtons busy={busy} label={verb} busyLabel="Checking…" onCancel={onClose} />
    </form>
  );
}
