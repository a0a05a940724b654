import { PutObjectAclCommand, type S3Client } from '@aws-sdk/client-s3';
import { countOf } from '../../../shared/names';
import type { objectAccessValues } from '../../../shared/share';
import { AppFailure } from '../app-failure';
import { inParallel } from '../details/in-parallel';
import type { OperationContext } from '../operations/operation-registry';
import { classifyS3Error } from '../s3/classify-s3-error';
import { expandKeys } from '../s3/delete-objects';

/** "Make public" sets public-read; "Make private" sets private. */
export type ObjectAccess = (typeof objectAccessValues)[number];

/** How many ACLs are set at once: enough to hide latency, few enough to be gentle with the service. */
const ACLS_IN_PARALLEL = 4;

/** What the service's ACL support is, as the operation needs it. */
export interface AclSupport {
  /** Why the service keeps no ACLs, where the model already knows; said once, before any request. */
  unavailable: string | undefined;
  /** Reads an answer for "this service has no ACLs" (NotImplemented, bucket owner enforced) and teaches the model. */
  lacks(error: unknown): Promise<string | undefined>;
}

/**
 * Sets the canned ACL public-read or private on objects (folders expanded to the objects in
 * them), as a long operation with progress and cancel. A service that answers that it keeps no
 * ACLs stops the whole operation with that sentence: every other object would get the same answer.
 */
export async function setObjectAccess(
  client: S3Client,
  bucket: string,
  items: readonly string[],
  access: ObjectAccess,
  context: OperationContext,
  acls: AclSupport,
): Promise<(done: number, failed: number) => string> {
  if (acls.unavailable !== undefined) throw new AppFailure('not-supported', acls.unavailable);
  const keys: string[] = [];
  for await (const page of expandKeys(client, bucket, items, context.signal)) keys.push(...page);
  context.setTotal(keys.length);
  let lacking: string | undefined;
  await inParallel(
    keys,
    ACLS_IN_PARALLEL,
    async (key) => {
      if (lacking !== undefined) return;
      try {
        await client.send(new PutObjectAclCommand({ Bucket: bucket, Key: key, ACL: access }));
        context.advance(1);
      } catch (error) {
        if (context.signal.aborted) return;
        lacking = lacking ?? (await acls.lacks(error));
        if (lacking !== undefined) return;
        context.fail(key, classifyS3Error(error)?.message ?? 'The access could not be changed.');
      }
    },
    context.signal,
  );
  if (lacking !== undefined) throw new AppFailure('not-supported', lacking);
  const made = access === 'public-read' ? 'public' : 'private';
  return (done, failed) =>
    failed === 0
      ? `Made ${countOf(done, 'object')} ${made}.`
      : `Made ${countOf(done, 'object')} ${made}; ${failed} failed.`;
}
