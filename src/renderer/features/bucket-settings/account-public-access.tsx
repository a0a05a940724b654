import { useId, useState } from 'react';
import {
  effectivePublicAccess,
  publicAccessFlagNames,
  publicAccessFlagWords,
  switchesTurnedOff,
  type AccountPublicAccessState,
  type EffectiveSource,
  type PublicAccessBlockFlags,
} from '../../../shared/bucket-settings';
import { DialogError, useDialogAction } from '../../components/dialog-parts';
import { notify } from '../../stores/app-store';
import { api } from '../../api';
import { DetailsSection, Property } from '../details/property';
import { ExposureConfirmation, SaveRow, switchesOffExposure, type Exposure } from './section-parts';
import { SettingForm } from './setting-form';

const allOff: PublicAccessBlockFlags = {
  blockPublicAcls: false,
  ignorePublicAcls: false,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
};

/** Where a switch in effect comes from, in words. */
const sourceWords: Record<EffectiveSource, string> = {
  'account and bucket': 'On (for the account and the bucket)',
  account: 'On (for the account)',
  bucket: 'On (for the bucket)',
  off: 'Off',
};

/**
 * Block Public Access for the whole account (S3 Control): what it is and how it combines with
 * the bucket's switches, then the account's four switches where the service has them, editable
 * with the same question as the bucket's before any protection is turned off, and what is in
 * effect for this bucket. Where the service has none, or the keys may not read them, it says so.
 */
export function AccountPublicAccess({
  accountId,
  bucket,
  bucketFlags,
  readOnly,
}: {
  accountId: string;
  bucket: string;
  /** The bucket's switches as the service holds them (null: none set), for what is in effect. */
  bucketFlags: PublicAccessBlockFlags | null;
  readOnly: boolean;
}) {
  return (
    <DetailsSection title="For the whole account">
      <p className="field-hint">
        The account&apos;s switches apply to every bucket in it and override the bucket&apos;s: a protection on for the
        account is on for “{bucket}” whatever the bucket&apos;s own switch says (S3 applies whichever of the two is
        stricter).
      </p>
      <SettingForm
        read={() => api.bucketSettings.accountPublicAccess({ accountId, bucket })}
        readKey={`${accountId}/${bucket}`}
        what="the account's public access settings"
      >
        {(state, onSaved) => (
          <AccountState
            accountId={accountId}
            bucket={bucket}
            state={state}
            bucketFlags={bucketFlags}
            readOnly={readOnly}
            onSaved={onSaved}
          />
        )}
      </SettingForm>
    </DetailsSection>
  );
}

function AccountState({
  state,
  ...rest
}: {
  accountId: string;
  bucket: string;
  state: AccountPublicAccessState;
  bucketFlags: PublicAccessBlockFlags | null;
  readOnly: boolean;
  onSaved: (state: AccountPublicAccessState) => void;
}) {
  if (state.status !== 'read') return <p className="callout callout--note">{state.reason}</p>;
  return <AccountForm {...rest} awsAccountId={state.awsAccountId} saved={state.flags} />;
}

function AccountForm({
  accountId,
  bucket,
  awsAccountId,
  saved,
  bucketFlags,
  readOnly,
  onSaved,
}: {
  accountId: string;
  bucket: string;
  awsAccountId: string;
  /** The account's switches as read (null: none set). */
  saved: PublicAccessBlockFlags | null;
  bucketFlags: PublicAccessBlockFlags | null;
  readOnly: boolean;
  onSaved: (state: AccountPublicAccessState) => void;
}) {
  const [flags, setFlags] = useState<PublicAccessBlockFlags>(saved ?? allOff);
  const [exposure, setExposure] = useState<Exposure | null>(null);
  const { busy, error, setError, run } = useDialogAction();
  const groupId = useId();
  const effective = effectivePublicAccess(bucketFlags, saved);

  function apply(exposureConfirmed: boolean) {
    return api.bucketSettings.setAccountPublicAccess({ accountId, bucket, flags, exposureConfirmed });
  }
  function done(next: AccountPublicAccessState): void {
    notify('Public access settings of the whole account saved', 'success');
    onSaved(next);
  }

  function save(): void {
    const turnedOff = switchesTurnedOff(saved, flags);
    if (turnedOff.length === 0) {
      void run(() => apply(false), done);
      return;
    }
    setExposure(
      switchesOffExposure(
        turnedOff,
        {
          title: 'Turn off public access protection for the whole account?',
          lead: `This change could expose data in every bucket of AWS account ${awsAccountId} whose own switch is off:`,
          confirmLabel: 'Turn off for the account',
        },
        () => apply(true),
        done,
      ),
    );
  }

  return (
    <>
      <div role="group" aria-labelledby={groupId} className="settings-choices">
        <span id={groupId} className="form-label">
          Switches of AWS account {awsAccountId}
          {saved === null ? ' (none set: all off)' : ''}
        </span>
        {publicAccessFlagNames.map((name) => (
          <label key={name} className="check">
            <input
              type="checkbox"
              checked={flags[name]}
              disabled={readOnly}
              aria-label={`${publicAccessFlagWords[name].label} (whole account)`}
              onChange={(event) => {
                setFlags({ ...flags, [name]: event.target.checked });
                setError(null);
              }}
            />
            <span>{publicAccessFlagWords[name].label}</span>
          </label>
        ))}
      </div>
      <DialogError error={error} />
      {readOnly ? null : <SaveRow busy={busy} label="Save account settings" busyLabel="Saving…" onSave={save} />}
      <DetailsSection title={`In effect for “${bucket}”`}>
        <dl className="properties">
          {publicAccessFlagNames.map((name) => (
            <Property key={name} label={publicAccessFlagWords[name].label}>
              {sourceWords[effective[name]]}
            </Property>
          ))}
        </dl>
      </DetailsSection>
      <ExposureConfirmation exposure={exposure} onClose={() => setExposure(null)} />
    </>
  );
}
