import type { S3Client } from '@aws-sdk/client-s3';
import type { ServiceCapabilities } from '../../../shared/capabilities';
import { reachedOverTls } from '../s3/endpoint-tls';
import { compositeCrc32, fullObjectCrc32 } from './crc32';
import { statusOf } from './transfer-errors';
import type { DigestRequest } from './part-reader';
import type { FinishedPart } from './transfer-record';
import { checksumValue, compositeSha256 } from './upload-integrity';

/**
 * The checksum the parts of an upload (or of a copy's target) carry, where the service takes
 * them (it verifies them): CRC32 over TLS, SHA-256 over plain HTTP; undefined: Content-MD5 and
 * the signed SHA-256 of the payload instead. Either checksum is sent with UNSIGNED-PAYLOAD
 * (payloadHashFor), so it is what binds the bytes to the signature. Over plain HTTP only a
 * SHA-256 does that against someone on the path (a CRC32 is easily matched by changed bytes);
 * over TLS, which already refuses changed bytes, a CRC32 catches damage as well, at a twelfth of
 * SHA-256's CPU here (native-crc32.ts), the service's verification too: AWS's SDKs and CLI
 * send CRC32 by default for that reason. A whole body (one PUT) carries a CRC32 either way
 * (wholeBodyDigests).
 */
export type UploadChecksum = 'sha256' | 'crc32' | undefined;

/**
 * The digests a whole body (one PutObject) is sent with, for its upload's checksum: its CRC32
 * wherever the service takes checksums, which a download of it checks at a twelfth of a SHA-256's
 * CPU (bytes-digest.ts); over plain HTTP its SHA-256 as well, which the request is signed with
 * (payloadHashFor), so the signature binds the bytes as an unsigned SHA-256 checksum did. Over
 * plain HTTP a download's answer is not signed, so a stored SHA-256 checked there guards against
 * nothing more than a CRC32 does (who can change the bytes can change the header beside them).
 * Without checksums: the MD5 (Content-MD5, and the ETag's rule) and the signed SHA-256.
 */
export function wholeBodyDigests(checksum: UploadChecksum): DigestRequest {
  return { md5: checksum === undefined, crc32: checksum !== undefined, sha256: checksum !== 'crc32' };
}

/** The checksum uploads to a bucket send (see UploadChecksum); `overTls` decides TLS (reachedOverTls by default). */
export async function uploadChecksumFor(
  model: ServiceCapabilities,
  client: S3Client,
  bucket: string,
  overTls: (client: S3Client, bucket: string) => Promise<boolean> = reachedOverTls,
): Promise<UploadChecksum> {
  if (model.features.checksums.support !== 'yes') return undefined;
  return (await overTls(client, bucket)) ? 'crc32' : 'sha256';
}

/** The checksum fields a multipart upload is created with (see createWithChecksum). */
type CreateChecksumFields = { ChecksumAlgorithm?: 'SHA256' | 'CRC32'; ChecksumType?: 'FULL_OBJECT' };

/**
 * Creates a multipart upload with its checksum: SHA-256 (its object's checksum the composite of
 * the parts'), or one CRC32 of the whole object (FULL_OBJECT), which a download can check. A
 * service that refuses FULL_OBJECT (one older than it) is asked for a CRC32 alone: its object
 * then keeps a composite CRC32, which the completion's check accepts. `send` creates with the
 * fields given.
 */
export async function createWithChecksum<T>(
  checksum: UploadChecksum,
  send: (fields: CreateChecksumFields) => Promise<T>,
): Promise<T> {
  if (checksum === 'sha256') return send({ ChecksumAlgorithm: 'SHA256' });
  if (checksum !== 'crc32') return send({});
  try {
    return await send({ ChecksumAlgorithm: 'CRC32', ChecksumType: 'FULL_OBJECT' });
  } catch (error) {
    if (!refusesChecksum(error)) throw error;
    return send({ ChecksumAlgorithm: 'CRC32' });
  }
}

/** The journal's mark of a multipart upload's checksum (see transfer-record.ts). */
export function journaledChecksum(checksum: UploadChecksum): { sha256?: true; crc32?: true } {
  if (checksum === 'sha256') return { sha256: true };
  if (checksum === 'crc32') return { crc32: true };
  return {};
}

/** True when a multipart upload's parts carry its own checksum (journaled as journaledChecksum marks it): they then carry no MD5. */
export function carriesChecksum(journaled: { sha256?: boolean | undefined; crc32?: boolean | undefined }): boolean {
  return journaled.sha256 === true || journaled.crc32 === true;
}

/** What a stored object's checksum may be, computed here: one of `values`. */
export interface ExpectedChecksums {
  algorithm: 'SHA-256' | 'CRC32';
  values: string[];
}

/**
 * What a completed multipart upload's checksum must be, from its parts' (sorted, each with the
 * checksum it was sent with): the composite SHA-256, or the whole object's CRC32 (FULL_OBJECT,
 * as asked; the composite form too, where a service made one all the same).
 */
export function multipartChecksums(
  journaled: { sha256?: boolean | undefined; crc32?: boolean | undefined },
  parts: readonly FinishedPart[],
): ExpectedChecksums | undefined {
  const values = parts.map((part) => part.checksum?.value ?? '');
  if (journaled.sha256) return { algorithm: 'SHA-256', values: [compositeSha256(values)] };
  if (!journaled.crc32) return undefined;
  const whole = fullObjectCrc32(parts.map((part) => ({ crc32Base64: part.checksum?.value ?? '', size: part.size })));
  return { algorithm: 'CRC32', values: [whole, compositeCrc32(values)] };
}

/** True for a 400 that refuses a request's checksum or its kind (not its parts, nor the upload). */
function refusesChecksum(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return (
    statusOf(error) === 400 &&
    typeof name === 'string' &&
    ['BadDigest', 'InvalidArgument', 'InvalidRequest', 'InvalidDigest', 'XAmzContentChecksumMismatch'].includes(name)
  );
}

/**
 * Completes a multipart upload, with the whole object's CRC32 where it has one, until a service
 * refuses it: one that keeps only composite checksums (an S3 server older than FULL_OBJECT) is
 * asked again without, and the composite it makes is the check. `send` completes with the
 * fields given; the function returned is called once per attempt.
 */
export function completionWithWholeCrc32<T>(
  expected: ExpectedChecksums | undefined,
  send: (fields: { ChecksumCRC32?: string; ChecksumType?: 'FULL_OBJECT' }, signal: AbortSignal) => Promise<T>,
): (signal: AbortSignal) => Promise<T> {
  let whole = expected?.algorithm === 'CRC32' ? expected.values[0] : undefined;
  return async (signal) => {
    if (!whole) return send({}, signal);
    try {
      return await send({ ChecksumCRC32: whole, ChecksumType: 'FULL_OBJECT' }, signal);
    } catch (error) {
      if (!refusesChecksum(error)) throw error;
      whole = undefined;
      return send({}, signal);
    }
  };
}

/**
 * Why a stored object's checksum is not what was sent (the failure's detail), or undefined when
 * it is one of the expected values (a checksum's "-N" part count aside).
 */
export function checksumMismatch(expected: ExpectedChecksums, stored: string): string | undefined {
  const value = checksumValue(stored);
  if (expected.values.some((candidate) => checksumValue(candidate) === value)) return undefined;
  return `${expected.algorithm} ${value}, expected ${expected.values.map(checksumValue).join(' or ')}`;
}

/**
 * What a body sent whole (one PutObject) is compared by: the checksum of its digests' kind in
 * the service's answer (CRC32 where one was computed, else SHA-256), and its own value.
 */
export function wholeBodyChecksums(
  digests: { sha256?: Buffer | undefined; crc32?: Buffer | undefined },
  answer: { ChecksumSHA256?: string | undefined; ChecksumCRC32?: string | undefined },
): { checksum: string | undefined; expectedChecksums?: ExpectedChecksums } {
  const algorithm = digests.crc32 ? 'CRC32' : 'SHA-256';
  const own = digests.crc32 ?? digests.sha256;
  return {
    checksum: answeredChecksum(algorithm, answer),
    ...(own ? { expectedChecksums: { algorithm, values: [own.toString('base64')] } } : {}),
  };
}

/** The checksum of the upload's kind in a service's answer (PutObject, UploadPart, CompleteMultipartUpload, HeadObject). */
export function answeredChecksum(
  algorithm: ExpectedChecksums['algorithm'] | undefined,
  answer: { ChecksumSHA256?: string | undefined; ChecksumCRC32?: string | undefined },
): string | undefined {
  return algorithm === 'CRC32' ? answer.ChecksumCRC32 : answer.ChecksumSHA256;
}

/** A body's checksum field as sent (x-amz-checksum-sha256 or -crc32), and as the journal keeps a part's. */
export interface SentChecksum {
  name: 'ChecksumSHA256' | 'ChecksumCRC32';
  value: string;
}

/** The checksum a body is sent with, of the upload's kind (journaledChecksum's mark), from its digests; undefined where none. */
export function sentChecksum(
  kind: { sha256?: boolean | undefined; crc32?: boolean | undefined },
  digests: { sha256?: Buffer | undefined; crc32?: Buffer | undefined },
): SentChecksum | undefined {
  if (kind.crc32 && digests.crc32) return { name: 'ChecksumCRC32', value: digests.crc32.toString('base64') };
  if (kind.sha256 && digests.sha256) return { name: 'ChecksumSHA256', value: digests.sha256.toString('base64') };
  return undefined;
}

/** Why a part's answer names another checksum than the one it was sent with (the failure's detail), or undefined. */
export function partChecksumMismatch(
  partNumber: number,
  sent: SentChecksum | undefined,
  answer: { ChecksumSHA256?: string | undefined; ChecksumCRC32?: string | undefined },
): string | undefined {
  const answered = sent && answer[sent.name];
  if (!sent || !answered || checksumValue(answered) === sent.value) return undefined;
  const algorithm = sent.name === 'ChecksumCRC32' ? 'CRC32' : 'SHA-256';
  return `Part ${partNumber}: ${algorithm} ${checksumValue(answered)}, expected ${sent.value}`;
}
