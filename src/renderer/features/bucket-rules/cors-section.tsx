import '../../styles/bucket-rules.css';
import { useId, useState } from 'react';
import {
  corsExposure,
  corsMethods,
  corsPresets,
  corsRulesSchema,
  type CorsMethod,
  type CorsRule,
} from '../../../shared/bucket-rules';
import { DialogError, useDialogAction } from '../../components/dialog-parts';
import { TextField } from '../../components/form-field';
import { api } from '../../api';
import { notify } from '../../stores/app-store';
import type { SectionProps } from '../bucket-settings/sections';
import { ExposureConfirmation, SaveRow, type Exposure } from '../bucket-settings/section-parts';
import { AvailableSetting } from './available-setting';
import { DraftTextField, RuleCard, type RuleFormProps } from './rule-card';
import { firstRuleProblem, listOf, numberOf } from './rule-form-parts';

/** A rule as the form holds it: lists as typed text. */
interface CorsDraft {
  key: number;
  id: string;
  origins: string;
  methods: CorsMethod[];
  allowedHeaders: string;
  exposeHeaders: string;
  maxAge: string;
}

let nextKey = 1;

function draftOf(rule: CorsRule): CorsDraft {
  return {
    key: nextKey++,
    id: rule.id,
    origins: rule.allowedOrigins.join(', '),
    methods: [...rule.allowedMethods],
    allowedHeaders: rule.allowedHeaders.join(', '),
    exposeHeaders: rule.exposeHeaders.join(', '),
    maxAge: rule.maxAgeSeconds === undefined ? '' : String(rule.maxAgeSeconds),
  };
}

function ruleOf(draft: CorsDraft): CorsRule {
  const maxAge = numberOf(draft.maxAge);
  return {
    id: draft.id.trim(),
    allowedOrigins: listOf(draft.origins),
    allowedMethods: draft.methods,
    allowedHeaders: listOf(draft.allowedHeaders),
    exposeHeaders: listOf(draft.exposeHeaders),
    ...(maxAge !== undefined ? { maxAgeSeconds: maxAge } : {}),
  };
}

/**
 * The bucket's CORS rules: which web sites' pages may send which requests to the bucket and read
 * the answers. Each rule's origins, methods, headers and cache time, checked as typed; presets
 * for uploads from one web site (upload links, POST forms), the drop box's page, and reads from
 * any site (which asks first: it lets every site's scripts read what their visitors may read).
 */
export function CorsSection({ accountId, bucket, readOnly }: SectionProps) {
  return (
    <AvailableSetting
      read={() => api.cors.get({ accountId, bucket })}
      readKey={`${accountId}/${bucket}`}
      what="the CORS rules"
    >
      {(current, onSaved) => (
        <CorsForm accountId={accountId} bucket={bucket} current={current} readOnly={readOnly} onSaved={onSaved} />
      )}
    </AvailableSetting>
  );
}

function CorsForm({ accountId, bucket, current, readOnly, onSaved }: RuleFormProps<CorsRule[]>) {
  const [drafts, setDrafts] = useState<CorsDraft[]>(() => current.map(draftOf));
  const [presetOrigin, setPresetOrigin] = useState('');
  const [presetError, setPresetError] = useState<string | undefined>(undefined);
  const [exposure, setExposure] = useState<Exposure | null>(null);
  const { busy, error, setError, run } = useDialogAction();
  const rules = drafts.map(ruleOf);
  const problem = firstRuleProblem(corsRulesSchema, rules);
  const [tried, setTried] = useState(false);

  const change = (key: number, patch: Partial<CorsDraft>) => {
    setDrafts((all) => all.map((d) => (d.key === key ? { ...d, ...patch } : d)));
    setError(null);
  };
  const add = (rule: CorsRule) => {
    setDrafts((all) => [...all, draftOf(rule)]);
    setError(null);
  };

  function saved(value: { rules: CorsRule[] }): void {
    notify(`CORS rules of “${bucket}” saved`, 'success');
    onSaved(value.rules);
  }

  function save(): void {
    setTried(true);
    if (problem) return;
    const exposes = corsExposure(current, rules);
    if (exposes) {
      setExposure({
        title: 'Let any web site in?',
        consequences: [exposes],
        confirmLabel: 'Save CORS rules',
        busyLabel: 'Saving…',
        apply: async () => {
          const result = await api.cors.put({ accountId, bucket, rules, confirmedExposure: true });
          if (result.ok) saved(result.value);
          return result;
        },
      });
      return;
    }
    void run(() => api.cors.put({ accountId, bucket, rules }), saved);
  }

  function addUploadsPreset(): void {
    const origin = presetOrigin.trim();
    if (!/^https?:\/\/[^/\s?#]+$/i.test(origin)) {
      setPresetError('Write the web site’s origin, such as https://app.example.com (no path).');
      return;
    }
    setPresetError(undefined);
    add(corsPresets.uploadsFromOrigin(origin));
  }

  return (
    <>
      <p className="field-hint">
        CORS rules let pages of other web sites send requests to this bucket from a browser and read the answers. They
        give no access by themselves: a request still needs a signed link, or objects that are public. S3 uses the first
        rule that matches.
      </p>
      {drafts.length === 0 ? <p className="dialog__text">This bucket has no CORS rules.</p> : null}
      <ol className="rule-list" aria-label="CORS rules">
        {drafts.map((draft, index) => (
          <CorsRuleFields
            key={draft.key}
            index={index}
            draft={draft}
            readOnly={readOnly}
            onChange={(patch) => change(draft.key, patch)}
            onRemove={() => setDrafts((all) => all.filter((d) => d.key !== draft.key))}
          />
        ))}
      </ol>
      {readOnly ? null : (
        <fieldset className="rule-presets">
          <legend>Add a rule</legend>
          <div className="form-grid form-grid--stacked">
            <TextField
              label="Web site origin"
              autoComplete="off"
              placeholder="https://app.example.com"
              hint="For uploads from pages of this site: PUT (upload links) and POST (forms), any header, ETag readable."
              value={presetOrigin}
              error={presetError}
              onValueChange={(value) => {
                setPresetOrigin(value);
                setPresetError(undefined);
              }}
            />
          </div>
          <div className="settings-section__actions">
            <button type="button" className="button" onClick={addUploadsPreset}>
              Allow uploads from this web origin
            </button>
            <button type="button" className="button" onClick={() => add(corsPresets.dropBoxPage())}>
              Allow the drop box page
            </button>
            <button type="button" className="button" onClick={() => add(corsPresets.readsFromAnyOrigin())}>
              Allow browser reads from any origin
            </button>
            <button
              type="button"
              className="button"
              onClick={() =>
                add({ id: '', allowedOrigins: [], allowedMethods: ['GET'], allowedHeaders: [], exposeHeaders: [] })
              }
            >
              Add an empty rule
            </button>
          </div>
        </fieldset>
      )}
      {tried && problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      <DialogError error={error} />
      {readOnly ? null : <SaveRow busy={busy} label="Save CORS rules" busyLabel="Saving…" onSave={save} />}
      <ExposureConfirmation exposure={exposure} onClose={() => setExposure(null)} />
    </>
  );
}

function CorsRuleFields({
  index,
  draft,
  readOnly,
  onChange,
  onRemove,
}: {
  index: number;
  draft: CorsDraft;
  readOnly: boolean;
  onChange: (patch: Partial<CorsDraft>) => void;
  onRemove: () => void;
}) {
  const methodsId = useId();
  const field = { draft, readOnly, onChange };
  return (
    <RuleCard name={`CORS rule ${index + 1}`} ruleId={draft.id} readOnly={readOnly} onRemove={onRemove}>
      <div className="form-grid form-grid--stacked">
        <DraftTextField {...field} field="id" label="Rule id" hint="Optional." />
        <DraftTextField
          {...field}
          field="origins"
          label="Allowed origins"
          hint="Separated by commas: https://example.com, https://*.example.com, null (pages opened from a file), or * for any site."
        />
      </div>
      <div role="group" aria-labelledby={methodsId} className="rule-methods">
        <span id={methodsId} className="form-label">
          Allowed methods
        </span>
        {corsMethods.map((method) => (
          <label key={method} className="check">
            <input
              type="checkbox"
              checked={draft.methods.includes(method)}
              disabled={readOnly}
              onChange={(event) =>
                onChange({
                  methods: event.target.checked
                    ? corsMethods.filter((m) => m === method || draft.methods.includes(m))
                    : draft.methods.filter((m) => m !== method),
                })
              }
            />
            <span>{method}</span>
          </label>
        ))}
      </div>
      <div className="form-grid form-grid--stacked">
        <DraftTextField
          {...field}
          field="allowedHeaders"
          label="Allowed headers"
          hint="Request headers pages may send, separated by commas; * for any."
        />
        <DraftTextField
          {...field}
          field="exposeHeaders"
          label="Exposed headers"
          hint="Answer headers pages may read, such as ETag."
        />
        <DraftTextField
          {...field}
          field="maxAge"
          numeric
          label="Cache time (seconds)"
          hint="How long a browser may remember this answer. Empty: the browser decides."
        />
      </div>
    </RuleCard>
  );
}
