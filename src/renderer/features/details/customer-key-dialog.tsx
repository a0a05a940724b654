import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AppError } from '../../../shared/errors';
import { DialogError } from '../../components/dialog-parts';
import { CheckboxField, TextField } from '../../components/form-field';
import { Icon } from '../../components/icon';
import { notify, useAppStore } from '../../stores/app-store';
import { CopyButton } from '../share/copy-button';
import { customerKeyProblem, generateCustomerKey } from './customer-key';
import { DetailsDialog } from './details-dialog';

type Step =
  | { kind: 'status' }
  | { kind: 'generated'; key: string; kept: boolean }
  | { kind: 'own'; key: string; touched: boolean }
  | { kind: 'remove' };

/**
 * "Encryption key (SSE-C)": whether this account has a customer key (and its fingerprint),
 * generating one (shown once, to be kept safe, then stored in the keychain), giving one's own,
 * or removing it. The key lives only in this dialog's state until sent; main never sends it back.
 */
export function CustomerKeyDialog({ accountId, onClose }: { accountId: string | null; onClose: () => void }) {
  return (
    <DetailsDialog
      open={accountId !== null}
      onClose={onClose}
      title="Encryption key (SSE-C)"
      description="A key of your own that the service encrypts objects with and does not keep."
    >
      {accountId ? <CustomerKeyForm accountId={accountId} onClose={onClose} /> : null}
    </DetailsDialog>
  );
}

function CustomerKeyForm({ accountId, onClose }: { accountId: string; onClose: () => void }) {
  const { status, load, setKey, removeKey } = useAppStore(
    useShallow((s) => ({
      status: s.customerKeys[accountId],
      load: s.loadCustomerKeyStatus,
      setKey: s.setCustomerKey,
      removeKey: s.removeCustomerKey,
    })),
  );
  const [step, setStep] = useState<Step>({ kind: 'status' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    void load(accountId);
  }, [load, accountId]);

  const hasKey = status?.value?.hasKey ?? false;

  async function save(key: string): Promise<void> {
    if (busy) return;
    setBusy(true);
    setError(null);
    const result = await setKey(accountId, key.trim());
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    // The key leaves this dialog's state as soon as it is stored.
    setStep({ kind: 'status' });
    notify('Encryption key saved', 'success');
  }

  async function remove(): Promise<void> {
    if (busy) return;
    setBusy(true);
    setError(null);
    const result = await removeKey(accountId);
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setStep({ kind: 'status' });
    notify('Encryption key removed', 'success');
  }

  return (
    <>
      <div className="dialog__body customer-key">
        <div className="customer-key__status" role="status">
          {status?.status === 'error' && status.error ? (
            <span className="field-error">{status.error.message}</span>
          ) : !status?.value ? (
            <span className="details__muted">Looking for a stored key…</span>
          ) : status.value.hasKey ? (
            <>
              <span>A key is stored for this account.</span>
              <span className="details__muted">
                Fingerprint (MD5): <span className="details__mono selectable">{status.value.fingerprint ?? '—'}</span>
              </span>
            </>
          ) : (
            <span>No key is stored for this account.</span>
          )}
        </div>

        {step.kind === 'status' ? (
          <div className="customer-key__actions">
            <button
              type="button"
              className="button"
              data-autofocus
              onClick={() => setStep({ kind: 'generated', key: generateCustomerKey(), kept: false })}
            >
              Generate key
            </button>
            <button type="button" className="button" onClick={() => setStep({ kind: 'own', key: '', touched: false })}>
              Use my own key
            </button>
            {hasKey ? (
              <button type="button" className="button" onClick={() => setStep({ kind: 'remove' })}>
                Remove key
              </button>
            ) : null}
          </div>
        ) : null}

        {step.kind === 'generated' ? (
          <div className="customer-key__step">
            <p role="alert" className="callout callout--warning">
              <Icon name="alert" />
              <span>
                Keep a copy of this key somewhere safe now: it is shown only once. Objects encrypted with it cannot be
                read without it, not by this app and not by the service.
                {hasKey
                  ? ' It replaces the stored key: objects encrypted with the old key need that key to be read.'
                  : ''}
              </span>
            </p>
            <div className="customer-key__generated">
              <input
                readOnly
                className="input details__mono"
                aria-label="New encryption key"
                value={step.key}
                onFocus={(event) => event.currentTarget.select()}
              />
              <CopyButton label="Copy encryption key" text={step.key} doneMessage="Key copied" />
            </div>
            <div className="form-grid customer-key__confirm">
              <CheckboxField
                label="I have kept a copy of this key"
                checked={step.kept}
                onCheckedChange={(kept) => setStep({ ...step, kept })}
              />
            </div>
            <div className="dialog__actions">
              <button type="button" className="button" onClick={() => setStep({ kind: 'status' })}>
                Cancel
              </button>
              <button
                type="button"
                className="button button--primary"
                aria-disabled={!step.kept || busy || undefined}
                onClick={() => (step.kept ? void save(step.key) : undefined)}
              >
                {busy ? 'Saving…' : 'Save key'}
              </button>
            </div>
          </div>
        ) : null}

        {step.kind === 'own' ? (
          <form
            className="customer-key__step"
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              setStep({ ...step, touched: true });
              if (customerKeyProblem(step.key) === null) void save(step.key);
            }}
          >
            <div className="form-grid">
              <TextField
                label="Key (base64)"
                type="password"
                autoComplete="off"
                data-autofocus
                value={step.key}
                hint="32 bytes, given as 44 characters of base64."
                error={step.touched ? (customerKeyProblem(step.key) ?? undefined) : undefined}
                onValueChange={(key) => setStep({ kind: 'own', key, touched: true })}
              />
            </div>
            <div className="dialog__actions">
              <button type="button" className="button" onClick={() => setStep({ kind: 'status' })}>
                Cancel
              </button>
              <button
                type="submit"
                className="button button--primary"
                aria-disabled={customerKeyProblem(step.key) !== null || busy || undefined}
              >
                {busy ? 'Saving…' : 'Save key'}
              </button>
            </div>
          </form>
        ) : null}

        {step.kind === 'remove' ? (
          <div className="customer-key__step">
            <p role="alert" className="callout callout--danger">
              <Icon name="alert" />
              <span>
                Remove the key from this computer? Objects encrypted with it stay unreadable here until you give the key
                again.
              </span>
            </p>
            <div className="dialog__actions">
              <button type="button" className="button" data-autofocus onClick={() => setStep({ kind: 'status' })}>
                Cancel
              </button>
              <button
                type="button"
                className="button button--danger"
                aria-disabled={busy || undefined}
                onClick={() => void remove()}
              >
                {busy ? 'Removing…' : 'Remove key'}
              </button>
            </div>
          </div>
        ) : null}
        {/* The status line already says it when the keychain is the problem: not twice. */}
        <DialogError error={error && error.message !== status?.error?.message ? error : null} />
      </div>
      <div className="dialog__footer">
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </>
  );
}
