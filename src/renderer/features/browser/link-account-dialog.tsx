import { useId, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { FormButtons } from '../../components/dialog-parts';
import { useAppStore } from '../../stores/app-store';
import type { BrowserDialog } from '../../stores/browser-dialogs-slice';
import { FormDialog } from './dialog-frame';

/** The choose-account dialog's request. */
export type LinkAccountRequest = Extract<BrowserDialog, { kind: 'choose-account' }>;

/**
 * "Open link in which account?": an s3:// link or typed path whose bucket several accounts list
 * (or none does). The person picks one; the link then opens there.
 */
export function LinkAccountDialog({ request, onClose }: { request: LinkAccountRequest | null; onClose: () => void }) {
  return (
    <FormDialog
      open={request !== null}
      onClose={onClose}
      title="Open link in which account?"
      description={
        request === null
          ? ''
          : request.reason === 'several'
            ? `More than one account has a bucket named “${request.target.bucket}”. Choose the one to open ${request.link} in.`
            : `None of your accounts lists a bucket named “${request.target.bucket}”. Choose the account to open ${request.link} with; it may still reach the bucket.`
      }
    >
      {request ? <LinkAccountForm request={request} onClose={onClose} /> : null}
    </FormDialog>
  );
}

function LinkAccountForm({ request, onClose }: { request: LinkAccountRequest; onClose: () => void }) {
  const labelId = useId();
  const { accounts, openPath } = useAppStore(useShallow((s) => ({ accounts: s.accounts, openPath: s.openPath })));
  const choices = accounts.filter((account) => request.accountIds.includes(account.id));
  const [chosen, setChosen] = useState(choices[0]?.id ?? '');

  function submit(event: FormEvent): void {
    event.preventDefault();
    if (!choices.some((account) => account.id === chosen)) return;
    onClose();
    void openPath(chosen, request.target);
  }

  return (
    <form className="dialog__form" noValidate onSubmit={submit}>
      <div className="dialog__body">
        <span id={labelId} className="form-label">
          Account
        </span>
        <div role="radiogroup" aria-labelledby={labelId} className="radio-grid">
          {choices.map((account, index) => (
            <label key={account.id} className="check">
              <input
                type="radio"
                name="link-account"
                value={account.id}
                checked={chosen === account.id}
                data-autofocus={index === 0 ? true : undefined}
                onChange={() => setChosen(account.id)}
              />
              <span>{account.name}</span>
            </label>
          ))}
        </div>
      </div>
      <FormButtons busy={false} label="Open" busyLabel="Opening…" onCancel={onClose} />
    </form>
  );
}
