import '../../styles/bucket-rules.css';
import { useId, useState } from 'react';
import {
  websiteConfigSchema,
  websiteExposureText,
  type BucketWebsite,
  type WebsiteConfig,
} from '../../../shared/bucket-rules';
import { DialogError, useDialogAction } from '../../components/dialog-parts';
import { SelectField, TextField } from '../../components/form-field';
import { api } from '../../api';
import { notify } from '../../stores/app-store';
import type { SectionProps } from '../bucket-settings/sections';
import { ExposureConfirmation, SaveRow, type Exposure } from '../bucket-settings/section-parts';
import { AvailableSetting } from './available-setting';
import type { RuleFormProps } from './rule-card';

type Mode = 'off' | 'serve' | 'redirect';

/**
 * Static website hosting: off, serve the bucket's files (index and error documents; routing
 * rules set elsewhere are kept), or redirect every request to another host. Shows the website's
 * address where the service has a known one. Turning it on asks first; it does not make
 * anything public (a policy or the objects' access does that), and says so.
 */
export function WebsiteSection({ accountId, bucket, readOnly }: SectionProps) {
  return (
    <AvailableSetting
      read={() => api.website.get({ accountId, bucket })}
      readKey={`${accountId}/${bucket}`}
      what="the website settings"
    >
      {(current, onSaved) => (
        <WebsiteForm accountId={accountId} bucket={bucket} current={current} readOnly={readOnly} onSaved={onSaved} />
      )}
    </AvailableSetting>
  );
}

function WebsiteForm({ accountId, bucket, current, readOnly, onSaved }: RuleFormProps<BucketWebsite>) {
  const config = current.config;
  const [mode, setMode] = useState<Mode>(config?.mode ?? 'off');
  const [indexDocument, setIndex] = useState(config?.mode === 'serve' ? config.indexDocument : 'index.html');
  const [errorDocument, setErrorDocument] = useState(config?.mode === 'serve' ? config.errorDocument : '');
  const [hostName, setHostName] = useState(config?.mode === 'redirect' ? config.hostName : '');
  const [protocol, setProtocol] = useState(config?.mode === 'redirect' ? config.protocol : '');
  const [exposure, setExposure] = useState<Exposure | null>(null);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const { busy, error, setError, run } = useDialogAction();
  const labelId = useId();
  const routingRules = config?.mode === 'serve' ? config.routingRules : [];

  function saved(website: BucketWebsite): void {
    notify(`Website settings of “${bucket}” saved`, 'success');
    onSaved(website);
  }

  function save(): void {
    if (mode === 'off') {
      void run(() => api.website.delete({ accountId, bucket }), saved);
      return;
    }
    const draft =
      mode === 'serve' ? { mode, indexDocument, errorDocument, routingRules } : { mode, hostName, protocol };
    const checked = websiteConfigSchema.safeParse(draft);
    if (!checked.success) {
      setProblem(checked.error.issues[0]?.message ?? 'Check the website settings.');
      return;
    }
    setProblem(undefined);
    const next: WebsiteConfig = checked.data;
    if (config === null && next.mode === 'serve') {
      setExposure({
        title: 'Turn on the website?',
        consequences: [websiteExposureText],
        confirmLabel: 'Turn on website',
        busyLabel: 'Saving…',
        apply: async () => {
          const result = await api.website.put({ accountId, bucket, config: next, confirmedExposure: true });
          if (result.ok) saved(result.value);
          return result;
        },
      });
      return;
    }
    void run(() => api.website.put({ accountId, bucket, config: next }), saved);
  }

  const choices: { value: Mode; label: string }[] = [
    { value: 'off', label: 'Off' },
    { value: 'serve', label: 'Serve the bucket’s files as a website' },
    { value: 'redirect', label: 'Redirect every request to another host' },
  ];

  return (
    <>
      <p className="field-hint">
        Website address: {current.url ? <code className="website-url">{current.url}</code> : null} {current.urlNote}{' '}
        Visitors can read only what is public: a website usually needs a bucket policy that lets anyone read, which this
        section does not change.
      </p>
      <span id={labelId} className="form-label">
        Website hosting
      </span>
      <div role="radiogroup" aria-labelledby={labelId} className="settings-choices">
        {choices.map((choice) => (
          <label key={choice.value} className="check">
            <input
              type="radio"
              name={labelId}
              value={choice.value}
              checked={mode === choice.value}
              disabled={readOnly}
              onChange={() => {
                setMode(choice.value);
                setError(null);
              }}
            />
            <span>{choice.label}</span>
          </label>
        ))}
      </div>
      {mode === 'serve' ? (
        <div className="form-grid form-grid--stacked settings-section__fields">
          <TextField
            label="Index document"
            autoComplete="off"
            value={indexDocument}
            readOnly={readOnly}
            hint="Served for the bucket’s root and every folder, such as index.html."
            onValueChange={setIndex}
          />
          <TextField
            label="Error document"
            autoComplete="off"
            value={errorDocument}
            readOnly={readOnly}
            hint="Optional: the key served for errors, such as error.html."
            onValueChange={setErrorDocument}
          />
          {routingRules.length > 0 ? (
            <p className="field-hint">
              {routingRules.length === 1 ? '1 routing rule is' : `${routingRules.length} routing rules are`} kept as
              they are.
            </p>
          ) : null}
        </div>
      ) : null}
      {mode === 'redirect' ? (
        <div className="form-grid form-grid--stacked settings-section__fields">
          <TextField
            label="Redirect to host"
            autoComplete="off"
            placeholder="www.example.com"
            value={hostName}
            readOnly={readOnly}
            onValueChange={setHostName}
          />
          <SelectField
            label="Protocol"
            value={protocol}
            disabled={readOnly}
            onValueChange={(value) => setProtocol(value as typeof protocol)}
          >
            <option value="">Same as the request</option>
            <option value="https">https</option>
            <option value="http">http</option>
          </SelectField>
        </div>
      ) : null}
      {problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      <DialogError error={error} />
      {readOnly ? null : <SaveRow busy={busy} label="Save website settings" busyLabel="Saving…" onSave={save} />}
      <ExposureConfirmation exposure={exposure} onClose={() => setExposure(null)} />
    </>
  );
}
