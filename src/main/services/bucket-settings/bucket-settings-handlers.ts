import type { S3Client } from '@aws-sdk/client-s3';
import { checkBucketPolicy, exposingStatements, problemText } from '../../../shared/bucket-policy';
import type { bucketSettingsRequests } from '../../../shared/bucket-settings-contract';
import {
  aclExposes,
  cannedBucketAclWords,
  publicAccessFlagWords,
  switchesTurnedOff,
  type PublicAccessState,
} from '../../../shared/bucket-settings';
import { capabilityLabels, whyUnavailable, type CapabilityId } from '../../../shared/capabilities';
import { AppFailure } from '../app-failure';
import type { DomainServices } from '../handlers';
import type { ServiceContext } from '../service-context';
import {
  deleteBucketPolicy,
  readBucketAcl,
  readBucketPolicy,
  readBucketTags,
  readDefaultEncryption,
  readPublicAccessBlock,
  writeBucketAcl,
  writeBucketPolicy,
  writeBucketTags,
  writeDefaultEncryption,
  writePublicAccessBlock,
} from './access-settings';

/** The channels this factory answers. */
type Channel = keyof typeof bucketSettingsRequests;

/** What account-level Block Public Access reads as where the app does not read S3 Control. */
const ACCOUNT_LEVEL_NOT_READ =
  "This app does not read the account-wide settings (S3 Control) yet: see Block Public Access in the S3 console's account settings.";

/**
 * The "Bucket settings" view's access sections: bucket policy, Block Public Access, default
 * encryption, bucket tags and the bucket ACL. Every request first asks the capability model
 * (a service known to lack the setting gets its sentence, and no request is sent); an answer
 * that shows the service lacks it (NotImplemented, 501, 405) teaches the model and comes back
 * as `not-supported` with the sentence. Changes that could expose data are refused unless the
 * person confirmed them, and a policy is checked against the grammar before it is sent.
 */
export function createBucketSettingsServices(context: ServiceContext): DomainServices<Channel> {
  const { accounts, capabilities } = context;

  /** Runs one request for a setting the service may lack, with the model's check before and its lesson after. */
  async function withSetting<T>(
    accountId: string,
    bucket: string,
    feature: CapabilityId,
    run: (client: S3Client) => Promise<T>,
  ): Promise<T> {
    const missing = whyUnavailable(await capabilities.forBucket(accountId, bucket), feature);
    if (missing !== undefined) throw new AppFailure('not-supported', missing);
    const client = await accounts.clientForBucket(accountId, bucket);
    try {
      return await run(client);
    } catch (error) {
      const reason = await capabilities.lacks(accountId, bucket, feature, error);
      if (reason !== undefined) throw new AppFailure('not-supported', reason, { cause: error });
      throw error;
    }
  }

  /** The bucket's and the account's Block Public Access state. */
  async function publicAccess(accountId: string, bucket: string): Promise<PublicAccessState> {
    const model = await capabilities.forBucket(accountId, bucket);
    const accountMissing = whyUnavailable(model, 'accountPublicAccessBlock');
    return {
      bucket: await withSetting(accountId, bucket, 'publicAccessBlock', (client) =>
        readPublicAccessBlock(client, bucket),
      ),
      account: { available: false, reason: accountMissing ?? ACCOUNT_LEVEL_NOT_READ },
    };
  }

  return {
    handlers: {
      'bucketSettings.policy': async ({ accountId, bucket }) => ({
        policy: await withSetting(accountId, bucket, 'bucketPolicy', (client) => readBucketPolicy(client, bucket)),
      }),
      'bucketSettings.setPolicy': async ({ accountId, bucket, policy, exposureConfirmed }) => {
        // The same check as the editor's: a service may store a policy it cannot read (moto stores anything).
        const check = checkBucketPolicy(policy, bucket);
        const first = check.problems[0];
        if (first) throw new AppFailure('invalid-input', `The policy was not saved. ${problemText(first)}`);
        const exposing = exposingStatements(check);
        if (exposing.length > 0 && !exposureConfirmed) {
          throw new AppFailure(
            'invalid-input',
            `The policy was not saved: it opens the bucket to anyone (${exposing.join(' ')}). Confirm that this is meant.`,
          );
        }
        return withSetting(accountId, bucket, 'bucketPolicy', async (client) => {
          await writeBucketPolicy(client, bucket, policy);
          return { policy: await readBucketPolicy(client, bucket) };
        });
      },
      'bucketSettings.deletePolicy': async ({ accountId, bucket }) =>
        withSetting(accountId, bucket, 'bucketPolicy', async (client) => {
          await deleteBucketPolicy(client, bucket);
          return { policy: await readBucketPolicy(client, bucket) };
        }),
      'bucketSettings.publicAccess': ({ accountId, bucket }) => publicAccess(accountId, bucket),
      'bucketSettings.setPublicAccess': async ({ accountId, bucket, flags, exposureConfirmed }) => {
        await withSetting(accountId, bucket, 'publicAccessBlock', async (client) => {
          const turnedOff = switchesTurnedOff(await readPublicAccessBlock(client, bucket), flags);
          if (turnedOff.length > 0 && !exposureConfirmed) {
            const consequences = turnedOff.map((name) => publicAccessFlagWords[name].offConsequence);
            throw new AppFailure(
              'invalid-input',
              `Nothing was changed: turning off ${turnedOff.map((name) => `"${publicAccessFlagWords[name].label}"`).join(', ')} means ${consequences.join('; ')}. Confirm that this is meant.`,
            );
          }
          await writePublicAccessBlock(client, bucket, flags);
        });
        return publicAccess(accountId, bucket);
      },
      'bucketSettings.encryption': ({ accountId, bucket }) =>
        withSetting(accountId, bucket, 'defaultEncryption', (client) => readDefaultEncryption(client, bucket)),
      'bucketSettings.setEncryption': async ({ accountId, bucket, encryption }) => {
        const model = await capabilities.forBucket(accountId, bucket);
        const needed = encryption.mode === 'SSE-S3' ? 'sseS3' : encryption.mode === 'SSE-KMS' ? 'sseKms' : undefined;
        const missing = needed ? whyUnavailable(model, needed) : undefined;
        if (missing !== undefined) throw new AppFailure('not-supported', `${missing} Choose another encryption.`);
        return withSetting(accountId, bucket, 'defaultEncryption', async (client) => {
          await writeDefaultEncryption(client, bucket, encryption);
          const after = await readDefaultEncryption(client, bucket);
          // Read back: a service may answer 200 to a configuration it does not keep.
          if (after.mode !== encryption.mode) {
            throw new AppFailure(
              'not-supported',
              `This service accepted the change but kept ${after.mode === 'none' ? 'no default encryption' : after.mode}: it does not support ${capabilityLabels.defaultEncryption} with ${encryption.mode}.`,
            );
          }
          return after;
        });
      },
      'bucketSettings.tags': ({ accountId, bucket }) =>
        withSetting(accountId, bucket, 'bucketTagging', (client) => readBucketTags(client, bucket)),
      'bucketSettings.setTags': ({ accountId, bucket, tags }) =>
        withSetting(accountId, bucket, 'bucketTagging', async (client) => {
          await writeBucketTags(client, bucket, tags);
          return readBucketTags(client, bucket);
        }),
      'bucketSettings.acl': ({ accountId, bucket }) =>
        withSetting(accountId, bucket, 'acl', (client) => readBucketAcl(client, bucket)),
      'bucketSettings.setAcl': async ({ accountId, bucket, acl, exposureConfirmed }) => {
        if (aclExposes(acl) && !exposureConfirmed) {
          throw new AppFailure(
            'invalid-input',
            `Nothing was changed: ${cannedBucketAclWords[acl]} Confirm that this is meant.`,
          );
        }
        return withSetting(accountId, bucket, 'acl', async (client) => {
          await writeBucketAcl(client, bucket, acl);
          return readBucketAcl(client, bucket);
        });
      },
    },
  };
}
