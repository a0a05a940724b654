import { useEffect, useId, useState } from 'react';
import type { AppError } from '../../../shared/errors';
import type { FolderEntry } from '../../../shared/objects';
import { api } from '../../api';
import { TextField } from '../../components/form-field';
import { Icon } from '../../components/icon';
import { folderPrefix } from './dialog-text';
import { formatLocation } from './parse-location';

/**
 * Where a copy or move lands in a bucket: the folder typed (autofocused), and below it a picker of
 * that folder's subfolders and a way up, which fills the field.
 */
export function DestinationFolder({
  accountId,
  bucket,
  folder,
  hint,
  error,
  onFolderChange,
}: {
  accountId: string;
  bucket: string;
  /** The folder as typed. */
  folder: string;
  hint: string;
  error?: string | undefined;
  onFolderChange: (folder: string) => void;
}) {
  return (
    <>
      <TextField
        label="Folder"
        data-autofocus
        autoComplete="off"
        placeholder="(the bucket's top level)"
        hint={hint}
        value={folder}
        onValueChange={onFolderChange}
        error={error}
      />
      <span className="form-label" aria-hidden="true" />
      {bucket ? (
        <FolderPicker accountId={accountId} bucket={bucket} prefix={folderPrefix(folder)} onPick={onFolderChange} />
      ) : null}
    </>
  );
}

type PickerState =
  | { status: 'loading'; key: string }
  | { status: 'ready'; key: string; folders: FolderEntry[]; more: boolean }
  | { status: 'error'; key: string; error: AppError };

/** Browses folders of a bucket for the copy or move target: the subfolders of the folder typed, and a way up. */
function FolderPicker({
  accountId,
  bucket,
  prefix,
  onPick,
}: {
  accountId: string;
  bucket: string;
  prefix: string;
  onPick: (prefix: string) => void;
}) {
  const labelId = useId();
  const key = JSON.stringify([accountId, bucket, prefix]);
  const [state, setState] = useState<PickerState>({ status: 'loading', key });
  useEffect(() => {
    let current = true;
    // One page is enough to pick from; a folder with more subfolders can be typed.
    void api.objects.list({ accountId, bucket, prefix }).then((result) => {
      if (!current) return;
      setState(
        result.ok
          ? { status: 'ready', key, folders: result.value.folders, more: result.value.nextToken !== null }
          : { status: 'error', key, error: result.error },
      );
    });
    return () => {
      current = false;
    };
  }, [accountId, bucket, prefix, key]);

  const shown = state.key === key ? state : { status: 'loading' as const, key };
  const parent = prefix === '' ? null : prefix.slice(0, prefix.slice(0, -1).lastIndexOf('/') + 1);
  return (
    <div className="form-control">
      <div className="folder-picker" role="group" aria-labelledby={labelId}>
        <p id={labelId} className="folder-picker__title">
          Folders in {formatLocation(bucket, prefix)}
        </p>
        <ul className="folder-picker__list">
          {parent !== null ? (
            <li>
              <button type="button" className="folder-picker__item" onClick={() => onPick(parent)}>
                <Icon name="arrow-up" />
                Up one level
              </button>
            </li>
          ) : null}
          {shown.status === 'ready'
            ? shown.folders.map((folder) => (
                <li key={folder.key}>
                  <button type="button" className="folder-picker__item" onClick={() => onPick(folder.key)}>
                    <Icon name="folder" />
                    {folder.name}
                  </button>
                </li>
              ))
            : null}
        </ul>
        {shown.status === 'loading' ? <p className="folder-picker__note">Loading…</p> : null}
        {shown.status === 'ready' && shown.folders.length === 0 ? (
          <p className="folder-picker__note">No folders here.</p>
        ) : null}
        {shown.status === 'ready' && shown.more ? (
          <p className="folder-picker__note">More folders exist: type the path to reach them.</p>
        ) : null}
        {shown.status === 'error' ? <p className="folder-picker__note">{shown.error.message}</p> : null}
      </div>
    </div>
  );
}
