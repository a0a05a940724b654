import { GetObjectCommand, PutObjectCommand, type ObjectCannedACL, type S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/** When and for how long a URL is signed. */
export interface Signing {
  signingDate: Date;
  expiresInSeconds: number;
}

/** A file name as plain ASCII for the `filename=` fallback: quotes, backslashes and other characters become '_'. */
function asciiFallback(name: string): string {
  return name.replace(/[^\x20-\x7e]|["\\]/g, '_');
}

/** RFC 8187 percent-encoding (attr-char stays as it is). */
function encodeExtValue(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * A Content-Disposition that makes a browser download the file under this name: a plain ASCII
 * `filename` for old clients and the exact name as `filename*=UTF-8''…` (RFC 6266).
 */
export function attachmentDisposition(name: string): string {
  // Control characters and path separators have no place in a file name a browser saves.
  const clean = [...name].map((c) => (c < ' ' || c === '\x7f' || c === '/' || c === '\\' ? '_' : c)).join('');
  return `attachment; filename="${asciiFallback(clean)}"; filename*=UTF-8''${encodeExtValue(clean)}`;
}

/** Options of a download link, after the defaults. */
export interface GetLinkRequest {
  bucket: string;
  key: string;
  versionId?: string | undefined;
  /** Content-Disposition the response carries (forces a download), if any. */
  contentDisposition?: string | undefined;
  /** Content-Type the response carries instead of the object's, if any. */
  contentType?: string | undefined;
}

/** A presigned GET: the response overrides travel as signed query parameters. */
export function presignGet(client: S3Client, request: GetLinkRequest, signing: Signing): Promise<string> {
  return getSignedUrl(
    client,
    new GetObjectCommand({
      Bucket: request.bucket,
      Key: request.key,
      ...(request.versionId ? { VersionId: request.versionId } : {}),
      ...(request.contentDisposition ? { ResponseContentDisposition: request.contentDisposition } : {}),
      ...(request.contentType ? { ResponseContentType: request.contentType } : {}),
    }),
    { expiresIn: signing.expiresInSeconds, signingDate: signing.signingDate },
  );
}

/** A presigned PUT, and the headers whoever uploads with it must send exactly as signed. */
export async function presignPut(
  client: S3Client,
  request: { bucket: string; key: string; contentType?: string | undefined; acl: ObjectCannedACL },
  signing: Signing,
): Promise<{ url: string; requiredHeaders: Record<string, string> }> {
  const requiredHeaders: Record<string, string> = {};
  if (request.contentType) requiredHeaders['Content-Type'] = request.contentType;
  // Private is what S3 does anyway: asking for it would only add a header the uploader can forget.
  if (request.acl !== 'private') requiredHeaders['x-amz-acl'] = request.acl;
  const url = await getSignedUrl(
    client,
    new PutObjectCommand({
      Bucket: request.bucket,
      Key: request.key,
      ...(request.contentType ? { ContentType: request.contentType } : {}),
      ...(request.acl !== 'private' ? { ACL: request.acl } : {}),
    }),
    {
      expiresIn: signing.expiresInSeconds,
      signingDate: signing.signingDate,
      // The presigner leaves Content-Type unsigned by default: signing it makes the upload keep the chosen type.
      ...(request.contentType ? { signableHeaders: new Set(['content-type']) } : {}),
      // Kept as a signed header (not hoisted into the query): S3 applies an ACL sent as a header.
      unhoistableHeaders: new Set(['x-amz-acl']),
    },
  );
  return { url, requiredHeaders };
}

/** What a POST policy allows. */
export interface PostPolicyRequest {
  bucket: string;
  keyPrefix: string;
  maxSizeBytes: number;
  expiresInSeconds: number;
  contentType?: string | undefined;
  /** Lets the form name any Content-Type (the upload page sends each file's own type). */
  anyContentType?: boolean;
  acl: ObjectCannedACL;
}

/** The smallest upload a POST policy accepts: an empty file is almost always a mistake. */
export const POST_MIN_BYTES = 1;

/**
 * A presigned POST policy: uploads under the prefix (the key is the prefix plus the chosen
 * file's name, S3's `${filename}`), between 1 byte and the limit, with the ACL and the content
 * type fixed. S3 answers 201 with an XML receipt, so a person sees the upload worked.
 */
export function presignPost(client: S3Client, request: PostPolicyRequest) {
  const fields: Record<string, string> = { acl: request.acl, success_action_status: '201' };
  if (request.contentType) fields['Content-Type'] = request.contentType;
  return createPresignedPost(client, {
    Bucket: request.bucket,
    Key: `${request.keyPrefix}\${filename}`,
    Conditions: [
      ['content-length-range', POST_MIN_BYTES, request.maxSizeBytes],
      ['starts-with', '$key', request.keyPrefix],
      // S3 refuses a form field the policy does not name: this lets the page send each file's type.
      ...(request.anyContentType && !request.contentType
        ? [['starts-with', '$Content-Type', ''] as ['starts-with', string, string]]
        : []),
    ],
    Fields: fields,
    Expires: request.expiresInSeconds,
  });
}

/** Escapes text for an HTML attribute value in double quotes. */
function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A ready-to-use HTML form for a POST policy: the fields as hidden inputs, then the file (S3 wants it last). */
export function htmlFormFor(url: string, fields: Record<string, string>): string {
  const hidden = Object.entries(fields).map(
    ([name, value]) => `  <input type="hidden" name="${escapeAttribute(name)}" value="${escapeAttribute(value)}">`,
  );
  return [
    `<form action="${escapeAttribute(url)}" method="post" enctype="multipart/form-data">`,
    ...hidden,
    '  <input type="file" name="file" required>',
    '  <button type="submit">Upload</button>',
    '</form>',
    '',
  ].join('\n');
}
