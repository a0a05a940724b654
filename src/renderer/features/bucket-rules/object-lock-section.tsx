import '../../styles/bucket-rules.css';
import { useId, useState } from 'react';
import {
  complianceWarning,
  defaultRetentionSchema,
  type BucketObjectLock,
  type RetentionMode,
} from '../../../shared/bucket-rules';
import type { Result } from '../../../shared/result';
import { DialogError, useDialogAction } from '../../components/dialog-parts';
import { SelectField, TextField } from '../../components/form-field';
import { Icon } from '../../components/icon';
import { api } from '../../api';
import { notify } from '../../stores/app-store';
import type { SectionProps } from '../bucket-settings/sections';
import { ExposureConfirmation, SaveRow, type Exposure } from '../bucket-settings/section-parts';
import { AvailableSetting } from './available-setting';
import type { RuleFormProps } from './rule-card';

/** COMPLIANCE's warning, shown beside the choice before anything is saved. */
export function ComplianceNote() {
  return (
    <p className="callout callout--warning" role="note">
      <Icon name="alert" />
      <span>{complianceWarning}</span>
    </p>
  );
}

/**
 * The second question before a COMPLIANCE lock is set (a bucket's default or one object's): what
 * gets locked, then the warning; "Set COMPLIANCE retention" makes the change.
 */
export function complianceQuestion(title: string, what: string, apply: () => Promise<Result<unknown>>): Exposure {
  return {
    title,
    lead: 'This cannot be undone:',
    consequences: [`${what} ${complianceWarning}`],
    confirmLabel: 'Set COMPLIANCE retention',
    busyLabel: 'Saving…',
    apply,
  };
}

/**
 * Object Lock: whether the bucket was created with it, and its default retention (none, or
 * GOVERNANCE / COMPLIANCE for some days or years), which locks every new object. COMPLIANCE
 * warns in words and asks again: no one can shorten or remove it.
 */
export function ObjectLockSection({ accountId, bucket, readOnly }: SectionProps) {
  return (
    <AvailableSetting
      read={() => api.objectLock.get({ accountId, bucket })}
      readKey={`${accountId}/${bucket}`}
      what="the Object Lock settings"
    >
      {(current, onSaved) =>
        !current.enabled ? (
          <p className="dialog__text">
            This bucket was not created with Object Lock, so it has no default retention and its objects cannot be
            locked. Only a new bucket can have it: choose “Turn on Object Lock” in Create bucket, then copy the files
            there.
          </p>
        ) : (
          <LockForm accountId={accountId} bucket={bucket} current={current} readOnly={readOnly} onSaved={onSaved} />
        )
      }
    </AvailableSetting>
  );
}

function LockForm({ accountId, bucket, current, readOnly, onSaved }: RuleFormProps<BucketObjectLock>) {
  const retention = current.defaultRetention;
  const [mode, setMode] = useState<'none' | RetentionMode>(retention?.mode ?? 'none');
  const [amount, setAmount] = useState(retention ? String(retention.amount) : '30');
  const [unit, setUnit] = useState<'days' | 'years'>(retention?.unit ?? 'days');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [confirm, setConfirm] = useState<Exposure | null>(null);
  const { busy, error, setError, run } = useDialogAction();
  const labelId = useId();

  function saved(lock: BucketObjectLock): void {
    notify(`Object Lock of “${bucket}” saved`, 'success');
    onSaved(lock);
  }

  function save(): void {
    if (mode === 'none') {
      void run(() => api.objectLock.putDefault({ accountId, bucket, defaultRetention: null }), saved);
      return;
    }
    const checked = defaultRetentionSchema.safeParse({ mode, unit, amount: Number(amount.trim() || 'x') });
    if (!checked.success) {
      setProblem(checked.error.issues[0]?.message ?? 'Check the retention period.');
      return;
    }
    setProblem(undefined);
    const defaultRetention = checked.data;
    if (mode === 'COMPLIANCE') {
      setConfirm(
        complianceQuestion(
          'Lock new objects in COMPLIANCE mode?',
          `Every new object is locked for ${defaultRetention.amount} ${defaultRetention.unit}.`,
          async () => {
            const result = await api.objectLock.putDefault({
              accountId,
              bucket,
              defaultRetention,
              confirmedCompliance: true,
            });
            if (result.ok) saved(result.value);
            return result;
          },
        ),
      );
      return;
    }
    void run(() => api.objectLock.putDefault({ accountId, bucket, defaultRetention }), saved);
  }

  const choices = [
    { value: 'none', label: 'No default retention', means: 'New objects are not locked unless an upload asks.' },
    {
      value: 'GOVERNANCE',
      label: 'GOVERNANCE',
      means: 'New objects are locked; accounts with the bypass permission can still shorten the lock or delete them.',
    },
    { value: 'COMPLIANCE', label: 'COMPLIANCE', means: complianceWarning },
  ] as const;

  return (
    <>
      <p className="dialog__text">
        Object Lock is on for this bucket: its objects can have a retention and a legal hold (see each file’s details).
      </p>
      <span id={labelId} className="form-label">
        Default retention
      </span>
      <div role="radiogroup" aria-labelledby={labelId} className="settings-choices">
        {choices.map((choice) => (
          <div key={choice.value} className="settings-choice">
            <label className="check">
              <input
                type="radio"
                name={labelId}
                value={choice.value}
                checked={mode === choice.value}
                disabled={readOnly}
                aria-describedby={`${labelId}-${choice.value}`}
                onChange={() => {
                  setMode(choice.value);
                  setError(null);
                }}
              />
              <span>{choice.label}</span>
            </label>
            <p id={`${labelId}-${choice.value}`} className="field-hint settings-choice__means">
              {choice.means}
            </p>
          </div>
        ))}
      </div>
      {mode !== 'none' ? (
        <div className="form-grid form-grid--stacked settings-section__fields">
          <TextField
            label="Retention period"
            inputMode="numeric"
            autoComplete="off"
            value={amount}
            readOnly={readOnly}
            error={problem}
            onValueChange={setAmount}
          />
          <SelectField
            label="Unit"
            value={unit}
            disabled={readOnly}
            onValueChange={(value) => setUnit(value === 'years' ? 'years' : 'days')}
          >
            <option value="days">days</option>
            <option value="years">years</option>
          </SelectField>
        </div>
      ) : null}
      {mode === 'COMPLIANCE' ? <ComplianceNote /> : null}
      <DialogError error={error} />
      {readOnly ? null : <SaveRow busy={busy} label="Save Object Lock" busyLabel="Saving…" onSave={save} />}
      <ExposureConfirmation exposure={confirm} onClose={() => setConfirm(null)} />
    </>
  );
}
