import { useId, useState } from 'react';
import {
  aclExposes,
  cannedBucketAcls,
  cannedBucketAclWords,
  type BucketAclState,
  type CannedBucketAcl,
} from '../../../shared/bucket-settings';
import { DialogError, useDialogAction } from '../../components/dialog-parts';
import { notify } from '../../stores/app-store';
import { api } from '../../api';
import { Muted, Property } from '../details/property';
import type { SectionProps } from './sections';
import { ExposureConfirmation, SaveRow, type Exposure } from './section-parts';
import { SettingForm } from './setting-form';

/**
 * The bucket's access list: its owner and grants as the service reports them (in the words the
 * details panel uses for an object's ACL), and a canned ACL to set. One that lets others in asks
 * first, naming who could then do what. Objects' own ACLs are set per file in the details panel.
 */
export function AclSection({ accountId, bucket, readOnly }: SectionProps) {
  return (
    <SettingForm
      read={() => api.bucketSettings.acl({ accountId, bucket })}
      readKey={`${accountId}/${bucket}`}
      what="the access list"
    >
      {(state, onSaved) => (
        <AclForm accountId={accountId} bucket={bucket} state={state} readOnly={readOnly} onSaved={onSaved} />
      )}
    </SettingForm>
  );
}

function AclForm({
  accountId,
  bucket,
  state,
  readOnly,
  onSaved,
}: {
  accountId: string;
  bucket: string;
  state: BucketAclState;
  readOnly: boolean;
  onSaved: (state: BucketAclState) => void;
}) {
  const [chosen, setChosen] = useState<CannedBucketAcl | 'custom'>(state.canned);
  const [exposure, setExposure] = useState<Exposure | null>(null);
  const { busy, error, setError, run } = useDialogAction();
  const labelId = useId();

  function saved(next: BucketAclState): void {
    notify(`Access list of “${bucket}” saved`, 'success');
    onSaved(next);
  }

  function save(): void {
    if (chosen === 'custom') return;
    const acl = chosen;
    if (!aclExposes(acl)) {
      void run(() => api.bucketSettings.setAcl({ accountId, bucket, acl }), saved);
      return;
    }
    setExposure({
      title: 'Open the bucket to others?',
      consequences: [cannedBucketAclWords[acl]],
      confirmLabel: 'Set access list',
      busyLabel: 'Saving…',
      apply: async () => {
        const result = await api.bucketSettings.setAcl({ accountId, bucket, acl, exposureConfirmed: true });
        if (result.ok) saved(result.value);
        return result;
      },
    });
  }

  return (
    <>
      <dl className="properties">
        <Property label="Owner">{state.owner ?? <Muted>Not reported</Muted>}</Property>
        <Property label="Grants">
          {state.grants.length === 0 ? (
            <Muted>None</Muted>
          ) : (
            <ul className="settings-grants">
              {state.grants.map((grant) => (
                <li key={`${grant.grantee} ${grant.permission}`}>
                  {grant.grantee}: {grant.permission}
                </li>
              ))}
            </ul>
          )}
        </Property>
      </dl>
      <span id={labelId} className="form-label">
        Access list
      </span>
      <div role="radiogroup" aria-labelledby={labelId} className="settings-choices">
        {[...cannedBucketAcls, ...(state.canned === 'custom' ? (['custom'] as const) : [])].map((acl) => (
          <label key={acl} className="check">
            <input
              type="radio"
              name={labelId}
              value={acl}
              checked={chosen === acl}
              disabled={readOnly || acl === 'custom'}
              onChange={() => {
                setChosen(acl);
                setError(null);
              }}
            />
            <span>
              {acl === 'custom'
                ? 'Custom grants (set elsewhere): kept unless you choose another'
                : cannedBucketAclWords[acl]}
            </span>
          </label>
        ))}
      </div>
      <p className="field-hint">The access lists of single files are set in the details panel, under Public access.</p>
      <DialogError error={error} />
      {readOnly ? null : <SaveRow busy={busy} label="Save access list" busyLabel="Saving…" onSave={save} />}
      <ExposureConfirmation exposure={exposure} onClose={() => setExposure(null)} />
    </>
  );
}
