import { HeadObjectCommand, type HeadObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { AppFailure } from '../app-failure';
import { httpStatusOf } from '../s3/classify-s3-error';

/** An account's SSE-C customer key, loaded only when an object turns out to need it (it may touch the keychain). */
export type CustomerKeySource = () => Promise<Buffer | undefined>;

/** What a person reads when an object needs a customer key the account does not have. */
export const CUSTOMER_KEY_MISSING =
  'This object is encrypted with a customer key (SSE-C), and none is stored for this account. Add the key in the encryption settings, then try again.';

/** What a person reads when the stored customer key is not the object's. */
export const CUSTOMER_KEY_MISMATCH =
  'This object is encrypted with a customer key (SSE-C) other than the one stored for this account. Store its key, then try again.';

/** The SSE-C parameters of a request: the SDK adds the key's MD5 itself (middleware-ssec). */
export function customerKeyParams(key: Buffer) {
  return { SSECustomerAlgorithm: 'AES256', SSECustomerKey: key.toString('base64') } as const;
}

/** The SSE-C parameters for the source of a copy. */
export function copySourceCustomerKeyParams(key: Buffer) {
  return { CopySourceSSECustomerAlgorithm: 'AES256', CopySourceSSECustomerKey: key.toString('base64') } as const;
}

/**
 * True for the answer S3 gives a HEAD or GET of an SSE-C object sent without its key: 400
 * (a HEAD has no body to say more; a GET says InvalidRequest, "… Server Side Encryption …").
 */
export function isCustomerKeyRequired(error: unknown): boolean {
  if (httpStatusOf(error) !== 400) return false;
  const name = (error as { name?: unknown }).name;
  // A bad version id or argument is a 400 too, and says so by name.
  return name !== 'InvalidArgument' && name !== 'InvalidBucketName';
}

/** Where an object is, for a HEAD or GET. */
export interface ObjectAddress {
  bucket: string;
  key: string;
  versionId?: string | undefined;
}

/** A HEAD's answer, and the customer key it took (undefined for an object without SSE-C). */
export interface HeadResult {
  output: HeadObjectCommandOutput;
  customerKey: Buffer | undefined;
}

/**
 * HeadObject, retried with the account's customer key on the 400 an SSE-C object gives
 * without one. Throws a clear AppFailure where the account has no key or another one.
 */
export async function headObject(
  client: S3Client,
  address: ObjectAddress,
  customerKey: CustomerKeySource,
  options: { signal?: AbortSignal; checksums?: boolean } = {},
): Promise<HeadResult> {
  const input = {
    Bucket: address.bucket,
    Key: address.key,
    ...(address.versionId ? { VersionId: address.versionId } : {}),
    ...(options.checksums ? { ChecksumMode: 'ENABLED' as const } : {}),
  };
  const sendOptions = options.signal ? { abortSignal: options.signal } : {};
  try {
    return { output: await client.send(new HeadObjectCommand(input), sendOptions), customerKey: undefined };
  } catch (error) {
    if (!isCustomerKeyRequired(error)) throw error;
  }
  const key = await customerKey();
  if (!key) throw new AppFailure('access-denied', CUSTOMER_KEY_MISSING);
  try {
    const output = await client.send(new HeadObjectCommand({ ...input, ...customerKeyParams(key) }), sendOptions);
    return { output, customerKey: key };
  } catch (error) {
    const status = httpStatusOf(error);
    if (status === 400 || status === 403) throw new AppFailure('access-denied', CUSTOMER_KEY_MISMATCH);
    throw error;
  }
}

/** Whether an object needs a customer key to be read, as far as a HEAD without one tells. */
export async function needsCustomerKey(client: S3Client, address: ObjectAddress): Promise<boolean | 'missing'> {
  try {
    const output = await client.send(
      new HeadObjectCommand({
        Bucket: address.bucket,
        Key: address.key,
        ...(address.versionId ? { VersionId: address.versionId } : {}),
      }),
    );
    return output.SSECustomerAlgorithm !== undefined;
  } catch (error) {
    if (isCustomerKeyRequired(error)) return true;
    if (httpStatusOf(error) === 404) return 'missing';
    throw error;
  }
}
