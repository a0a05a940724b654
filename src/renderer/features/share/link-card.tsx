import type { ShareLink } from '../../../shared/share';
import { Icon } from '../../components/icon';
import { CopyButton } from './copy-button';
import { formatExactTime, formatRelativeTime, isPast } from './expiry';
import { linkSubject } from './link-text';
import { useNow } from './use-now';

/** When a link stops working: the exact local time in a <time> element, and how far off that is. */
export function ExpiryTime({ iso, now }: { iso: string; now: number }) {
  return (
    <>
      <time dateTime={iso}>{formatExactTime(iso)}</time> ({formatRelativeTime(iso, now)})
    </>
  );
}

/**
 * One link just made: its URL (selectable), a Copy button named after its file, when it stops
 * working, and why earlier than asked when temporary credentials cut it short; then the notes
 * main attached (an SSE-C object cannot be shared by link, …).
 */
export function LinkCard({ link }: { link: ShareLink }) {
  const now = useNow();
  const subject = linkSubject(link);
  // A POST policy's URL is only the form's action: alone it uploads nothing, so it has no Copy button.
  const post = link.kind === 'post';
  const expired = isPast(link.expiresAt, now);
  return (
    <li className="link-card" aria-label={subject}>
      <div className="link-card__head">
        <span className="link-card__name" title={link.key}>
          {subject}
        </span>
        {post ? null : <CopyButton label={`Copy link for ${subject}`} text={link.url} doneMessage="Link copied" />}
      </div>
      <input
        readOnly
        className="input link-card__url"
        aria-label={post ? `Form action for ${subject}` : `Link for ${subject}`}
        value={link.url}
        onFocus={(event) => event.currentTarget.select()}
      />
      <p className="link-card__expiry">
        {expired ? 'Expired ' : 'Works until '}
        <ExpiryTime iso={link.expiresAt} now={now} />
      </p>
      {link.limitedBy === 'credentials' ? (
        <p className="callout callout--warning">
          <Icon name="alert" />
          <span>
            This link stops working earlier than the lifetime you chose, at{' '}
            <ExpiryTime iso={link.expiresAt} now={now} />: it was signed with temporary credentials, and a link dies
            with the credentials that signed it.
          </span>
        </p>
      ) : null}
      {link.notes.map((note) => (
        <p key={note} className="callout callout--warning">
          <Icon name="alert" />
          <span>{note}</span>
        </p>
      ))}
    </li>
  );
}
