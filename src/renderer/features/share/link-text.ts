import { lastSegment } from '../../../shared/names';
import type { ShareLink } from '../../../shared/share';
import { shareRequests } from '../../../shared/share-contract';
import type { cannedAcls } from '../../../shared/transfers';

/** The download options as typed in the share dialog's "More options". */
export interface GetLinkForm {
  forceDownload: boolean;
  downloadName: string;
  contentType: string;
  versionId: string;
}

/** The form a share dialog opens with: no options. */
export const emptyGetLinkForm: GetLinkForm = { forceDownload: false, downloadName: '', contentType: '', versionId: '' };

/** The options share.getLinks takes: only what was filled in (a file name and a version only for one file). */
export function getLinkOptions(
  form: GetLinkForm,
  keyCount: number,
): { forceDownload: boolean; downloadName?: string; contentType?: string; versionId?: string } {
  const downloadName = form.downloadName.trim();
  const contentType = form.contentType.trim();
  const versionId = form.versionId.trim();
  return {
    forceDownload: form.forceDownload,
    ...(form.forceDownload && downloadName !== '' && keyCount === 1 ? { downloadName } : {}),
    ...(contentType !== '' ? { contentType } : {}),
    ...(versionId !== '' && keyCount === 1 ? { versionId } : {}),
  };
}

/** What goes on the clipboard for some links: one URL per line. */
export function clipboardTextOf(links: readonly Pick<ShareLink, 'url'>[]): string {
  return links.map((link) => link.url).join('\n');
}

/** What a link is for, in words. */
export function linkKindText(kind: ShareLink['kind']): string {
  return kind === 'get' ? 'Download' : kind === 'put' ? 'Upload' : 'Upload form';
}

/** The name a link is about, for labels ("Copy link for report.pdf"); a POST's prefix, or the bucket's root. */
export function linkSubject(link: Pick<ShareLink, 'key' | 'kind' | 'bucket'>): string {
  if (link.kind === 'post') return link.key === '' ? `${link.bucket} (any name)` : `${link.key}…`;
  return lastSegment(link.key) || link.key;
}

/** The problem with the name of an upload link's file (a name, or a path under the current folder). */
export function uploadNameProblem(prefix: string, name: string): string | null {
  if (name.trim() === '') return 'Enter the name the uploaded file gets.';
  if (name.startsWith('/')) return 'Give a name inside this folder (no leading /).';
  if (name.endsWith('/')) return 'Give a file name, not a folder.';
  if (name.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    return "A name cannot contain empty parts, '.' or '..'.";
  }
  if (new TextEncoder().encode(prefix + name).length > 1024) return 'A key is at most 1,024 bytes long.';
  return null;
}

/** Quotes a string for a POSIX shell, so a URL's & and ? survive. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * A ready-to-run curl command for an upload link: the headers it was signed with must be sent
 * as they were signed (Content-Type, and x-amz-acl unless private), or S3 refuses the signature.
 */
export function curlUploadCommand(url: string, contentType: string, acl: (typeof cannedAcls)[number]): string {
  const headers = [
    ...(contentType.trim() !== '' ? [`-H ${shellQuote(`Content-Type: ${contentType.trim()}`)}`] : []),
    ...(acl !== 'private' ? [`-H ${shellQuote(`x-amz-acl: ${acl}`)}`] : []),
  ];
  return ['curl', '-X PUT', '--upload-file FILE', ...headers, shellQuote(url)].join(' ');
}

/** Units a POST policy's size limit is typed in (powers of 1,024, named as the file list names them). */
export const sizeUnits = [
  { unit: 'KiB', bytes: 1024 },
  { unit: 'MiB', bytes: 1024 ** 2 },
  { unit: 'GiB', bytes: 1024 ** 3 },
] as const;

/** A unit of a size limit. */
export type SizeUnit = (typeof sizeUnits)[number]['unit'];

/** A size limit in bytes, or why it cannot be used (the channel's own schema: at least 1 byte, at most 5 GiB). */
export function sizeLimitOf(
  amount: string,
  unit: SizeUnit,
): { bytes: number; error: null } | { bytes: null; error: string } {
  const value = Number(amount.trim());
  if (amount.trim() === '' || !Number.isFinite(value))
    return { bytes: null, error: 'Give the size limit as a number.' };
  const bytes = Math.floor(value * (sizeUnits.find((u) => u.unit === unit)?.bytes ?? 1));
  const checked = shareRequests['share.postPolicy'].input.shape.maxSizeBytes.safeParse(bytes);
  if (!checked.success) return { bytes: null, error: checked.error.issues[0]?.message ?? 'Not a valid size limit.' };
  return { bytes: checked.data, error: null };
}
