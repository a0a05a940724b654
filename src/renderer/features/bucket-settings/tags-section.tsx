import { useState } from 'react';
import { bucketTagSetSchema, MAX_BUCKET_TAGS, type BucketTag } from '../../../shared/bucket-settings';
import { DialogError, useDialogAction } from '../../components/dialog-parts';
import { KeyValueRows, newRow, type KeyValueRow } from '../../components/key-value-rows';
import { notify } from '../../stores/app-store';
import { api } from '../../api';
import { isValidTags, tagProblems, tagsOf } from '../details/edit-form';
import type { SectionProps } from './sections';
import { SaveRow } from './section-parts';
import { SettingForm } from './setting-form';

/**
 * The bucket's tags: rows of key and value checked against S3's rules as they are typed (at most
 * 50, each key once, no "aws:" prefix, S3's characters); Save replaces the set (empty removes it)
 * and shows what the service read back.
 */
export function TagsSection({ accountId, bucket, readOnly }: SectionProps) {
  return (
    <SettingForm
      read={() => api.bucketSettings.tags({ accountId, bucket })}
      readKey={`${accountId}/${bucket}`}
      what="the bucket's tags"
    >
      {(tags, onSaved) => (
        <TagsForm accountId={accountId} bucket={bucket} tags={tags} readOnly={readOnly} onSaved={onSaved} />
      )}
    </SettingForm>
  );
}

function TagsForm({
  accountId,
  bucket,
  tags,
  readOnly,
  onSaved,
}: {
  accountId: string;
  bucket: string;
  tags: BucketTag[];
  readOnly: boolean;
  onSaved: (tags: BucketTag[]) => void;
}) {
  const [rows, setRows] = useState<KeyValueRow[]>(() => tags.map((tag) => newRow(tag.key, tag.value)));
  const { busy, error, setError, run } = useDialogAction();
  const problems = tagProblems(rows, bucketTagSetSchema);
  const valid = isValidTags(problems);
  const [tried, setTried] = useState(false);

  function save(): void {
    setTried(true);
    if (!valid) return;
    void run(
      () => api.bucketSettings.setTags({ accountId, bucket, tags: tagsOf(rows) }),
      (saved) => {
        notify(`Tags of “${bucket}” saved`, 'success');
        onSaved(saved);
      },
    );
  }

  return (
    <>
      <p className="field-hint">
        At most {MAX_BUCKET_TAGS} tags; letters, digits, spaces and _ . : / = + - @; keys cannot start with “aws:”.
        Bucket tags are used for cost allocation and access rules. An empty list removes all tags.
      </p>
      <KeyValueRows
        rows={rows}
        onChange={(next) => {
          setRows(next);
          setError(null);
        }}
        problems={tried || !valid ? problems.rows : {}}
        noun="Bucket tag"
        addLabel="Add tag"
        groupLabel="Bucket tags"
      />
      {problems.set ? (
        <p className="field-error" role="alert">
          {problems.set}
        </p>
      ) : null}
      <DialogError error={error} />
      {readOnly ? null : <SaveRow busy={busy} label="Save tags" busyLabel="Saving…" onSave={save} />}
    </>
  );
}
