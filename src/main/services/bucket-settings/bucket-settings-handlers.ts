import type { S3Client } from '@aws-sdk/client-s3';
import { checkBucketPolicy, exposingStatements, problemText } from '../../../shared/bucket-policy';
import type { bucketSettingsRequests } from '../../../shared/bucket-settings-contract';
import {
  aclExposes,
  cannedBucketAclWords,
  publicAccessFlagWords,
  switchesTurnedOff,
  type AccountPublicAccessState,
  type PublicAccessBlockFlags,
  type PublicAccessState,
} from '../../../shared/bucket-settings';
import { capabilityLabels, whyUnavailable, type CapabilityId } from '../../../shared/capabilities';
import { AppFailure } from '../app-failure';
import { classifyS3Error, httpStatusOf } from '../s3/classify-s3-error';
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
import {
  accountControlClients,
  readAccountPublicAccessBlock,
  readAwsAccountId,
  writeAccountPublicAccessBlock,
  type AccountControlClients,
} from './account-public-access';

/** The channels this factory answers. */
type Channel = keyof typeof bucketSettingsRequests;

/** What the person reads where the keys may not read the account-wide switches (AccessDenied). */
const ACCOUNT_LEVEL_DENIED =
  'You may not read the account-wide public access settings: the service refused these keys (AccessDenied; on ' +
  "Amazon S3 they need s3:GetAccountPublicAccessBlock). The bucket's own switches above still apply.";

/** The service's error code for a sentence ("NoSuchBucket", or the HTTP status where it named none). */
function answerName(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  const status = httpStatusOf(error);
  return typeof name === 'string' && name !== '' && name !== 'Error' ? name : `HTTP ${status ?? '?'}`;
}

/** The sentence where the service answered the account-wide request with something that is not S3 Control's. */
function noS3ControlReason(step: 'sts' | 'control', error: unknown): string {
  const asked =
    step === 'sts'
      ? 'asked which AWS account the keys belong to (STS GetCallerIdentity)'
      : "asked for them (S3 Control's GetPublicAccessBlock)";
  return `This service has no account-wide public access settings: ${asked}, it answered ${answerName(error)}.`;
}

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

  /** The bucket's Block Public Access state. */
  async function publicAccess(accountId: string, bucket: string): Promise<PublicAccessState> {
    return {
      bucket: await withSetting(accountId, bucket, 'publicAccessBlock', (client) =>
        readPublicAccessBlock(client, bucket),
      ),
    };
  }

  /**
   * Runs an account-wide request (S3 Control) after the model's check. The model knows the
   * answer for the presets (Amazon S3 has them; MinIO, R2, B2 … do not); for any other service
   * the first answer tells: a service without S3 Control answers STS or /v20180820/ with an
   * error of its own (MinIO: "Unsupported action GetCallerIdentity", then NoSuchBucket), which
   * the model learns as "no" for the account, with the sentence. A network fault, a refusal of
   * these keys, or any error from a service known to have S3 Control stays an error.
   */
  async function withAccountControl<T>(
    accountId: string,
    bucket: string,
    run: (clients: AccountControlClients, awsAccountId: string) => Promise<T>,
  ): Promise<T> {
    const model = await capabilities.forBucket(accountId, bucket);
    const missing = whyUnavailable(model, 'accountPublicAccessBlock');
    if (missing !== undefined) throw new AppFailure('not-supported', missing);
    const known = model.features.accountPublicAccessBlock.support === 'yes';
    const { endpoint } = await accounts.settingsOf(accountId);
    const clients = await accountControlClients(await accounts.clientForBucket(accountId, bucket), endpoint);
    /** Learns "no S3 Control here" from a service's answer where that is what it says; otherwise undefined. */
    const lesson = async (step: 'sts' | 'control', error: unknown): Promise<string | undefined> => {
      const lacks = await capabilities.lacks(accountId, bucket, 'accountPublicAccessBlock', error);
      if (lacks !== undefined) return lacks;
      const answered = httpStatusOf(error) !== undefined;
      if (known || !answered || classifyS3Error(error)?.code === 'access-denied') return undefined;
      const reason = noS3ControlReason(step, error);
      await capabilities.learnMissing(accountId, null, 'accountPublicAccessBlock', reason);
      return reason;
    };
    let awsAccountId: string;
    try {
      awsAccountId = await readAwsAccountId(clients.sts);
    } catch (error) {
      const reason = await lesson('sts', error);
      if (reason !== undefined) throw new AppFailure('not-supported', reason, { cause: error });
      throw error;
    }
    try {
      return await run(clients, awsAccountId);
    } catch (error) {
      const reason = await lesson('control', error);
      if (reason !== undefined) throw new AppFailure('not-supported', reason, { cause: error });
      throw error;
    }
  }

  /** The account-wide switches as the section shows them: read, refused to these keys, or missing here. */
  async function accountPublicAccess(accountId: string, bucket: string): Promise<AccountPublicAccessState> {
    try {
      return await withAccountControl(accountId, bucket, async ({ control }, awsAccountId) => ({
        status: 'read',
        awsAccountId,
        flags: await readAccountPublicAccessBlock(control, awsAccountId),
      }));
    } catch (error) {
      if (error instanceof AppFailure && error.code === 'not-supported') {
        return { status: 'unavailable', reason: error.message };
      }
      if (!(error instanceof AppFailure) && classifyS3Error(error)?.code === 'access-denied') {
        return { status: 'denied', reason: ACCOUNT_LEVEL_DENIED };
      }
      throw error;
    }
  }

  /** Sets the account-wide switches; turning one off is refused unless the person confirmed it. */
  async function setAccountPublicAccess(
    accountId: string,
    bucket: string,
    flags: PublicAccessBlockFlags,
    exposureConfirmed: boolean,
  ): Promise<AccountPublicAccessState> {
    await withAccountControl(accountId, bucket, async ({ control }, awsAccountId) => {
      const turnedOff = switchesTurnedOff(await readAccountPublicAccessBlock(control, awsAccountId), flags);
      if (turnedOff.length > 0 && !exposureConfirmed) {
        const consequences = turnedOff.map((name) => publicAccessFlagWords[name].offConsequence);
        throw new AppFailure(
          'invalid-input',
          `Nothing was changed: turning off ${turnedOff.map((name) => `"${publicAccessFlagWords[name].label}"`).join(', ')} for the whole account means that, in every bucket whose own switch is off, ${consequences.join('; ')}. Confirm that this is meant.`,
        );
      }
      await writeAccountPublicAccessBlock(control, awsAccountId, flags);
    });
    return accountPublicAccess(accountId, bucket);
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
      'bucketSettings.accountPublicAccess': ({ accountId, bucket }) => accountPublicAccess(accountId, bucket),
      'bucketSettings.setAccountPublicAccess': ({ accountId, bucket, flags, exposureConfirmed }) =>
        setAccountPublicAccess(accountId, bucket, flags, exposureConfirmed),
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
