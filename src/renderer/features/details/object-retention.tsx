import { useId, useState } from 'react';
import { whyUnavailable } from '../../../shared/capabilities';
import type { ObjectProtection, RetentionMode } from '../../../shared/bucket-rules';
import type { ObjectDetails } from '../../../shared/details';
import { api } from '../../api';
import { DialogError, useDialogAction } from '../../components/dialog-parts';
import { SelectField, TextField } from '../../components/form-field';
import { notify } from '../../stores/app-store';
import { ComplianceNote, complianceQuestion } from '../bucket-rules/object-lock-section';
import { ExposureConfirmation, SettingBody, type Exposure } from '../bucket-settings/section-parts';
import { useSetting } from '../bucket-settings/use-setting';
import { useBucketCapabilities } from '../capabilities/use-capabilities';
import { DetailsSection, Muted, Property } from './property';
import { checkRetention, toLocalInput } from './retention-check';

// The retention's end in the person's own locale and time zone, with the time.
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * One file's Object Lock: its retention (mode and until when) and legal hold, with Set/extend
 * retention and the legal hold switch. Says why instead where the service has no object lock or
 * the bucket was not created with it.
 */
export function ObjectRetentionSection({
  accountId,
  bucket,
  details,
}: {
  accountId: string;
  bucket: string;
  details: ObjectDetails;
}) {
  const model = useBucketCapabilities(accountId, bucket);
  const missing = model ? whyUnavailable(model, 'objectLock') : undefined;
  return (
    <DetailsSection title="Retention">
      {missing !== undefined ? (
        <p className="details__muted details__unavailable">Object Lock is not available here: {missing}</p>
      ) : (
        <ProtectionBody accountId={accountId} bucket={bucket} details={details} />
      )}
    </DetailsSection>
  );
}

function ProtectionBody({ accountId, bucket, details }: { accountId: string; bucket: string; details: ObjectDetails }) {
  const target = {
    accountId,
    bucket,
    key: details.key,
    ...(details.versionId ? { versionId: details.versionId } : {}),
  };
  const setting = useSetting(
    () => api.objectLock.getObject(target),
    `${accountId}/${bucket}/${details.key}/${details.versionId ?? ''}/${details.etag ?? ''}`,
  );
  return (
    <SettingBody loaded={setting.loaded} what="the retention" onRetry={setting.reload}>
      {(protection) =>
        !protection.bucketLocked ? (
          <p className="details__muted details__unavailable">
            {protection.retention.available
              ? 'This bucket was not created with Object Lock.'
              : protection.retention.reason}
          </p>
        ) : (
          <ProtectionControls
            key={JSON.stringify(protection)}
            target={target}
            protection={protection}
            onChanged={setting.set}
          />
        )
      }
    </SettingBody>
  );
}

function ProtectionControls({
  target,
  protection,
  onChanged,
}: {
  target: { accountId: string; bucket: string; key: string; versionId?: string };
  protection: ObjectProtection;
  onChanged: (protection: ObjectProtection) => void;
}) {
  const current = protection.retention.available ? protection.retention.value : null;
  const [mode, setMode] = useState<RetentionMode>(current?.mode ?? 'GOVERNANCE');
  const [until, setUntil] = useState(() =>
    toLocalInput(current ? new Date(current.until) : new Date(Date.now() + 24 * 60 * 60 * 1000)),
  );
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [confirm, setConfirm] = useState<Exposure | null>(null);
  const retentionAction = useDialogAction();
  const holdAction = useDialogAction();
  const holdHintId = useId();
  // The switch shows the asked-for state while the service answers (back where it refuses).
  const [holdShown, setHoldShown] = useState(protection.legalHold.available && protection.legalHold.value);

  function changed(what: string) {
    return (next: ObjectProtection) => {
      notify(what, 'success');
      onChanged(next);
    };
  }

  function setRetention(): void {
    const checked = checkRetention(mode, until, current, Date.now());
    if (!checked.ok) {
      setProblem(checked.problem);
      return;
    }
    setProblem(undefined);
    const retention = checked.value;
    if (retention.mode === 'COMPLIANCE') {
      setConfirm(
        complianceQuestion(
          'Lock this file in COMPLIANCE mode?',
          `This version is locked until ${dateFormat.format(new Date(retention.until))}.`,
          async () => {
            const result = await api.objectLock.putRetention({ ...target, retention, confirmedCompliance: true });
            if (result.ok) changed('Retention set')(result.value);
            return result;
          },
        ),
      );
      return;
    }
    void retentionAction.run(() => api.objectLock.putRetention({ ...target, retention }), changed('Retention set'));
  }

  const hold = protection.legalHold;
  return (
    <>
      <dl className="properties">
        <Property label="Retention">
          {!protection.retention.available ? (
            <Muted>{protection.retention.reason}</Muted>
          ) : current ? (
            `${current.mode} until ${dateFormat.format(new Date(current.until))}`
          ) : (
            <Muted>None</Muted>
          )}
        </Property>
        <Property label="Legal hold">
          {hold.available ? hold.value ? 'On' : 'Off' : <Muted>{hold.reason}</Muted>}
        </Property>
      </dl>
      <div className="form-grid form-grid--stacked">
        <SelectField
          label="Retention mode"
          value={mode}
          onValueChange={(value) => {
            setMode(value === 'COMPLIANCE' ? 'COMPLIANCE' : 'GOVERNANCE');
            retentionAction.setError(null);
          }}
        >
          <option value="GOVERNANCE">GOVERNANCE</option>
          <option value="COMPLIANCE">COMPLIANCE</option>
        </SelectField>
        <TextField label="Retain until" type="datetime-local" value={until} error={problem} onValueChange={setUntil} />
      </div>
      {mode === 'COMPLIANCE' ? <ComplianceNote /> : null}
      <div className="details__actions">
        <button
          type="button"
          className="button button--small"
          aria-disabled={retentionAction.busy || undefined}
          onClick={() => (retentionAction.busy ? undefined : setRetention())}
        >
          {retentionAction.busy ? 'Saving…' : current ? 'Extend retention' : 'Set retention'}
        </button>
      </div>
      <DialogError error={retentionAction.error} />
      {hold.available ? (
        <>
          <label className="check">
            <input
              type="checkbox"
              role="switch"
              checked={holdShown}
              aria-describedby={holdHintId}
              disabled={holdAction.busy}
              onChange={(event) => {
                const on = event.target.checked;
                setHoldShown(on);
                void holdAction.run(
                  async () => {
                    const result = await api.objectLock.putLegalHold({ ...target, on });
                    if (!result.ok) setHoldShown(!on);
                    return result;
                  },
                  changed(on ? 'Legal hold on' : 'Legal hold off'),
                );
              }}
            />
            <span>Legal hold</span>
          </label>
          <p id={holdHintId} className="field-hint">
            While on, this version cannot be deleted or overwritten, whatever its retention.
          </p>
          <DialogError error={holdAction.error} />
        </>
      ) : null}
      <ExposureConfirmation exposure={confirm} onClose={() => setConfirm(null)} />
    </>
  );
}
