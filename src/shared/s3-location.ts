/**
 * Where an s3:// link, a path typed in the path bar, an AWS console address or an S3 object URL
 * points: a bucket, a key or prefix in it, and the region where the text says it. Pure, so the
 * renderer's path bar and main (a link the OS opened the app with) read links alike.
 */

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
  /** The bucket's region where the text names it (a console address, an S3 host name); absent otherwise. */
  region?: string;
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
  const parsed = parseConsolePage(url);
  const region = url.searchParams.get('region') ?? /^([a-z]{2}(?:-[a-z]+)+-\d+)\./.exec(url.hostname)?.[1];
  return isParseError(parsed) || !region || !isRegionName(region) ? parsed : { ...parsed, region };
}

function parseConsolePage(url: URL): ParsedLocation | LocationParseError {
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

/** A region name as AWS writes them ("eu-west-1", "us-gov-west-1", "cn-north-1"). */
function isRegionName(text: string): boolean {
  return /^[a-z]{2}(-[a-z]+)+-\d+$/.test(text);
}

/** S3's AWS host names: s3.amazonaws.com, s3.<region>.amazonaws.com, s3-<region>…, s3.dualstack.<region>… (and .com.cn). */
const S3_HOST = /^s3(?:[.-]dualstack)?(?:[.-]([a-z]{2}(?:-[a-z]+)+-\d+))?\.amazonaws\.com(?:\.cn)?$/;

/** Decodes a URL's path segments into a key (URLs percent-encode keys); undefined if malformed. */
function keyFromUrlPath(segments: string[]): string | undefined {
  try {
    return segments.map((segment) => decodeURIComponent(segment)).join('/');
  } catch {
    return undefined;
  }
}

/**
 * An S3 object or folder URL on AWS: virtual-hosted (`https://<bucket>.s3.<region>.amazonaws.com/<key>`)
 * or path-style (`https://s3.<region>.amazonaws.com/<bucket>/<key>`); undefined for other hosts.
 */
function parseS3HttpsUrl(url: URL): ParsedLocation | LocationParseError | undefined {
  const host = url.hostname.toLowerCase();
  const pathSegments = url.pathname.split('/').slice(1);
  const s3Host = S3_HOST.exec(host);
  let bucket: string | undefined;
  let keySegments: string[];
  let region: string | undefined;
  if (s3Host) {
    region = s3Host[1];
    bucket = pathSegments[0] ? keyFromUrlPath([pathSegments[0]]) : undefined;
    keySegments = pathSegments.slice(1);
  } else {
    // The shortest bucket name whose rest is an S3 host: "logs.s3backup.s3.amazonaws.com" is bucket "logs.s3backup".
    const hosted = /^(.+?)\.(s3[^/]*)$/.exec(host);
    let rest = hosted ? hosted[2] : undefined;
    let name = hosted ? hosted[1] : undefined;
    while (rest !== undefined && name !== undefined && !S3_HOST.test(rest)) {
      const next = /^(.+?)\.(s3[^/]*)$/.exec(rest);
      if (!next?.[1] || !next[2]) return undefined;
      name = `${name}.${next[1]}`;
      rest = next[2];
    }
    if (rest === undefined || name === undefined) return undefined;
    region = S3_HOST.exec(rest)?.[1];
    bucket = name;
    keySegments = pathSegments;
  }
  if (!bucket) return { error: 'That S3 address names no bucket.' };
  const path = keyFromUrlPath(keySegments);
  if (path === undefined) return { error: 'That address has a malformed %-escape in its key.' };
  const kind = path === '' || path.endsWith('/') ? 'folder' : 'object';
  return region ? { bucket, path, kind, region } : { bucket, path, kind };
}

/**
 * Reads what someone typed or pasted into the path bar:
 * - `s3://bucket/prefix/` (as the AWS CLI writes it);
 * - `bucket/prefix/` or `/bucket/prefix/`;
 * - an AWS console address: `https://<region>.console.aws.amazon.com/s3/buckets/<bucket>?prefix=<prefix>&…`,
 *   `…/s3/object/<bucket>?prefix=<key>`, and the older `…/s3/buckets/<bucket>/<folder>/` and `…/s3/home?bucket=…`;
 * - an S3 ARN, `arn:aws:s3:::bucket/key`;
 * - an S3 object URL on AWS, virtual-hosted (`https://bucket.s3.eu-west-1.amazonaws.com/key`)
 *   or path-style (`https://s3.eu-west-1.amazonaws.com/bucket/key`).
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
    const objectUrl = parseS3HttpsUrl(url);
    if (objectUrl) return objectUrl;
    return {
      error: 'Only AWS console addresses and S3 URLs can be pasted here. For other services, type s3://bucket/folder/.',
    };
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

/**
 * The s3:// link among a process's command-line arguments (how Windows and Linux hand a clicked
 * link to the app, on first start and to the running instance), or undefined.
 */
export function s3LinkInArguments(args: readonly string[]): string | undefined {
  return args.find((arg) => /^s3:\/\/./i.test(arg));
}
