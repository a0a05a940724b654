import { useId, useState } from 'react';
import {
  publicAccessFlagNames,
  publicAccessFlagWords,
  switchesTurnedOff,
  type PublicAccessBlockFlags,
  type PublicAccessState,
} from '../../../shared/bucket-settings';
import { DialogError, useDialogAction } from '../../components/dialog-parts';
import { notify } from '../../stores/app-store';
import { api } from '../../api';
import { AccountPublicAccess } from './account-public-access';
import type { SectionProps } from './sections';
import { ExposureConfirmation, SaveRow, switchesOffExposure, type Exposure } from './section-parts';
import { SettingForm } from './setting-form';

const allOff: PublicAccessBlockFlags = {
  blockPublicAcls: false,
  ignorePublicAcls: false,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
};

/**
 * Block Public Access for the bucket: the four switches with what each does, then the account's
 * (AccountPublicAccess) where the service has them. Turning any switch off asks first, naming
 * what it lets happen.
 */
export function PublicAccessSection({ accountId, bucket, readOnly }: SectionProps) {
  return (
    <SettingForm
      read={() => api.bucketSettings.publicAccess({ accountId, bucket })}
      readKey={`${accountId}/${bucket}`}
      what="the public access settings"
    >
      {(state, onSaved) => (
        <PublicAccessForm accountId={accountId} bucket={bucket} state={state} readOnly={readOnly} onSaved={onSaved} />
      )}
    </SettingForm>
  );
}

function PublicAccessForm({
  accountId,
  bucket,
  state,
  readOnly,
  onSaved,
}: {
  accountId: string;
  bucket: string;
  state: PublicAccessState;
  readOnly: boolean;
  onSaved: (state: PublicAccessState) => void;
}) {
  const [flags, setFlags] = useState<PublicAccessBlockFlags>(state.bucket ?? allOff);
  const [exposure, setExposure] = useState<Exposure | null>(null);
  const { busy, error, setError, run } = useDialogAction();
  const groupId = useId();

  function apply(exposureConfirmed: boolean) {
    return api.bucketSettings.setPublicAccess({ accountId, bucket, flags, exposureConfirmed });
  }
  function saved(next: PublicAccessState): void {
    notify(`Public access settings of “${bucket}” saved`, 'success');
    onSaved(next);
  }

  function save(): void {
    const turnedOff = switchesTurnedOff(state.bucket, flags);
    if (turnedOff.length === 0) {
      void run(() => apply(false), saved);
      return;
    }
    setExposure(
      switchesOffExposure(
        turnedOff,
        { title: 'Turn off public access protection?', confirmLabel: 'Turn off protection' },
        () => apply(true),
        saved,
      ),
    );
  }

  return (
    <>
      <p className="field-hint">
        These switches override bucket policies and access lists that would make data public. With all four on, nothing
        in “{bucket}” can be made public.
      </p>
      <div role="group" aria-labelledby={groupId} className="settings-choices">
        <span id={groupId} className="form-label">
          For this bucket
        </span>
        {publicAccessFlagNames.map((name) => (
          <div key={name} className="settings-choice">
            <label className="check">
              <input
                type="checkbox"
                checked={flags[name]}
                disabled={readOnly}
                aria-describedby={`${groupId}-${name}`}
                onChange={(event) => {
                  setFlags({ ...flags, [name]: event.target.checked });
                  setError(null);
                }}
              />
              <span>{publicAccessFlagWords[name].label}</span>
            </label>
            <p id={`${groupId}-${name}`} className="field-hint settings-choice__means">
              {publicAccessFlagWords[name].means}
            </p>
          </div>
        ))}
      </div>
      <DialogError error={error} />
      {readOnly ? null : <SaveRow busy={busy} label="Save public access" busyLabel="Saving…" onSave={save} />}
      <AccountPublicAccess accountId={accountId} bucket={bucket} bucketFlags={state.bucket} readOnly={readOnly} />
      <ExposureConfirmation exposure={exposure} onClose={() => setExposure(null)} />
    </>
  );
}
