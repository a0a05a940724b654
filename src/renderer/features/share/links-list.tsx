import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { DialogError } from '../../components/dialog-parts';
import { Icon } from '../../components/icon';
import { notify, useAppStore } from '../../stores/app-store';
import { CopyButton } from './copy-button';
import { ExpiryTime } from './link-card';
import { isPast } from './expiry';
import { linkKindText, linkSubject } from './link-text';
import { useNow } from './use-now';

/**
 * The links made so far, newest first: what each is for, its file, when it stops working (or
 * that it has), and a Copy button. Links carry a signature, never a secret key. Clear empties it.
 */
export function LinksList() {
  const { history, load, clear } = useAppStore(
    useShallow((s) => ({ history: s.shareHistory, load: s.loadShareHistory, clear: s.clearShareHistory })),
  );
  const now = useNow();

  useEffect(() => {
    void load();
  }, [load]);

  async function clearAll(): Promise<void> {
    const result = await clear();
    if (result.ok) notify(result.value.cleared === 1 ? '1 link cleared' : `${result.value.cleared} links cleared`);
    else notify(`Could not clear the list: ${result.error.message}`, 'error');
  }

  return (
    <div className="links-list">
      <div className="links-list__head">
        <p className="share-section__text">Links made in this app, newest first. Expired links stay until cleared.</p>
        <button
          type="button"
          className="button button--small"
          aria-disabled={history.links.length === 0 || undefined}
          onClick={() => (history.links.length > 0 ? void clearAll() : undefined)}
        >
          <Icon name="trash" />
          Clear list
        </button>
      </div>
      <DialogError error={history.error} />
      {history.status === 'loading' && history.links.length === 0 ? <p className="field-hint">Loading…</p> : null}
      {history.status !== 'loading' && history.links.length === 0 ? (
        <p className="empty-state">No links made yet.</p>
      ) : null}
      {history.links.length > 0 ? (
        <ul className="links-list__items" aria-label="Links made">
          {history.links.map((link) => {
            const subject = linkSubject(link);
            const expired = isPast(link.expiresAt, now);
            return (
              <li key={link.id} className="links-list__item" data-expired={expired || undefined}>
                <span className="links-list__kind">{linkKindText(link.kind)}</span>
                <span className="links-list__main">
                  <span className="links-list__name" title={`s3://${link.bucket}/${link.key}`}>
                    {subject}
                  </span>
                  <span className="links-list__expiry">
                    {expired ? 'Expired ' : 'Until '}
                    <ExpiryTime iso={link.expiresAt} now={now} />
                  </span>
                </span>
                {link.kind === 'post' ? (
                  // The form itself is what is shared; its action URL alone uploads nothing.
                  <span className="links-list__note">Form</span>
                ) : (
                  <CopyButton label={`Copy link for ${subject}`} text={link.url} doneMessage="Link copied" />
                )}
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}
