import {
  GetObjectCommand,
  HeadObjectCommand,
  type GetObjectCommandOutput,
  type HeadObjectCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import mime from 'mime';
import { fitsPreviewKind, previewKindOf, type MediaPreviewKind } from '../../../shared/preview-kind';
import { AppFailure } from '../app-failure';
import { httpStatusOf } from '../s3/classify-s3-error';
import {
  CUSTOMER_KEY_MISMATCH,
  CUSTOMER_KEY_MISSING,
  customerKeyParams,
  isCustomerKeyRequired,
  type CustomerKeySource,
  type ObjectAddress,
} from './sse-c';

/** How long a preview URL lives: long enough to play a video through, short enough not to matter if it leaks. */
export const PREVIEW_URL_SECONDS = 15 * 60;

/** The total size in a Content-Range answer ("bytes 0-99/1234" → 1234), where it is known. */
export function totalFromContentRange(contentRange: string | undefined): number | undefined {
  const total = /\/(\d+)\s*$/.exec(contentRange ?? '')?.[1];
  return total === undefined ? undefined : Number(total);
}

/** Reads at most `limit` bytes of a body and lets go of the rest; `more` says whether bytes were left. */
async function readUpTo(
  body: GetObjectCommandOutput['Body'],
  limit: number,
): Promise<{ bytes: Buffer; more: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let more = false;
  const stream = body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
  if (!stream) return { bytes: Buffer.alloc(0), more };
  for await (const chunk of stream) {
    chunks.push(Buffer.from(chunk));
    size += chunk.length;
    if (size > limit) {
      more = true;
      break;
    }
  }
  // A service that ignored the Range would otherwise stream the whole object.
  stream.destroy?.();
  return { bytes: Buffer.concat(chunks).subarray(0, limit), more };
}

/** A ranged GET, retried with the account's customer key where the object is SSE-C. */
async function rangedGet(
  client: S3Client,
  address: ObjectAddress,
  range: string,
  customerKey: CustomerKeySource,
): Promise<GetObjectCommandOutput> {
  const input = {
    Bucket: address.bucket,
    Key: address.key,
    Range: range,
    ...(address.versionId ? { VersionId: address.versionId } : {}),
  };
  try {
    return await client.send(new GetObjectCommand(input));
  } catch (error) {
    if (!isCustomerKeyRequired(error)) throw error;
  }
  const key = await customerKey();
  if (!key) throw new AppFailure('access-denied', CUSTOMER_KEY_MISSING);
  try {
    return await client.send(new GetObjectCommand({ ...input, ...customerKeyParams(key) }));
  } catch (error) {
    const status = httpStatusOf(error);
    if (status === 400 || status === 403) throw new AppFailure('access-denied', CUSTOMER_KEY_MISMATCH);
    throw error;
  }
}

/**
 * The first `maxBytes` of a text file, decoded as UTF-8 (bad bytes become U+FFFD, and a
 * character cut at the end is dropped), with `truncated` when the file is longer.
 */
export async function previewText(
  client: S3Client,
  address: ObjectAddress,
  maxBytes: number,
  customerKey: CustomerKeySource,
): Promise<{ text: string; truncated: boolean }> {
  let output: GetObjectCommandOutput;
  try {
    output = await rangedGet(client, address, `bytes=0-${maxBytes - 1}`, customerKey);
  } catch (error) {
    // An empty object has no byte 0: S3 answers 416 to any range.
    if (httpStatusOf(error) === 416) return { text: '', truncated: false };
    throw error;
  }
  const { bytes, more } = await readUpTo(output.Body, maxBytes);
  const total = totalFromContentRange(output.ContentRange);
  const truncated = more || (total !== undefined && total > maxBytes);
  // stream: true keeps a multi-byte character cut by the range out of the text instead of showing U+FFFD.
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes, { stream: truncated });
  return { text, truncated };
}

/** What a person reads when an SSE-C object is asked for a URL preview. */
const SSE_C_NO_URL_PREVIEW =
  'This object is encrypted with a customer key (SSE-C), which a preview cannot send. Download it to open it.';

/**
 * The type a preview URL is served as: the object's own type where it fits the kind (a PNG
 * stays image/png), else the type its name gives, else a neutral one that no browser renders
 * as a document. A PDF is always application/pdf.
 */
export function pinnedPreviewType(kind: MediaPreviewKind, storedType: string | undefined, key: string): string {
  if (kind === 'pdf') return 'application/pdf';
  const stored = (storedType ?? '').toLowerCase().split(';')[0]?.trim() ?? '';
  if (fitsPreviewKind(stored, kind)) return stored;
  const guessed = mime.getType(key) ?? '';
  return fitsPreviewKind(guessed, kind) ? guessed : 'application/octet-stream';
}

/** The object's HEAD for a URL preview; an SSE-C object is refused (a browser element cannot send the key). */
async function headForPreview(client: S3Client, address: ObjectAddress): Promise<HeadObjectCommandOutput> {
  let output: HeadObjectCommandOutput;
  try {
    output = await client.send(
      new HeadObjectCommand({
        Bucket: address.bucket,
        Key: address.key,
        ...(address.versionId ? { VersionId: address.versionId } : {}),
      }),
    );
  } catch (error) {
    if (isCustomerKeyRequired(error)) throw new AppFailure('not-supported', SSE_C_NO_URL_PREVIEW);
    if (httpStatusOf(error) === 404) throw new AppFailure('no-such-key');
    throw error;
  }
  if (output.SSECustomerAlgorithm !== undefined) throw new AppFailure('not-supported', SSE_C_NO_URL_PREVIEW);
  return output;
}

/**
 * A presigned GET valid for 15 minutes, from which the panel streams an image, PDF, audio or
 * video (the browser asks for ranges; nothing is downloaded whole). The kind is decided here
 * again from a fresh HEAD, with the panel's rules, and the URL pins what the element gets:
 * ResponseContentType for that kind and ResponseContentDisposition inline, both signed. So an
 * object swapped for an HTML page after the panel looked (or one whose stored type lies) is
 * still served as a PDF or an image, and never renders as a page inside the app. An SSE-C
 * object cannot be previewed this way: the browser cannot send its key.
 */
export async function previewUrl(client: S3Client, presigner: S3Client, address: ObjectAddress): Promise<string> {
  const head = await headForPreview(client, address);
  const kind = previewKindOf(head.ContentType, address.key);
  if (kind === null || kind === 'text') {
    throw new AppFailure(
      'not-supported',
      `This object is not an image, PDF, audio or video file (its type is ${head.ContentType ?? 'not given'}), so it has no media preview.`,
    );
  }
  return getSignedUrl(
    presigner,
    new GetObjectCommand({
      Bucket: address.bucket,
      Key: address.key,
      ...(address.versionId ? { VersionId: address.versionId } : {}),
      ResponseContentType: pinnedPreviewType(kind, head.ContentType, address.key),
      ResponseContentDisposition: 'inline',
    }),
    { expiresIn: PREVIEW_URL_SECONDS },
  );
}
