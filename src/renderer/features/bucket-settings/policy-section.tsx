import { useDeferredValue, useId, useMemo, useRef, useState } from 'react';
import {
  checkBucketPolicy,
  exposingStatements,
  plainHttpLockout,
  problemText,
  withTemplate,
  type PolicyTemplate,
} from '../../../shared/bucket-policy';
import type { BucketPolicyState } from '../../../shared/bucket-settings';
import type { AppError } from '../../../shared/errors';
import { ConfirmButtons, DialogError, useDialogAction } from '../../components/dialog-parts';
import { Icon } from '../../components/icon';
import { notify, useAppStore } from '../../stores/app-store';
import { api } from '../../api';
import { ConfirmDialog } from '../browser/dialog-frame';
import { PolicyEditor, revealPosition } from './policy-editor';
import { PolicyTemplates } from './policy-templates';
import type { SectionProps } from './sections';
import { ExposureConfirmation, SaveRow, type Exposure } from './section-parts';
import { SettingForm } from './setting-form';

/**
 * The bucket policy: a JSON editor with line numbers, checked as it is typed against the policy
 * grammar (each problem with its line and column, a button that puts the caret there), what the
 * policy allows in words, templates, Save (refused with the first problem's line and column while
 * there are problems; a policy that lets anyone in asks first, naming what it opens) and Delete.
 */
export function PolicySection({ accountId, bucket, readOnly }: SectionProps) {
  return (
    <SettingForm
      read={() => api.bucketSettings.policy({ accountId, bucket })}
      readKey={`${accountId}/${bucket}`}
      what="the bucket policy"
    >
      {(state, onSaved) => (
        <PolicyForm accountId={accountId} bucket={bucket} stored={state} readOnly={readOnly} onSaved={onSaved} />
      )}
    </SettingForm>
  );
}

/** A stored policy as the editor shows it: indented, as people write them. */
function readable(policy: string | null): string {
  if (policy === null) return '';
  try {
    return `${JSON.stringify(JSON.parse(policy), null, 2)}\n`;
  } catch {
    return policy;
  }
}

function PolicyForm({
  accountId,
  bucket,
  stored,
  readOnly,
  onSaved,
}: {
  accountId: string;
  bucket: string;
  stored: BucketPolicyState;
  readOnly: boolean;
  onSaved: (state: BucketPolicyState) => void;
}) {
  const [text, setText] = useState(() => readable(stored.policy));
  const typed = useDeferredValue(text);
  const check = useMemo(() => (typed.trim() === '' ? null : checkBucketPolicy(typed, bucket)), [typed, bucket]);
  const [exposure, setExposure] = useState<Exposure | null>(null);
  const [deleting, setDeleting] = useState(false);
  const { busy, error, setError, run } = useDialogAction();
  const editor = useRef<HTMLTextAreaElement>(null);
  const ids = { editor: useId(), problems: useId(), summary: useId() };
  const problems = check?.problems ?? [];
  const endpoint = useAppStore((s) => s.accounts.find((a) => a.id === accountId)?.endpoint ?? '');
  const lockout = check && problems.length === 0 ? plainHttpLockout(check, endpoint) : undefined;

  function saved(next: BucketPolicyState, words: string): void {
    notify(words, 'success');
    onSaved(next);
  }

  function save(): void {
    const now = checkBucketPolicy(text, bucket);
    const first = now.problems[0];
    if (text.trim() === '') {
      setError({ code: 'invalid-input', message: 'Write a policy first, or use Delete policy to remove it.' });
      return;
    }
    if (first) {
      const more = now.problems.length > 1 ? ` (and ${now.problems.length - 1} more problems below)` : '';
      setError({ code: 'invalid-input', message: `The policy was not saved. ${problemText(first)}${more}` });
      if (editor.current) revealPosition(editor.current, first.position.offset);
      return;
    }
    const exposing = exposingStatements(now);
    const lockedOut = plainHttpLockout(now, endpoint);
    const apply = (exposureConfirmed: boolean) =>
      api.bucketSettings.setPolicy({ accountId, bucket, policy: text, exposureConfirmed });
    if (exposing.length === 0 && lockedOut === undefined) {
      void run(
        () => apply(false),
        (next) => saved(next, `Policy of “${bucket}” saved`),
      );
      return;
    }
    setExposure({
      title: exposing.length > 0 ? 'Open the bucket to anyone?' : 'Refuse this app’s own requests?',
      consequences: [...exposing, ...(lockedOut ? [lockedOut] : [])],
      confirmLabel: exposing.length > 0 ? 'Save and open to anyone' : 'Save policy',
      busyLabel: 'Saving…',
      apply: async () => {
        const result = await apply(true);
        if (result.ok) saved(result.value, `Policy of “${bucket}” saved: it is open to anyone`);
        return result;
      },
    });
  }

  return (
    <>
      <label htmlFor={ids.editor} className="form-label">
        Policy (JSON)
      </label>
      <PolicyEditor
        id={ids.editor}
        value={text}
        onChange={(value) => {
          setText(value);
          setError(null);
        }}
        readOnly={readOnly}
        invalid={problems.length > 0}
        describedBy={problems.length > 0 ? ids.problems : undefined}
        textareaRef={editor}
      />
      {stored.policy === null && text === '' ? (
        <p className="field-hint">This bucket has no policy. Write one, or start from a template below.</p>
      ) : null}
      {problems.length > 0 ? (
        <div id={ids.problems} className="policy-problems">
          <p className="field-error">
            {problems.length === 1 ? '1 problem' : `${problems.length} problems`} in the policy:
          </p>
          <ul aria-label="Problems in the policy">
            {problems.slice(0, 20).map((problem) => (
              <li key={`${problem.position.offset} ${problem.message}`}>
                <button
                  type="button"
                  className="policy-problems__item"
                  onClick={() => editor.current && revealPosition(editor.current, problem.position.offset)}
                >
                  {problemText(problem)}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {check && check.statements.length > 0 ? (
        <section className="policy-summary" aria-labelledby={ids.summary}>
          <h4 id={ids.summary} className="policy-summary__title">
            What this policy allows
          </h4>
          <ul>
            {check.statements.map((statement, index) => (
              <li key={index} data-exposes={statement.exposes || undefined}>
                {statement.exposes ? <Icon name="alert" className="inline-icon" /> : null}
                {statement.sentence}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {lockout ? (
        <p className="callout callout--warning">
          <Icon name="alert" />
          <span>{lockout}</span>
        </p>
      ) : null}
      <DialogError error={error} />
      {readOnly ? null : (
        <>
          <SaveRow busy={busy} label="Save policy" busyLabel="Saving…" onSave={save}>
            <button
              type="button"
              className="button"
              onClick={() => {
                setText(readable(stored.policy));
                setError(null);
              }}
            >
              Revert
            </button>
            {stored.policy !== null ? (
              <button type="button" className="button button--danger" onClick={() => setDeleting(true)}>
                Delete policy
              </button>
            ) : null}
          </SaveRow>
          <PolicyTemplates
            bucket={bucket}
            onAdd={(template: PolicyTemplate) => {
              setText((current) => withTemplate(current, template, bucket));
              setError(null);
            }}
          />
        </>
      )}
      <ExposureConfirmation exposure={exposure} onClose={() => setExposure(null)} />
      <ConfirmDialog open={deleting} onClose={() => setDeleting(false)} title="Delete the bucket policy?">
        {deleting ? (
          <DeletePolicy
            accountId={accountId}
            bucket={bucket}
            onDone={(next) => {
              setDeleting(false);
              saved(next, `Policy of “${bucket}” deleted`);
            }}
          />
        ) : null}
      </ConfirmDialog>
    </>
  );
}

function DeletePolicy({
  accountId,
  bucket,
  onDone,
}: {
  accountId: string;
  bucket: string;
  onDone: (state: BucketPolicyState) => void;
}) {
  const { busy, error, run } = useDialogAction();
  return (
    <>
      <div className="dialog__body">
        <p className="dialog__text">
          Access the policy grants ends, and what it denies (such as requests without TLS) is no longer refused.
        </p>
        <DialogError error={error as AppError | null} />
      </div>
      <ConfirmButtons
        busy={busy}
        label="Delete policy"
        busyLabel="Deleting…"
        onConfirm={() => void run(() => api.bucketSettings.deletePolicy({ accountId, bucket }), onDone)}
      />
    </>
  );
}
