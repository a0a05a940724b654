import { AlertDialog } from 'radix-ui';
import { useEffect, useId, useState, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { whyUnavailable } from '../../../shared/capabilities';
import type { BucketDetails } from '../../../shared/details';
import { ConfirmButtons, DialogError, useDialogAction } from '../../components/dialog-parts';
import { Icon } from '../../components/icon';
import { notify, useAppStore } from '../../stores/app-store';
import { countOf, formatSize } from '../browser/format';
import { ConfirmDialog } from '../browser/dialog-frame';
import { useBucketCapabilities } from '../capabilities/use-capabilities';
import { DetailsSection, Muted, Property } from './property';

const versioningText: Record<'enabled' | 'suspended' | 'never-enabled', string> = {
  enabled: 'On',
  suspended: 'Suspended (old versions are kept)',
  'never-enabled': 'Off',
};

function encryptionText(value: BucketDetails['defaultEncryption']): ReactNode {
  if (!value.available) return <Muted>{value.reason}</Muted>;
  if (value.value === null) return 'None';
  const { algorithm, kmsKeyId } = value.value;
  const name = algorithm === 'AES256' ? 'SSE-S3 (AES256)' : algorithm === 'aws:kms' ? 'SSE-KMS' : algorithm;
  return kmsKeyId ? `${name}, key ${kmsKeyId}` : name;
}

/**
 * A bucket’s properties: region, versioning (Turn on and Suspend, each after a confirmation that says what it means),
 * and default encryption, with "Bucket settings…" (policy, public access, encryption, tags, ACL and more). Loaded once per bucket; a part the service lacks says why, and where
 * the capability model says the service has no versioning, its buttons are disabled with the
 * reason beside them.
 */
export function BucketProperties({ accountId, bucket }: { accountId: string; bucket: string }) {
  const { loaded, show, openBrowserDialog } = useAppStore(
    useShallow((s) => ({
      loaded: s.bucketDetails,
      show: s.showBucketDetails,
      openBrowserDialog: s.openBrowserDialog,
    })),
  );
  // The versioning change being confirmed: the state the bucket would go to.
  const [confirming, setConfirming] = useState<VersioningTarget | null>(null);
  const model = useBucketCapabilities(accountId, bucket);
  const noVersioning = model ? whyUnavailable(model, 'versioning') : undefined;
  const reasonId = useId();
  const blocked = noVersioning !== undefined;

  useEffect(() => {
    show({ accountId, bucket });
  }, [show, accountId, bucket]);

  const mine = loaded.subject?.accountId === accountId && loaded.subject.bucket === bucket;
  const details = mine ? loaded.value : null;

  const versioningNow = details?.versioning.available ? details.versioning.value : undefined;
  return (
    <DetailsSection
      title="Bucket"
      actions={
        <button
          type="button"
          className="button button--small"
          onClick={() => openBrowserDialog({ kind: 'bucket-settings', accountId, bucket })}
        >
          Bucket settings…
        </button>
      }
    >
      {mine && loaded.status === 'error' && loaded.error ? (
        <div className="callout callout--danger">
          <Icon name="alert" />
          <div className="callout__body">
            <span>{loaded.error.message}</span>
            <button
              type="button"
              className="button button--small"
              onClick={() => show({ accountId, bucket }, { reload: true })}
            >
              Try again
            </button>
          </div>
        </div>
      ) : !details ? (
        <p className="details__muted">Loading the bucket’s properties…</p>
      ) : (
        <dl className="properties">
          <Property label="Region">{details.region ?? <Muted>Not reported</Muted>}</Property>
          <Property label="Versioning">
            {details.versioning.available ? (
              <span className="details__value-with-action">
                <span>{versioningText[details.versioning.value]}</span>
                <button
                  type="button"
                  className="button button--small"
                  aria-disabled={blocked || undefined}
                  aria-describedby={blocked ? reasonId : undefined}
                  onClick={() =>
                    blocked ? undefined : setConfirming(versioningNow === 'enabled' ? 'suspended' : 'enabled')
                  }
                >
                  {details.versioning.value === 'enabled'
                    ? 'Suspend versioning'
                    : details.versioning.value === 'suspended'
                      ? 'Turn versioning on again'
                      : 'Turn on versioning'}
                </button>
                {blocked ? (
                  <span id={reasonId} className="details__muted">
                    {noVersioning}
                  </span>
                ) : null}
              </span>
            ) : (
              <Muted>{details.versioning.reason}</Muted>
            )}
          </Property>
          <Property label="Default encryption">{encryptionText(details.defaultEncryption)}</Property>
        </dl>
      )}
      <ConfirmDialog
        open={confirming !== null}
        onClose={() => setConfirming(null)}
        title={confirming ? versioningChanges[confirming].title : ''}
      >
        {confirming ? (
          <VersioningConfirmation
            accountId={accountId}
            bucket={bucket}
            target={confirming}
            onClose={() => setConfirming(null)}
          />
        ) : null}
      </ConfirmDialog>
    </DetailsSection>
  );
}

/** What versioning can be changed to from the details panel. */
type VersioningTarget = 'enabled' | 'suspended';

/**
 * What each versioning change says before it is made. Turning on: it can only be suspended
 * afterwards, every overwrite and delete keeps a version that takes storage until deleted
 * (lifecycle rules can expire old ones), and deletes can be undone. Suspending: what is kept.
 */
const versioningChanges: Record<
  VersioningTarget,
  {
    title: string;
    label: string;
    busyLabel: string;
    done: (bucket: string) => string;
    text: (bucket: string) => ReactNode;
  }
> = {
  suspended: {
    title: 'Suspend versioning?',
    label: 'Suspend',
    busyLabel: 'Suspending…',
    done: (bucket) => `Versioning suspended for “${bucket}”`,
    text: (bucket) => (
      <p>
        New writes and deletes in “{bucket}” will replace objects instead of keeping their old versions: a version
        written while suspended is replaced or deleted for good. The versions kept so far stay, and still take storage,
        until they are deleted; deleted files kept so far can still be undeleted. You can turn versioning on again
        later.
      </p>
    ),
  },
  enabled: {
    title: 'Turn on versioning?',
    label: 'Turn on versioning',
    busyLabel: 'Turning on…',
    done: (bucket) => `Versioning is on for “${bucket}”`,
    text: (bucket) => (
      <>
        <p>“{bucket}” will keep every version of its objects:</p>
        <ul className="versioning-points">
          <li>
            Every overwrite and every delete keeps the earlier version. Kept versions take storage, and are billed,
            until they are deleted: lifecycle rules on the bucket can expire old versions.
          </li>
          <li>Deletes can be undone: Show deleted files → Undelete brings a file back.</li>
          <li>Versioning cannot be turned off again, only suspended. Suspending keeps the versions kept so far.</li>
        </ul>
      </>
    ),
  },
};

/** Asks before changing a bucket's versioning, saying what the change means, then makes it. */
function VersioningConfirmation({
  accountId,
  bucket,
  target,
  onClose,
}: {
  accountId: string;
  bucket: string;
  target: VersioningTarget;
  onClose: () => void;
}) {
  const setVersioning = useAppStore((s) => s.setBucketVersioning);
  const { busy, error, run } = useDialogAction();
  const change = versioningChanges[target];
  return (
    <>
      <div className="dialog__body">
        <AlertDialog.Description asChild>
          <div className="dialog__text">{change.text(bucket)}</div>
        </AlertDialog.Description>
        <DialogError error={error} />
      </div>
      <ConfirmButtons
        busy={busy}
        label={change.label}
        busyLabel={change.busyLabel}
        onConfirm={() =>
          void run(
            () => setVersioning({ accountId, bucket }, target),
            () => {
              notify(change.done(bucket), 'success');
              onClose();
            },
          )
        }
      />
    </>
  );
}

/**
 * "Size" with "Calculate size": the objects and bytes under a folder, counted on request (it
 * lists every key). A term and definition, for the properties list it sits in.
 */
export function FolderSize({ accountId, bucket, prefix }: { accountId: string; bucket: string; prefix: string }) {
  const { loaded, calculate } = useAppStore(
    useShallow((s) => ({ loaded: s.folderSize, calculate: s.calculateFolderSize })),
  );
  const subject = loaded.subject;
  const mine = subject?.accountId === accountId && subject.bucket === bucket && subject.prefix === prefix;
  const busy = mine && loaded.status === 'loading';
  return (
    <Property label="Size">
      <span className="details__value-with-action">
        {mine && loaded.status === 'ready' && loaded.value ? (
          <span>
            {countOf(loaded.value.objects, 'object')}, {formatSize(loaded.value.bytes)}
            {loaded.value.bytes >= 1024 ? ` (${loaded.value.bytes.toLocaleString()} bytes)` : ''}
          </span>
        ) : mine && loaded.status === 'error' && loaded.error ? (
          <span className="field-error">{loaded.error.message}</span>
        ) : busy ? (
          <Muted>Counting…</Muted>
        ) : (
          <Muted>Not counted (it lists every object)</Muted>
        )}
        <button
          type="button"
          className="button button--small"
          aria-disabled={busy || undefined}
          onClick={() => (busy ? undefined : void calculate({ accountId, bucket, prefix }))}
        >
          {busy ? 'Counting…' : mine && loaded.status === 'ready' ? 'Calculate again' : 'Calculate size'}
        </button>
      </span>
    </Property>
  );
}
