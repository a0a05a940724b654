import { useId, useState } from 'react';
import type { DefaultEncryption } from '../../../shared/bucket-settings';
import { whyUnavailable, type ServiceCapabilities } from '../../../shared/capabilities';
import { DialogError, useDialogAction } from '../../components/dialog-parts';
import { TextField } from '../../components/form-field';
import { notify } from '../../stores/app-store';
import { api } from '../../api';
import type { SectionProps } from './sections';
import { SaveRow } from './section-parts';
import { SettingForm } from './setting-form';

/** The choices, what each means, and the capability each needs. */
const choices: { mode: DefaultEncryption['mode']; label: string; means: string }[] = [
  { mode: 'none', label: 'None', means: 'New objects are stored as sent, unless an upload asks for encryption.' },
  {
    mode: 'SSE-S3',
    label: 'SSE-S3',
    means: 'The service encrypts every new object with keys it manages (AES-256).',
  },
  {
    mode: 'SSE-KMS',
    label: 'SSE-KMS',
    means: 'The service encrypts every new object with a key in its key management service (KMS).',
  },
];

/** Why a choice cannot be made on this service, or undefined. */
function whyNot(model: ServiceCapabilities | null, mode: DefaultEncryption['mode']): string | undefined {
  if (!model || mode === 'none') return undefined;
  return whyUnavailable(model, mode === 'SSE-S3' ? 'sseS3' : 'sseKms');
}

/**
 * The bucket's default encryption: none, SSE-S3 or SSE-KMS (a key id, alias or ARN; empty for
 * the service's default key) with the S3 bucket key. A choice the service lacks stays in the
 * list, disabled, with the model's reason. Save reads the setting back.
 */
export function EncryptionSection({ accountId, bucket, capabilities, readOnly }: SectionProps) {
  return (
    <SettingForm
      read={() => api.bucketSettings.encryption({ accountId, bucket })}
      readKey={`${accountId}/${bucket}`}
      what="the default encryption"
    >
      {(value, onSaved) => (
        <EncryptionForm
          accountId={accountId}
          bucket={bucket}
          current={value}
          capabilities={capabilities}
          readOnly={readOnly}
          onSaved={onSaved}
        />
      )}
    </SettingForm>
  );
}

function EncryptionForm({
  accountId,
  bucket,
  current,
  capabilities,
  readOnly,
  onSaved,
}: {
  accountId: string;
  bucket: string;
  current: DefaultEncryption;
  capabilities: ServiceCapabilities | null;
  readOnly: boolean;
  onSaved: (value: DefaultEncryption) => void;
}) {
  const [mode, setMode] = useState(current.mode);
  const [kmsKeyId, setKmsKeyId] = useState(current.mode === 'SSE-KMS' ? current.kmsKeyId : '');
  const [bucketKey, setBucketKey] = useState(current.mode !== 'none' && current.bucketKey);
  const { busy, error, setError, run } = useDialogAction();
  const labelId = useId();
  const bucketKeyHint = useId();

  function save(): void {
    const encryption: DefaultEncryption =
      mode === 'none'
        ? { mode }
        : mode === 'SSE-S3'
          ? { mode, bucketKey: false }
          : { mode, kmsKeyId: kmsKeyId.trim(), bucketKey };
    void run(
      () => api.bucketSettings.setEncryption({ accountId, bucket, encryption }),
      (saved) => {
        notify(`Default encryption of “${bucket}” saved`, 'success');
        onSaved(saved);
      },
    );
  }

  return (
    <>
      <span id={labelId} className="form-label">
        Encrypt new objects with
      </span>
      <div role="radiogroup" aria-labelledby={labelId} className="settings-choices">
        {choices.map((choice) => {
          const missing = whyNot(capabilities, choice.mode);
          const id = `${labelId}-${choice.mode}`;
          return (
            <div key={choice.mode} className="settings-choice">
              <label className="check">
                <input
                  type="radio"
                  name={labelId}
                  value={choice.mode}
                  checked={mode === choice.mode}
                  disabled={readOnly || (missing !== undefined && current.mode !== choice.mode)}
                  aria-describedby={`${id}-means`}
                  onChange={() => {
                    setMode(choice.mode);
                    setError(null);
                  }}
                />
                <span>{choice.label}</span>
              </label>
              <p id={`${id}-means`} className="field-hint settings-choice__means">
                {missing ?? choice.means}
              </p>
            </div>
          );
        })}
      </div>
      {mode === 'SSE-KMS' ? (
        <div className="form-grid form-grid--stacked settings-section__fields">
          <TextField
            label="KMS key"
            autoComplete="off"
            placeholder="alias/aws/s3"
            hint="A key id, an alias (alias/name) or a key ARN. Empty: the service's default key for S3."
            value={kmsKeyId}
            readOnly={readOnly}
            onValueChange={(value) => {
              setKmsKeyId(value);
              setError(null);
            }}
          />
          <label className="check">
            <input
              type="checkbox"
              checked={bucketKey}
              disabled={readOnly}
              aria-describedby={bucketKeyHint}
              onChange={(event) => setBucketKey(event.target.checked)}
            />
            <span>Use an S3 bucket key</span>
          </label>
          <p id={bucketKeyHint} className="field-hint">
            One key for the bucket, made from the KMS key, instead of a KMS request for every object: fewer KMS requests
            and lower cost.
          </p>
        </div>
      ) : null}
      <DialogError error={error} />
      {readOnly ? null : <SaveRow busy={busy} label="Save encryption" busyLabel="Saving…" onSave={save} />}
    </>
  );
}
