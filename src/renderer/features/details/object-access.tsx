import { useEffect, useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { whyUnavailable } from '../../../shared/capabilities';
import type { ObjectDetails } from '../../../shared/details';
import type { ObjectUrls } from '../../../shared/share';
import { Icon } from '../../components/icon';
import { useAppStore } from '../../stores/app-store';
import type { ObjectAccess } from '../../stores/share-slice';
import { useBucketCapabilities } from '../capabilities/use-capabilities';
import { CopyButton } from '../share/copy-button';
import { DetailsSection, Muted, Property } from './property';

/** The grantee name object-details gives the AllUsers group. */
const EVERYONE = 'Everyone (public)';

/** Whether an object's ACL lets anyone read it: true, false, or null where the service shows no ACL. */
export function publicByAcl(acl: ObjectDetails['acl']): boolean | null {
  if (!acl.available) return null;
  return acl.value.grants.some(
    (grant) => grant.grantee === EVERYONE && (grant.permission === 'READ' || grant.permission === 'FULL_CONTROL'),
  );
}

/** The state in words, from what an anonymous request got (else the ACL). */
function stateText(urls: ObjectUrls | null, acl: boolean | null): string {
  const readable = urls?.publiclyReadable ?? acl;
  if (readable === true) return 'Public: anyone with the URL can read it.';
  if (readable === false) return 'Private: only people with access to this account can read it.';
  return 'Not known: the service does not say who may read it.';
}

/**
 * "Make public" / "Make private" for some objects, where the service keeps ACLs: Make public asks
 * first (it shows the object to anyone with its URL); each runs as a long operation, and its
 * outcome shows here when it fails. Where ACLs are missing, both are disabled with the reason.
 */
function AccessButtons({
  accountId,
  bucket,
  keys,
  what,
  unavailable,
}: {
  accountId: string;
  bucket: string;
  keys: string[];
  /** "this file" or "3 files", for the question. */
  what: string;
  unavailable: string | null;
}) {
  const { setObjectAccess, waitForOperation } = useAppStore(
    useShallow((s) => ({ setObjectAccess: s.setObjectAccess, waitForOperation: s.waitForOperation })),
  );
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const reasonId = useId();
  const questionId = useId();
  const blocked = unavailable !== null || busy;

  async function apply(access: ObjectAccess): Promise<void> {
    setConfirming(false);
    setBusy(true);
    setProblem(null);
    const started = await setObjectAccess({ accountId, bucket }, keys, access);
    if (!started.ok) {
      setBusy(false);
      setProblem(started.error.message);
      return;
    }
    const outcome = await waitForOperation(started.value.operationId);
    setBusy(false);
    if (outcome.state !== 'finished' || outcome.failedCount > 0) setProblem(outcome.summary);
  }

  const button = (access: ObjectAccess, label: string, onClick: () => void) => (
    <button
      type="button"
      className="button button--small"
      aria-disabled={blocked || undefined}
      aria-describedby={unavailable !== null ? reasonId : undefined}
      onClick={() => (blocked ? undefined : onClick())}
      data-access={access}
    >
      {label}
    </button>
  );

  return (
    <>
      <div className="details__actions">
        {button('public-read', 'Make public', () => setConfirming(true))}
        {button('private', 'Make private', () => void apply('private'))}
        {busy ? (
          <span className="details__loading" role="status">
            <Icon name="spinner" className="icon--spin" />
            Changing access…
          </span>
        ) : null}
      </div>
      {unavailable !== null ? (
        <p id={reasonId} className="details__muted details__unavailable">
          Access cannot be changed: {unavailable}
        </p>
      ) : null}
      {confirming ? (
        <div role="group" aria-labelledby={questionId} className="callout callout--warning">
          <Icon name="alert" />
          <div className="callout__body">
            <span id={questionId}>
              Make {what} public? Anyone who has the URL can then read it, without signing in.
            </span>
            <div className="details__actions">
              <button type="button" className="button button--small" onClick={() => void apply('public-read')}>
                Make public
              </button>
              <button type="button" className="button button--small" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </div>
          </div>
        </div>
      ) : null}
      {problem !== null ? (
        <p role="alert" className="callout callout--danger">
          <Icon name="alert" />
          <span>{problem}</span>
        </p>
      ) : null}
    </>
  );
}

/** Why ACLs cannot be changed here: the object's own answer, else the service's model; null where they can (or may). */
function useAclUnavailable(accountId: string, bucket: string, objectReason: string | null): string | null {
  const model = useBucketCapabilities(accountId, bucket);
  return objectReason ?? (model ? (whyUnavailable(model, 'acl') ?? null) : null);
}

/**
 * One file's public access: whether anyone can read it (an anonymous request's answer, else its
 * ACL), its public URL (path or virtual-host style, as the account addresses buckets) with a
 * Copy button, and Make public / Make private.
 */
export function ObjectAccessSection({
  accountId,
  bucket,
  details,
}: {
  accountId: string;
  bucket: string;
  details: ObjectDetails;
}) {
  const objectUrls = useAppStore((s) => s.objectUrls);
  // The URLs with the details they were read for: stale ones are not shown while new ones come.
  const [loaded, setLoaded] = useState<{ details: ObjectDetails; urls: ObjectUrls } | null>(null);
  const urls = loaded?.details === details ? loaded.urls : null;
  const acl = publicByAcl(details.acl);
  const unavailable = useAclUnavailable(accountId, bucket, details.acl.available ? null : details.acl.reason);

  // Read again whenever the details are (an access change reloads them).
  useEffect(() => {
    let current = true;
    void objectUrls({ accountId, bucket, prefix: '' }, details.key).then((result) => {
      if (current && result.ok) setLoaded({ details, urls: result.value });
    });
    return () => {
      current = false;
    };
  }, [objectUrls, accountId, bucket, details]);

  return (
    <DetailsSection title="Public access">
      <dl className="properties">
        <Property label="Access">
          {urls === null && acl === null ? <Muted>Checking…</Muted> : stateText(urls, acl)}
        </Property>
        <Property label="Public URL">
          {urls ? <span className="details__mono">{urls.publicUrl}</span> : <Muted>…</Muted>}
        </Property>
      </dl>
      {urls ? (
        <div className="details__actions">
          <CopyButton label="Copy public URL" text={urls.publicUrl} doneMessage="Public URL copied" />
        </div>
      ) : null}
      <AccessButtons
        accountId={accountId}
        bucket={bucket}
        keys={[details.key]}
        what="this file"
        unavailable={unavailable}
      />
    </DetailsSection>
  );
}

/** Make public / Make private for several selected files. */
export function SeveralAccessSection({
  accountId,
  bucket,
  keys,
}: {
  accountId: string;
  bucket: string;
  keys: string[];
}) {
  const unavailable = useAclUnavailable(accountId, bucket, null);
  const what = keys.length === 1 ? 'this file' : `these ${keys.length.toLocaleString()} files`;
  return (
    <DetailsSection title="Public access">
      <AccessButtons accountId={accountId} bucket={bucket} keys={keys} what={what} unavailable={unavailable} />
    </DetailsSection>
  );
}
