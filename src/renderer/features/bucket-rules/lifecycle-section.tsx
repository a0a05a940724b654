import '../../styles/bucket-rules.css';
import { useEffect, useRef, useState } from 'react';
import {
  lifecycleRulesSchema,
  newlyExpiringRules,
  previewCountText,
  type LifecyclePreview,
  type LifecycleRule,
} from '../../../shared/bucket-rules';
import { DialogError, useDialogAction } from '../../components/dialog-parts';
import { CheckboxField, SelectField } from '../../components/form-field';
import { api } from '../../api';
import { notify } from '../../stores/app-store';
import type { SectionProps } from '../bucket-settings/sections';
import { ExposureConfirmation, SaveRow, type Exposure } from '../bucket-settings/section-parts';
import { AvailableSetting } from './available-setting';
import { DraftTextField, RuleCard, type RuleFormProps } from './rule-card';
import { firstRuleProblem, numberOf } from './rule-form-parts';

/** A rule as the form holds it: numbers and tags as typed text. */
interface LifecycleDraft {
  key: number;
  id: string;
  enabled: boolean;
  prefix: string;
  tags: string;
  expirationDays: string;
  expirationDate: string;
  transitionDays: string;
  transitionClass: string;
  noncurrentDays: string;
  abortDays: string;
}

let nextKey = 1;

function draftOf(rule: LifecycleRule): LifecycleDraft {
  const transition = rule.transitions[0];
  const text = (n: number | undefined) => (n === undefined ? '' : String(n));
  return {
    key: nextKey++,
    id: rule.id,
    enabled: rule.enabled,
    prefix: rule.prefix,
    tags: rule.tags.map((t) => `${t.key}=${t.value}`).join(', '),
    expirationDays: text(rule.expirationDays),
    expirationDate: rule.expirationDate ?? '',
    transitionDays: text(transition?.days),
    transitionClass: transition?.storageClass ?? '',
    noncurrentDays: text(rule.noncurrentExpirationDays),
    abortDays: text(rule.abortIncompleteUploadDays),
  };
}

/** Tags typed as "key=value, key2=value2". */
function tagsOf(text: string): { key: string; value: string }[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const at = part.indexOf('=');
      return at < 0 ? { key: part, value: '' } : { key: part.slice(0, at).trim(), value: part.slice(at + 1).trim() };
    });
}

function ruleOf(draft: LifecycleDraft): LifecycleRule {
  const optional = <K extends string>(name: K, text: string) => {
    const value = numberOf(text);
    return value === undefined ? {} : ({ [name]: value } as Record<K, number>);
  };
  const transitionDays = numberOf(draft.transitionDays);
  return {
    id: draft.id.trim(),
    enabled: draft.enabled,
    prefix: draft.prefix,
    tags: tagsOf(draft.tags),
    ...optional('expirationDays', draft.expirationDays),
    ...(draft.expirationDate.trim() ? { expirationDate: draft.expirationDate.trim() } : {}),
    transitions:
      transitionDays !== undefined || draft.transitionClass
        ? [{ days: transitionDays ?? 0, storageClass: draft.transitionClass }]
        : [],
    ...optional('noncurrentExpirationDays', draft.noncurrentDays),
    ...optional('abortIncompleteUploadDays', draft.abortDays),
  };
}

/** The rule the "Unfinished uploads" dialog links to: abort every unfinished upload after a week. */
export const abortUploadsRule: LifecycleRule = {
  id: 'abort-unfinished-uploads',
  enabled: true,
  prefix: '',
  tags: [],
  transitions: [],
  abortIncompleteUploadDays: 7,
};

/**
 * The bucket's lifecycle rules: for keys under a prefix and/or with tags, expire (delete) current
 * versions after some days or on a date, move them to another storage class, expire old
 * versions, abort unfinished uploads. Each rule can count what it matches now (a preview that
 * shows progress and can be stopped); saving a rule that newly deletes objects asks first,
 * naming how many it matches.
 */
export function LifecycleSection({ accountId, bucket, capabilities, readOnly }: SectionProps) {
  const transitionClasses = (capabilities?.storageClasses ?? []).filter((c) => c !== 'STANDARD');
  return (
    <AvailableSetting
      read={() => api.lifecycle.get({ accountId, bucket })}
      readKey={`${accountId}/${bucket}`}
      what="the lifecycle rules"
    >
      {(current, onSaved) => (
        <LifecycleForm
          accountId={accountId}
          bucket={bucket}
          current={current}
          classes={transitionClasses}
          readOnly={readOnly}
          onSaved={onSaved}
        />
      )}
    </AvailableSetting>
  );
}

function LifecycleForm({
  accountId,
  bucket,
  current,
  classes,
  readOnly,
  onSaved,
}: RuleFormProps<LifecycleRule[]> & { classes: string[] }) {
  const [drafts, setDrafts] = useState<LifecycleDraft[]>(() => current.map(draftOf));
  const [confirm, setConfirm] = useState<Exposure | null>(null);
  const [counting, setCounting] = useState(false);
  const { busy, error, setError, run } = useDialogAction();
  const rules = drafts.map(ruleOf);
  const problem = firstRuleProblem(lifecycleRulesSchema, rules);
  const [tried, setTried] = useState(false);

  const change = (key: number, patch: Partial<LifecycleDraft>) => {
    setDrafts((all) => all.map((d) => (d.key === key ? { ...d, ...patch } : d)));
    setError(null);
  };

  function saved(value: { rules: LifecycleRule[] }): void {
    notify(`Lifecycle rules of “${bucket}” saved`, 'success');
    onSaved(value.rules);
  }

  async function save(): Promise<void> {
    setTried(true);
    if (problem || counting) return;
    const expiring = newlyExpiringRules(current, rules);
    if (expiring.length === 0) {
      void run(() => api.lifecycle.put({ accountId, bucket, rules }), saved);
      return;
    }
    // Count what each newly expiring rule matches now, so the question names it.
    setCounting(true);
    const counts = await Promise.all(
      expiring.map(async (rule) => {
        const result = await api.lifecycle.preview({
          accountId,
          bucket,
          previewId: crypto.randomUUID(),
          prefix: rule.prefix,
          tags: rule.tags,
        });
        const when =
          rule.expirationDays !== undefined
            ? `${rule.expirationDays} days after they were written`
            : `on ${rule.expirationDate}`;
        const count = result.ok ? `${previewCountText(result.value)} now` : 'objects (they could not be counted)';
        return `“${rule.id}” deletes the objects it matches ${when}: it matches ${count}. Deleted objects cannot be brought back unless the bucket keeps versions.`;
      }),
    );
    setCounting(false);
    setConfirm({
      title: 'Delete objects by rule?',
      lead: 'These rules delete objects:',
      consequences: counts,
      confirmLabel: 'Save lifecycle rules',
      busyLabel: 'Saving…',
      apply: async () => {
        const result = await api.lifecycle.put({
          accountId,
          bucket,
          rules,
          confirmedExpiry: expiring.map((r) => r.id),
        });
        if (result.ok) saved(result.value);
        return result;
      },
    });
  }

  return (
    <>
      <p className="field-hint">
        The service applies lifecycle rules once a day or so, to objects under a prefix and/or with every tag named.
        Days count from when an object was written (old versions: from when they stopped being current).
      </p>
      {drafts.length === 0 ? <p className="dialog__text">This bucket has no lifecycle rules.</p> : null}
      <ol className="rule-list" aria-label="Lifecycle rules">
        {drafts.map((draft, index) => (
          <LifecycleRuleFields
            key={draft.key}
            accountId={accountId}
            bucket={bucket}
            index={index}
            draft={draft}
            classes={classes}
            readOnly={readOnly}
            onChange={(patch) => change(draft.key, patch)}
            onRemove={() => setDrafts((all) => all.filter((d) => d.key !== draft.key))}
          />
        ))}
      </ol>
      {readOnly ? null : (
        <div className="settings-section__actions">
          <button
            type="button"
            className="button"
            onClick={() =>
              setDrafts((all) => [
                ...all,
                draftOf({ id: `rule-${all.length + 1}`, enabled: true, prefix: '', tags: [], transitions: [] }),
              ])
            }
          >
            Add rule
          </button>
          {drafts.some((d) => d.abortDays !== '') ? null : (
            <button
              type="button"
              className="button"
              onClick={() => setDrafts((all) => [...all, draftOf(abortUploadsRule)])}
            >
              Add rule: abort unfinished uploads after 7 days
            </button>
          )}
        </div>
      )}
      {tried && problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      {counting ? (
        <p className="details__loading" role="status">
          Counting the objects the rules would delete…
        </p>
      ) : null}
      <DialogError error={error} />
      {readOnly ? null : (
        <SaveRow busy={busy || counting} label="Save lifecycle rules" busyLabel="Saving…" onSave={() => void save()} />
      )}
      <ExposureConfirmation exposure={confirm} onClose={() => setConfirm(null)} />
    </>
  );
}

/** A preview of one rule: idle, counting (with progress), or its count. */
type PreviewState =
  | { status: 'idle' }
  | { status: 'counting'; previewId: string; listed: number; matched: number }
  | { status: 'done'; preview: LifecyclePreview }
  | { status: 'error'; message: string };

function LifecycleRuleFields({
  accountId,
  bucket,
  index,
  draft,
  classes,
  readOnly,
  onChange,
  onRemove,
}: {
  accountId: string;
  bucket: string;
  index: number;
  draft: LifecycleDraft;
  classes: string[];
  readOnly: boolean;
  onChange: (patch: Partial<LifecycleDraft>) => void;
  onRemove: () => void;
}) {
  const name = `Lifecycle rule ${index + 1}`;
  const [preview, setPreview] = useState<PreviewState>({ status: 'idle' });
  const running = useRef<string | null>(null);

  useEffect(
    () =>
      api.lifecycle.onPreviewProgress(({ previewId, listed, matched }) => {
        if (previewId === running.current) setPreview({ status: 'counting', previewId, listed, matched });
      }),
    [],
  );
  // A preview still running when the rule goes away is stopped.
  useEffect(
    () => () => {
      if (running.current) void api.lifecycle.cancelPreview({ previewId: running.current });
    },
    [],
  );

  async function count(): Promise<void> {
    const previewId = crypto.randomUUID();
    running.current = previewId;
    setPreview({ status: 'counting', previewId, listed: 0, matched: 0 });
    const result = await api.lifecycle.preview({
      accountId,
      bucket,
      previewId,
      prefix: draft.prefix,
      tags: tagsOf(draft.tags),
    });
    if (running.current !== previewId) return;
    running.current = null;
    setPreview(
      result.ok ? { status: 'done', preview: result.value } : { status: 'error', message: result.error.message },
    );
  }

  const field = { draft, readOnly, onChange };
  return (
    <RuleCard name={name} ruleId={draft.id} readOnly={readOnly} onRemove={onRemove}>
      <div className="form-grid form-grid--stacked">
        <DraftTextField {...field} field="id" label="Rule name" />
        <CheckboxField
          label="Enabled"
          checked={draft.enabled}
          disabled={readOnly}
          onCheckedChange={(enabled) => onChange({ enabled })}
        />
        <DraftTextField
          {...field}
          field="prefix"
          label="Prefix"
          hint="Keys starting with this, such as logs/. Empty: the whole bucket."
        />
        <DraftTextField
          {...field}
          field="tags"
          label="Tags"
          hint="Objects with every one of these tags: key=value, separated by commas."
        />
        <DraftTextField
          {...field}
          field="expirationDays"
          numeric
          label="Expire after (days)"
          hint="Deletes current versions this many days after they were written."
        />
        <DraftTextField {...field} field="expirationDate" label="Or expire on" placeholder="YYYY-MM-DD" />
        <SelectField
          label="Move to storage class"
          value={draft.transitionClass}
          disabled={readOnly}
          hint={classes.length === 0 ? 'This service names no other storage class.' : 'After the days below.'}
          onValueChange={(transitionClass) => onChange({ transitionClass })}
        >
          <option value="">Do not move</option>
          {[...new Set([...classes, ...(draft.transitionClass ? [draft.transitionClass] : [])])].map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </SelectField>
        {draft.transitionClass ? (
          <DraftTextField {...field} field="transitionDays" numeric label="Move after (days)" />
        ) : null}
        <DraftTextField
          {...field}
          field="noncurrentDays"
          numeric
          label="Expire old versions after (days)"
          hint="Deletes versions this many days after a newer one replaced them (buckets that keep versions)."
        />
        <DraftTextField
          {...field}
          field="abortDays"
          numeric
          label="Abort unfinished uploads after (days)"
          hint="Multipart uploads never completed cost storage until they are aborted. Not with tags."
        />
      </div>
      <div className="settings-section__actions">
        {preview.status === 'counting' ? (
          <>
            <span role="status">
              Counting… {preview.matched.toLocaleString()} of {preview.listed.toLocaleString()} listed match
            </span>
            <button
              type="button"
              className="button button--small"
              onClick={() => void api.lifecycle.cancelPreview({ previewId: preview.previewId })}
            >
              Stop counting
            </button>
          </>
        ) : (
          <button type="button" className="button button--small" onClick={() => void count()}>
            Count matching objects
          </button>
        )}
        {preview.status === 'done' ? (
          <span role="status">
            Matches {previewCountText(preview.preview)} now
            {preview.preview.capped === 'tag-reads'
              ? ' (stopped after reading the tags of 1,000 objects)'
              : preview.preview.capped === 'listing'
                ? ' (stopped after listing 100,000 objects)'
                : preview.preview.cancelled
                  ? ' (stopped)'
                  : ''}
            .
          </span>
        ) : null}
        {preview.status === 'error' ? <span role="alert">{preview.message}</span> : null}
      </div>
    </RuleCard>
  );
}
