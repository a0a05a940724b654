import mime from 'mime';
import type { z } from 'zod';
import type { EncryptionChoice, uploadOptionsSchema } from '../../../shared/transfers';
import { AppFailure } from '../app-failure';
import type { CustomerKeyStore } from '../keychain/customer-key-store';
import { encodeMetadataValue } from '../details/metadata-encoding';

/** Upload options after their defaults. */
export type UploadOptions = z.infer<typeof uploadOptionsSchema>;

/** The SSE-C headers of every request touching an object encrypted with the account's customer key. */
export interface CustomerKeyHeaders {
  SSECustomerAlgorithm: 'AES256';
  /** Base64 of the 32-byte key; the SDK adds its MD5. Never logged, never sent to the renderer. */
  SSECustomerKey: string;
}

/** The account's SSE-C key as request headers; fails clearly when none is stored. */
export async function customerKeyHeaders(keys: CustomerKeyStore, accountId: string): Promise<CustomerKeyHeaders> {
  let key: Buffer | undefined;
  try {
    key = await keys.get(accountId);
  } catch {
    throw new AppFailure('keychain-unavailable', 'The customer key (SSE-C) could not be read from the keychain.');
  }
  if (!key) {
    throw new AppFailure(
      'invalid-input',
      'No customer key (SSE-C) is stored for this account. Add one in the account settings, or choose another encryption.',
    );
  }
  return { SSECustomerAlgorithm: 'AES256', SSECustomerKey: key.toString('base64') };
}

/** The encryption headers of PutObject and CreateMultipartUpload (UploadPart needs only SSE-C's). */
export async function encryptionHeaders(
  choice: EncryptionChoice,
  keys: CustomerKeyStore,
  accountId: string,
): Promise<{
  ServerSideEncryption?: 'AES256' | 'aws:kms';
  SSEKMSKeyId?: string;
  customerKey?: CustomerKeyHeaders;
}> {
  switch (choice.mode) {
    case 'none':
      return {};
    case 'SSE-S3':
      return { ServerSideEncryption: 'AES256' };
    case 'SSE-KMS':
      return { ServerSideEncryption: 'aws:kms', ...(choice.kmsKeyId ? { SSEKMSKeyId: choice.kmsKeyId } : {}) };
    case 'SSE-C':
      return { customerKey: await customerKeyHeaders(keys, accountId) };
  }
}

/**
 * Whether the service's ETag is the MD5 of the bytes: for plain and SSE-S3 objects it is
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_Object.html), for SSE-KMS and SSE-C it
 * is not, and there the upload is checked by size (HeadObject) instead.
 */
export function etagIsMd5(choice: EncryptionChoice): boolean {
  return choice.mode === 'none' || choice.mode === 'SSE-S3';
}

/** The Content-Type of a file: the person's choice, else guessed from its name, else bytes. */
export function contentTypeFor(fileName: string, options: UploadOptions): string {
  return options.contentType ?? mime.getType(fileName) ?? 'application/octet-stream';
}

/**
 * The object headers of an upload, without encryption: type, metadata (non-ASCII values as
 * RFC 2047 words), storage class, and the canned ACL, left out entirely for "private" (the
 * default anyway) so that services without ACLs (buckets with ACLs disabled, R2) accept it.
 */
export function objectHeaders(fileName: string, options: UploadOptions, folderMarker: boolean) {
  const metadata = Object.fromEntries(
    Object.entries(options.metadata).map(([name, value]) => [name, encodeMetadataValue(value)]),
  );
  return {
    ...(folderMarker && !options.contentType ? {} : { ContentType: contentTypeFor(fileName, options) }),
    ...(Object.keys(metadata).length > 0 ? { Metadata: metadata } : {}),
    ...(options.storageClass ? { StorageClass: options.storageClass } : {}),
    ...(options.acl !== 'private' ? { ACL: options.acl } : {}),
  };
}
