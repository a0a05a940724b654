import { createHash } from 'node:crypto';
import type { EtagRules, ServiceCapabilities } from '../../../shared/capabilities';
import type { TransferVerification } from '../../../shared/transfers';

/**
 * How an upload is checked against what the service stored, from what the service
 * guarantees (docs/compatibility.md):
 * - every PUT and part carries Content-MD5, so the service refuses bytes damaged on the way;
 * - where it supports additional checksums, every PUT and part carries one instead (over TLS
 *   x-amz-checksum-crc32, a multipart upload's being the CRC32 of the whole object, crc32.ts;
 *   over plain HTTP x-amz-checksum-sha256, composite for multipart: the SHA-256 of the parts'
 *   SHA-256s, "-N"), and the object's checksum is compared with the one computed here;
 * - the ETag is compared with the MD5 (single PUT) or the MD5 of the part MD5s (multipart)
 *   only where that rule holds; encrypted objects (SSE-KMS, SSE-C) never follow it;
 * - otherwise the stored size is compared, and the transfer says it was checked by size.
 */

/** The SHA-256 of some bytes (base64 is what x-amz-checksum-sha256 carries). */
export function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/** The composite checksum S3 gives a multipart upload: the SHA-256 of the parts' binary SHA-256s, base64, "-N". */
export function compositeSha256(partDigestsBase64: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of partDigestsBase64) hash.update(Buffer.from(part, 'base64'));
  return `${hash.digest('base64')}-${partDigestsBase64.length}`;
}

/** A checksum value as services return it, without the part count ("abc=-3" → "abc="). */
export function checksumValue(value: string): string {
  return value.replace(/-\d+$/, '');
}

/** Whether the response names an encryption whose ETag is not an MD5 of the data (SSE-KMS, DSSE-KMS, SSE-C). */
export function encryptedEtag(response: {
  ServerSideEncryption?: string | undefined;
  SSECustomerAlgorithm?: string | undefined;
}): boolean {
  return response.SSECustomerAlgorithm !== undefined || (response.ServerSideEncryption ?? '').startsWith('aws:kms');
}

/** Which ETag rule an upload of this shape is checked against. */
export type EtagShape = keyof EtagRules;

/**
 * What comparing an ETag says: 'match'; 'mismatch' (a real difference, where the rule is known
 * to hold); or 'not-an-md5' (the rule is not known to hold and the ETag does not follow it, so
 * it proves nothing and the size decides).
 */
export function compareEtag(
  capabilities: ServiceCapabilities,
  shape: EtagShape,
  etag: string,
  expected: string,
): 'match' | 'mismatch' | 'not-an-md5' {
  const rule = capabilities.etag[shape];
  if (rule === 'opaque') return 'not-an-md5';
  if (etag === expected) return 'match';
  return rule === 'unknown' ? 'not-an-md5' : 'mismatch';
}

/** The note a transfer gets for how it was checked; null where the check needs no words. */
export function verificationNote(verification: TransferVerification): string | null {
  return verification === 'size'
    ? "Stored, checked by size: this service's ETag is not an MD5 of the data, and it offers no other checksum."
    : null;
}
