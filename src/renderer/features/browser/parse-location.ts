/**
 * What a typed or pasted path names: a bucket and a key or prefix in it.
 * - `folder`: the path names a folder (it ended in '/', or named only the bucket);
 * - `object`: the path names an object (the console's object page);
 * - `either`: a path without a trailing '/' ("s3://photos/2024"), a folder or a file: the
 *   caller asks the service which.
 */
export interface ParsedLocation {
  bucket: string;
  /** The key or prefix inside the bucket, with no leading '/'; '' for the bucket's root. */
  path: string;
  kind: 'folder' | 'object' | 'either';
}

/** Why a path could not be read, in words for the person who typed it. */
export interface LocationParseError {
  error: string;
}

const CONSOLE_HOSTS = [
  /\.?console\.aws\.amazon\.com$/,
  /\.?console\.amazonaws-us-gov\.com$/,
  /\.?console\.amazonaws\.cn$/,
];

function isConsoleHost(host: string): boolean {
  return CONSOLE_HOSTS.some((pattern) => pattern.test(host));
}

/** A bucket-and-path string ("photos/2024/", or "/photos" where a leading '/' is allowed) split at its first '/'. */
function splitBucketPath(text: string, allowLeadingSlash: boolean): ParsedLocation | LocationParseError {
  const trimmed = allowLeadingSlash ? text.replace(/^\/+/, '') : text;
  const slash = trimmed.indexOf('/');
  const bucket = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const path = slash < 0 ? '' : trimmed.slice(slash + 1);
  if (bucket === '') return { error: 'Type a bucket name first, as in s3://bucket/folder/.' };
  if (/\s/.test(bucket)) return { error: `“${bucket}” cannot be a bucket name: bucket names have no spaces.` };
  return { bucket, path, kind: path === '' || path.endsWith('/') ? 'folder' : 'either' };
}

/** An AWS console address: /s3/buckets/<bucket>?prefix=…, /s3/object/<bucket>?prefix=<key>, or the old /s3/home?bucket=…. */
function parseConsoleUrl(url: URL): ParsedLocation | LocationParseError {
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const prefix = url.searchParams.get('prefix') ?? '';
  const notS3 = { error: 'That AWS console address is not an S3 bucket or object page.' };
  if (segments[0] !== 's3') return notS3;
  const page = segments[1];
  if (page === 'home') {
    const bucket = url.searchParams.get('bucket');
    return bucket ? { bucket, path: prefix, kind: 'folder' } : notS3;
  }
  const bucket = segments[2] ? decodeURIComponent(segments[2]) : undefined;
  if (!bucket) return notS3;
  if (page === 'object') {
    return prefix ? { bucket, path: prefix, kind: 'object' } : { bucket, path: '', kind: 'folder' };
  }
  if (page === 'buckets') {
    // Older console links carry the folder in the path: /s3/buckets/<bucket>/<folder>/.
    const inPath = segments
      .slice(3)
      .map((s) => decodeURIComponent(s))
      .join('/');
    const path = prefix || (inPath ? `${inPath}/` : '');
    return { bucket, path, kind: path === '' || path.endsWith('/') ? 'folder' : 'either' };
  }
  return notS3;
}

/**
 * Reads what someone typed or pasted into the path bar:
 * - `s3://bucket/prefix/` (as the AWS CLI writes it);
 * - `bucket/prefix/` or `/bucket/prefix/`;
 * - an AWS console address: `https://<region>.console.aws.amazon.com/s3/buckets/<bucket>?prefix=<prefix>&…`,
 *   `…/s3/object/<bucket>?prefix=<key>`, and the older `…/s3/buckets/<bucket>/<folder>/` and `…/s3/home?bucket=…`;
 * - an S3 ARN, `arn:aws:s3:::bucket/key`.
 * Keys are taken as typed: S3 keys may contain '%' and '+', so only URLs are decoded.
 */
export function parseLocationInput(input: string): ParsedLocation | LocationParseError {
  const text = input.trim();
  if (text === '') return { error: 'Type a path, such as s3://bucket/folder/.' };
  const s3Url = /^s3:\/\/(.*)$/i.exec(text);
  if (s3Url) return splitBucketPath(s3Url[1] ?? '', false);
  const arn = /^arn:aws[a-z-]*:s3:::(.+)$/.exec(text);
  if (arn) return splitBucketPath(arn[1] ?? '', false);
  if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return { error: 'That address is not a valid URL.' };
    }
    if (isConsoleHost(url.hostname)) return parseConsoleUrl(url);
    return { error: 'Only AWS console addresses can be pasted here. For other services, type s3://bucket/folder/.' };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    return { error: 'Use s3://bucket/folder/, bucket/folder/, or an AWS console address.' };
  }
  return splitBucketPath(text, true);
}

/** Tells a parse result from a parse error. */
export function isParseError(result: ParsedLocation | LocationParseError): result is LocationParseError {
  return 'error' in result;
}

/** How the path bar shows a location: `s3://bucket/prefix/`. */
export function formatLocation(bucket: string, prefix: string): string {
  return `s3://${bucket}/${prefix}`;
}
