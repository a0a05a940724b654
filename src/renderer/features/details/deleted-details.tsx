import { useShallow } from 'zustand/react/shallow';
import { notify, useAppStore } from '../../stores/app-store';
import { itemName } from '../../stores/object-actions-slice';
import type { BrowserEntry } from '../browser/entries';
import { formatSize } from '../browser/format';
import { formatLocation } from '../browser/parse-location';
import { Muted, Property } from './property';

// Dates in the person's own locale and time zone, with the time.
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * A deleted file or folder selected in the list ("Show deleted files"): what it was, when it
 * was deleted, and Undelete (and, for a file, Show versions). Nothing is asked of the service:
 * a HEAD of a deleted key would only answer "not found".
 */
export function DeletedDetails({
  entry,
  bucket,
  accountId,
}: {
  entry: BrowserEntry;
  bucket: string;
  accountId: string;
}) {
  const { undeleteItems, openBrowserDialog, prefix } = useAppStore(
    useShallow((s) => ({
      undeleteItems: s.undeleteItems,
      openBrowserDialog: s.openBrowserDialog,
      prefix: s.listing.location?.prefix ?? '',
    })),
  );
  const location = { accountId, bucket, prefix };
  const isFile = entry.kind === 'file';
  return (
    <>
      <h3 className="details__title">{itemName(entry.key)}</h3>
      <dl className="properties">
        <Property label="Kind">{isFile ? 'Deleted file' : 'Folder of deleted files'}</Property>
        <Property label="Path">{formatLocation(bucket, entry.key)}</Property>
        {isFile ? (
          <>
            <Property label="Deleted">
              {entry.lastModified ? dateFormat.format(new Date(entry.lastModified)) : <Muted>Not reported</Muted>}
            </Property>
            {entry.size > 0 ? <Property label="Size before">{formatSize(entry.size)}</Property> : null}
          </>
        ) : null}
      </dl>
      <div className="details__actions">
        <button
          type="button"
          className="button button--small"
          onClick={() =>
            void undeleteItems(location, [entry.key]).then((result) => {
              if (!result.ok) notify(`Could not undelete: ${result.error.message}`, 'error');
            })
          }
        >
          Undelete
        </button>
        {isFile ? (
          <button
            type="button"
            className="button button--small"
            onClick={() => openBrowserDialog({ kind: 'versions', location, key: entry.key })}
          >
            Show versions
          </button>
        ) : null}
      </div>
    </>
  );
}
