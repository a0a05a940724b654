import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { AppFailure } from '../app-failure';
import { httpStatusOf } from '../s3/classify-s3-error';
import {
  CUSTOMER_KEY_MISMATCH,
  CUSTOMER_KEY_MISSING,
  customerKeyParams,
  isCustomerKeyRequired,
  needsCustomerKey,
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

/**
 * A presigned GET valid for 15 minutes, from which the panel streams an image, PDF, audio or
 * video (the browser asks for ranges; nothing is downloaded whole). An SSE-C object cannot be
 * previewed this way: the browser cannot send its key.
 */
export async function previewUrl(client: S3Client, presigner: S3Client, address: ObjectAddress): Promise<string> {
  const needsKey = await needsCustomerKey(client, address);
  if (needsKey === 'missing') throw new AppFailure('no-such-key');
  if (needsKey) {
    throw new AppFailure(
      'not-supported',
      'This object is encrypted with a customer key (SSE-C), which a preview cannot send. Download it to open it.',
    );
  }
  return getSignedUrl(
    presigner,
    new GetObjectCommand({
      Bucket: address.bucket,
      Key: address.key,
      ...(address.versionId ? { VersionId: address.versionId } : {}),
    }),
    { expiresIn: PREVIEW_URL_SECONDS },
  );
}
