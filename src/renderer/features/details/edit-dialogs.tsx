import { useMemo, useState, type FormEvent } from 'react';
import { whyOptionsUnavailable } from '../../../shared/capabilities';
import type { ObjectDetails } from '../../../shared/details';
import { MAX_OBJECT_TAGS } from '../../../shared/details';
import { lastSegment } from '../../../shared/names';
import { DialogError, useDialogAction } from '../../components/dialog-parts';
import { CheckboxField, SelectField, TextField } from '../../components/form-field';
import { notify, useAppStore } from '../../stores/app-store';
import { formatStorageClass } from '../browser/format';
import { storageClassChoices } from '../capabilities/capability-choices';
import { useBucketCapabilities } from '../capabilities/use-capabilities';
import { DetailsDialog } from './details-dialog';
import {
  editFormOf,
  editProblems,
  headerFields,
  isValidEdit,
  isValidTags,
  objectEditOf,
  tagProblems,
  tagsOf,
  type EditFormValues,
  type StorageClassChoice,
} from './edit-form';
import { KeyValueRows, newRow, type KeyValueRow } from '../../components/key-value-rows';

/** What an edit dialog is about: some objects of a bucket, and for one object its current details. */
export interface EditSubject {
  accountId: string;
  bucket: string;
  keys: string[];
  /** The one object's details (its values fill the form); null for several. */
  details: ObjectDetails | null;
}

function subjectName(subject: EditSubject): string {
  const [first] = subject.keys;
  return subject.keys.length === 1 && first !== undefined
    ? `“${lastSegment(first)}”`
    : `${subject.keys.length.toLocaleString()} files`;
}

/**
 * Cancel and Save. Save is aria-disabled while the form has a problem (it stays focusable, and
 * pressing it moves focus to the first problem instead of sending anything).
 */
function SaveButtons({ busy, valid, onCancel }: { busy: boolean; valid: boolean; onCancel: () => void }) {
  return (
    <div className="dialog__footer">
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" aria-disabled={busy || !valid || undefined}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
    </div>
  );
}

/** Focuses the first field marked invalid in a form (after a refused save). */
function focusFirstInvalid(form: HTMLFormElement): void {
  form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}

/**
 * "Edit properties": content type, the caching and disposition headers, storage class and user
 * metadata of one object or several. Checked with the shared schemas as typed (a metadata key
 * with a space or an accent is refused under its row, and nothing is sent); saved by main as a
 * copy onto itself, keeping what was not edited (tags and encryption too), in the transfers panel.
 */
export function EditPropertiesDialog({ subject, onClose }: { subject: EditSubject | null; onClose: () => void }) {
  return (
    <DetailsDialog
      open={subject !== null}
      onClose={onClose}
      title="Edit properties"
      description={
        subject
          ? subject.details
            ? `Headers, storage class and metadata of ${subjectName(subject)}`
            : `Applied to all ${subjectName(subject)}; blank fields keep each file's own value`
          : ''
      }
    >
      {subject ? <EditPropertiesForm subject={subject} onClose={onClose} /> : null}
    </DetailsDialog>
  );
}

function EditPropertiesForm({ subject, onClose }: { subject: EditSubject; onClose: () => void }) {
  const editObjects = useAppStore((s) => s.editObjects);
  const several = subject.details === null;
  const initial = useMemo(() => editFormOf(subject.details), [subject.details]);
  const [values, setValues] = useState<EditFormValues>(initial);
  const { busy, error, setError, run } = useDialogAction();
  const model = useBucketCapabilities(subject.accountId, subject.bucket);
  const problems = editProblems(values);
  // A class the service does not offer (chosen before its model was known) is said, not sent.
  const classProblem =
    model && values.storageClass ? whyOptionsUnavailable(model, { storageClass: values.storageClass }) : undefined;
  const valid = isValidEdit(problems) && classProblem === undefined;
  const currentClass = subject.details?.storageClass ?? null;

  function change(next: Partial<EditFormValues>): void {
    setValues((state) => ({ ...state, ...next }));
    setError(null);
  }

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (!valid) {
      focusFirstInvalid(event.currentTarget);
      return;
    }
    const edit = objectEditOf(initial, values, several);
    if (Object.keys(edit).length === 0) {
      notify('Nothing to save: no field was changed.');
      onClose();
      return;
    }
    void run(() => editObjects({ accountId: subject.accountId, bucket: subject.bucket }, subject.keys, edit), onClose);
  }

  return (
    <form className="dialog__form" noValidate onSubmit={submit}>
      <div className="dialog__body">
        <div className="form-grid">
          {headerFields.map(({ field, label, placeholder }, index) => (
            <TextField
              key={field}
              label={label}
              placeholder={several ? 'Keep' : placeholder}
              autoComplete="off"
              {...(index === 0 ? { 'data-autofocus': true } : {})}
              value={values.headers[field]}
              error={problems.headers[field]}
              hint={field === 'expires' ? 'A date and time (ISO 8601); empty removes it.' : undefined}
              onValueChange={(value) => change({ headers: { ...values.headers, [field]: value } })}
            />
          ))}
          <SelectField
            label="Storage class"
            hint={
              model?.storageClasses.length
                ? 'Only the classes this service offers are listed; archive classes must be restored before reading.'
                : 'Some services accept only some classes; archive classes must be restored before reading.'
            }
            error={classProblem}
            value={values.storageClass}
            onValueChange={(value) => change({ storageClass: value as StorageClassChoice })}
          >
            <option value="">
              {several || !currentClass ? 'Keep as is' : `Keep (${formatStorageClass(currentClass)})`}
            </option>
            {storageClassChoices(model, values.storageClass).map((choice) => (
              <option key={choice.value} value={choice.value} disabled={choice.unavailable !== undefined}>
                {formatStorageClass(choice.value)}
              </option>
            ))}
          </SelectField>
          {several ? (
            <CheckboxField
              label="Replace the user metadata of every file"
              hint="Leave unticked to keep each file's own metadata."
              checked={values.replaceMetadata}
              onCheckedChange={(replaceMetadata) => change({ replaceMetadata })}
            />
          ) : null}
        </div>
        <h3 className="details-form__subtitle">User metadata</h3>
        <p className="field-hint">
          Sent as x-amz-meta-&lt;key&gt;: ASCII letters, digits and - _ . in keys; 2 KiB in all.
        </p>
        <KeyValueRows
          rows={values.metadata}
          onChange={(metadata) => change({ metadata })}
          problems={problems.rows}
          noun="Metadata"
          addLabel="Add metadata entry"
          groupLabel="User metadata"
        />
        {problems.metadata ? <p className="field-error">{problems.metadata}</p> : null}
        <DialogError error={error} />
      </div>
      <SaveButtons busy={busy} valid={valid} onCancel={onClose} />
    </form>
  );
}

/**
 * "Edit tags": the tag set of one object (its current tags filled in) or several (replaced for
 * all). More than 10 tags, a key twice or a character S3 refuses shows here, and nothing is sent.
 */
export function EditTagsDialog({ subject, onClose }: { subject: EditSubject | null; onClose: () => void }) {
  return (
    <DetailsDialog
      open={subject !== null}
      onClose={onClose}
      title="Edit tags"
      description={
        subject
          ? subject.details
            ? `Tags of ${subjectName(subject)}`
            : `Replaces the tags of all ${subjectName(subject)}`
          : ''
      }
    >
      {subject ? <EditTagsForm subject={subject} onClose={onClose} /> : null}
    </DetailsDialog>
  );
}

function EditTagsForm({ subject, onClose }: { subject: EditSubject; onClose: () => void }) {
  const setObjectTags = useAppStore((s) => s.setObjectTags);
  const [rows, setRows] = useState<KeyValueRow[]>(() => {
    const tags = subject.details?.tags;
    return tags?.available ? tags.value.map((t) => newRow(t.key, t.value)) : [];
  });
  const { busy, error, setError, run } = useDialogAction();
  const problems = tagProblems(rows);
  const valid = isValidTags(problems);

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (!valid) {
      focusFirstInvalid(event.currentTarget);
      return;
    }
    void run(
      () => setObjectTags({ accountId: subject.accountId, bucket: subject.bucket }, subject.keys, tagsOf(rows)),
      onClose,
    );
  }

  return (
    <form className="dialog__form" noValidate onSubmit={submit}>
      <div className="dialog__body">
        <p className="field-hint details-form__intro">
          At most {MAX_OBJECT_TAGS} tags; letters, digits, spaces and _ . : / = + - @. An empty list removes all tags.
        </p>
        <KeyValueRows
          rows={rows}
          onChange={(next) => {
            setRows(next);
            setError(null);
          }}
          problems={problems.rows}
          noun="Tag"
          addLabel="Add tag"
          groupLabel="Tags"
        />
        {problems.set ? (
          <p className="field-error" role="alert">
            {problems.set}
          </p>
        ) : null}
        <DialogError error={error} />
      </div>
      <SaveButtons busy={busy} valid={valid} onCancel={onClose} />
    </form>
  );
}
