import type { EditSession } from '../../../shared/edit-contract';

/** hh:mm in the person's locale, for "uploaded at". */
function clock(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** What a session's row says of it: watching, uploading, uploaded at hh:mm, changed on the server, failed, or left by an earlier run. */
export function editStateWords(session: EditSession): string {
  const waiting =
    session.mode === 'browser'
      ? 'Downloaded: edit it, then choose Upload my changes'
      : 'Open in your app: each save is uploaded';
  switch (session.state) {
    case 'opening':
      return 'Downloading to a private folder…';
    case 'watching':
      return session.message ?? waiting;
    case 'uploading':
      return 'Uploading your save…';
    case 'uploaded':
      return `Uploaded at ${session.uploadedAt ? clock(session.uploadedAt) : '—'}${session.mode === 'desktop' ? '; watching for saves' : ''}`;
    case 'conflict':
      return session.message ?? 'Changed on the server: your save was not uploaded.';
    case 'failed':
      return session.message ?? 'Your save was not uploaded.';
    case 'recovered':
      return session.message ?? 'Changes saved after the app last stopped were not uploaded.';
  }
}
