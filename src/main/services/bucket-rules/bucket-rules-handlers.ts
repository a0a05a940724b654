import type { S3Client } from '@aws-sdk/client-s3';
import {
  complianceWarning,
  corsExposure,
  newlyExpiringRules,
  websiteExposureText,
  type BucketWebsite,
  type ObjectProtection,
  type WebsiteConfig,
} from '../../../shared/bucket-rules';
import type { bucketRulesRequests } from '../../../shared/bucket-rules-contract';
import { whyUnavailable, type CapabilityId } from '../../../shared/capabilities';
import type { Availability } from '../../../shared/details';
import { AppFailure } from '../app-failure';
import { httpStatusOf } from '../s3/classify-s3-error';
import type { DomainServices } from '../handlers';
import { bucketCorsRules, corsRuleFromS3, corsRuleToS3, putBucketCorsRules } from '../s3/bucket-cors-rules';
import type { ServiceContext } from '../service-context';
import { previewLifecycleMatches } from './lifecycle-preview';
import { lifecycleRuleFromS3, readS3LifecycleRules, writeLifecycleRules } from './lifecycle-rules';
import {
  bucketNotLockedText,
  readBucketObjectLock,
  readObjectProtection,
  writeDefaultRetention,
  writeLegalHold,
  writeObjectRetention,
} from './object-lock';
import { deleteWebsite, readWebsite, websiteAddress, writeWebsite } from './website';

/** How often a preview's progress goes out. */
const PREVIEW_PROGRESS_MS = 100;

/** The service's own words where it refused what was sent (HTTP 400), else undefined. */
function refusalOf(error: unknown): { name: string; message: string } | undefined {
  if (httpStatusOf(error) !== 400) return undefined;
  const { name, message } = error as { name?: unknown; message?: unknown };
  return { name: typeof name === 'string' ? name : 'Error', message: typeof message === 'string' ? message : '' };
}

/**
 * Why the service lacks website hosting, where it answered the plainest configuration (an index
 * document, or a redirect of every request; no routing rules, which a service may refuse for
 * themselves) with MalformedXML: the SDK wrote it from a checked form, so the service does not
 * know the document. MinIO answers so (it hosts no websites), where other services say
 * NotImplemented; quoting "not well-formed" would ask the person to fix XML they never wrote.
 */
function websiteNotUnderstood(config: WebsiteConfig, error: unknown): string | undefined {
  if (refusalOf(error)?.name !== 'MalformedXML') return undefined;
  if (config.mode === 'serve' && config.routingRules.length > 0) return undefined;
  return (
    'This service does not host static websites through the S3 API: it answered a plain website configuration ' +
    '(no routing rules) with MalformedXML, as a service answers a document it does not know.'
  );
}

/** Said where a service refused lifecycle rules that abort unfinished uploads. */
const abortRuleHint =
  ' Some services, MinIO among them, do not take “abort unfinished uploads” in a lifecycle rule (MinIO removes ' +
  'them itself after a day): remove that action and save again.';

/** What a test may change: the preview's bounds and page size. */
export interface BucketRulesOptions {
  previewMaxListed?: number;
  previewMaxTagReads?: number;
  listPageSize?: number;
}

/**
 * The Bucket settings view's rule sections: CORS, lifecycle (with a preview that counts what a
 * rule matches now), Object Lock (the bucket's default retention, each object's retention and
 * legal hold) and static website hosting. Each reads the capability model first and says why
 * where the service lacks the feature; an answer that shows the lack teaches the model. Changes
 * that expose or delete data are refused unless the person confirmed them (checked here, not
 * only in the UI).
 */
export function createBucketRulesServices(
  context: ServiceContext,
  options: BucketRulesOptions = {},
): DomainServices<keyof typeof bucketRulesRequests> {
  const { accounts, capabilities, bus } = context;
  const previews = new Map<string, AbortController>();

  /** The bucket's client, once the model allows the feature (else `not-supported` with why). */
  async function clientFor(accountId: string, bucket: string, feature: CapabilityId): Promise<S3Client> {
    const missing = whyUnavailable(await capabilities.forBucket(accountId, bucket), feature);
    if (missing !== undefined) throw new AppFailure('not-supported', missing);
    return accounts.clientForBucket(accountId, bucket);
  }

  /**
   * Runs a change; an answer saying the service lacks the feature becomes `not-supported` in
   * words (and is learnt), and a 400 refusal of what was sent becomes `invalid-input` quoting
   * the service (`hint` adds what is known to cause it).
   */
  async function change<T>(
    accountId: string,
    bucket: string,
    feature: CapabilityId,
    run: () => Promise<T>,
    hint = '',
  ): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const reason = await capabilities.lacks(accountId, bucket, feature, error);
      if (reason !== undefined) throw new AppFailure('not-supported', reason);
      const refusal = refusalOf(error);
      if (refusal !== undefined) {
        throw new AppFailure('invalid-input', `The service refused this change: “${refusal.message}”.${hint}`, {
          detail: `${refusal.name} (HTTP 400)`,
        });
      }
      throw error;
    }
  }

  /** Reads a section: its value, or unavailable with the reason (from the model, or from the answer). */
  async function read<T>(
    accountId: string,
    bucket: string,
    feature: CapabilityId,
    run: (client: S3Client) => Promise<T>,
  ): Promise<Availability<T>> {
    const missing = whyUnavailable(await capabilities.forBucket(accountId, bucket), feature);
    if (missing !== undefined) return { available: false, reason: missing };
    const client = await accounts.clientForBucket(accountId, bucket);
    try {
      return { available: true, value: await run(client) };
    } catch (error) {
      const reason = await capabilities.lacks(accountId, bucket, feature, error);
      if (reason !== undefined) return { available: false, reason };
      throw error;
    }
  }

  async function website(accountId: string, bucket: string, client: S3Client): Promise<BucketWebsite> {
    const config = await readWebsite(client, bucket);
    const { endpoint } = await accounts.settingsOf(accountId);
    const region = await (await accounts.connection(accountId)).regionOf(bucket);
    return { config, ...websiteAddress(endpoint, bucket, region) };
  }

  async function protection(
    accountId: string,
    bucket: string,
    key: string,
    versionId: string | undefined,
  ): Promise<ObjectProtection> {
    const lock = await read(accountId, bucket, 'objectLock', (client) => readBucketObjectLock(client, bucket));
    if (!lock.available) return { bucketLocked: false, retention: lock, legalHold: lock };
    const client = await accounts.clientForBucket(accountId, bucket);
    return readObjectProtection(client, bucket, key, versionId, lock.value.enabled);
  }

  /** Refuses object-level changes in a bucket without Object Lock, in words, before asking the service. */
  async function lockedClient(accountId: string, bucket: string): Promise<S3Client> {
    const client = await clientFor(accountId, bucket, 'objectLock');
    const lock = await change(accountId, bucket, 'objectLock', () => readBucketObjectLock(client, bucket));
    if (!lock.enabled) throw new AppFailure('not-supported', bucketNotLockedText);
    return client;
  }

  return {
    handlers: {
      'cors.get': ({ accountId, bucket }) =>
        read(accountId, bucket, 'bucketCors', async (client) =>
          (await bucketCorsRules(client, bucket)).map(corsRuleFromS3),
        ),
      'cors.put': async ({ accountId, bucket, rules, confirmedExposure }) => {
        const client = await clientFor(accountId, bucket, 'bucketCors');
        return change(accountId, bucket, 'bucketCors', async () => {
          const before = (await bucketCorsRules(client, bucket)).map(corsRuleFromS3);
          const exposure = corsExposure(before, rules);
          if (exposure !== undefined && !confirmedExposure) {
            throw new AppFailure('invalid-input', `Confirm this change first. ${exposure}`);
          }
          await putBucketCorsRules(client, bucket, rules.map(corsRuleToS3));
          return { rules: (await bucketCorsRules(client, bucket)).map(corsRuleFromS3) };
        });
      },
      'lifecycle.get': ({ accountId, bucket }) =>
        read(accountId, bucket, 'lifecycle', async (client) =>
          (await readS3LifecycleRules(client, bucket)).map(lifecycleRuleFromS3),
        ),
      'lifecycle.put': async ({ accountId, bucket, rules, confirmedExpiry }) => {
        const model = await capabilities.forBucket(accountId, bucket);
        const classes = model.storageClasses;
        for (const rule of rules) {
          for (const transition of rule.transitions) {
            if (classes.length > 0 && !classes.includes(transition.storageClass)) {
              throw new AppFailure(
                'invalid-input',
                `The rule “${rule.id}” moves objects to ${transition.storageClass}, which this service does not offer (it offers ${classes.join(', ')}).`,
              );
            }
          }
        }
        const client = await clientFor(accountId, bucket, 'lifecycle');
        return change(
          accountId,
          bucket,
          'lifecycle',
          async () => {
            const current = await readS3LifecycleRules(client, bucket);
            const unconfirmed = newlyExpiringRules(current.map(lifecycleRuleFromS3), rules).filter(
              (rule) => !confirmedExpiry.includes(rule.id),
            );
            if (unconfirmed.length > 0) {
              throw new AppFailure(
                'invalid-input',
                `Confirm first that ${unconfirmed.map((r) => `“${r.id}”`).join(', ')} will delete the objects ${unconfirmed.length === 1 ? 'it matches' : 'they match'}.`,
              );
            }
            await writeLifecycleRules(client, bucket, rules, current);
            return { rules: (await readS3LifecycleRules(client, bucket)).map(lifecycleRuleFromS3) };
          },
          rules.some((rule) => rule.abortIncompleteUploadDays !== undefined) ? abortRuleHint : '',
        );
      },
      'lifecycle.preview': async ({ accountId, bucket, previewId, prefix, tags }, request) => {
        if (tags.length > 0) {
          const missing = whyUnavailable(await capabilities.forBucket(accountId, bucket), 'tagging');
          if (missing !== undefined) throw new AppFailure('not-supported', `${missing} A preview cannot match tags.`);
        }
        const client = await accounts.clientForBucket(accountId, bucket);
        const controller = new AbortController();
        previews.get(previewId)?.abort();
        previews.set(previewId, controller);
        const stop = () => controller.abort();
        request.signal?.addEventListener('abort', stop);
        let lastSent = 0;
        try {
          return await previewLifecycleMatches(client, {
            bucket,
            prefix,
            tags,
            signal: controller.signal,
            progress: (listed, matched) => {
              const now = Date.now();
              if (now - lastSent < PREVIEW_PROGRESS_MS) return;
              lastSent = now;
              bus.emit('lifecycle.previewProgress', { previewId, listed, matched });
            },
            ...(options.previewMaxListed ? { maxListed: options.previewMaxListed } : {}),
            ...(options.previewMaxTagReads ? { maxTagReads: options.previewMaxTagReads } : {}),
            ...(options.listPageSize ? { pageSize: options.listPageSize } : {}),
          });
        } finally {
          request.signal?.removeEventListener('abort', stop);
          if (previews.get(previewId) === controller) previews.delete(previewId);
        }
      },
      'lifecycle.cancelPreview': async ({ previewId }) => {
        const controller = previews.get(previewId);
        controller?.abort();
        return { cancelled: controller !== undefined };
      },
      'objectLock.get': ({ accountId, bucket }) =>
        read(accountId, bucket, 'objectLock', (client) => readBucketObjectLock(client, bucket)),
      'objectLock.putDefault': async ({ accountId, bucket, defaultRetention, confirmedCompliance }) => {
        if (defaultRetention?.mode === 'COMPLIANCE' && !confirmedCompliance) {
          throw new AppFailure('invalid-input', `Confirm the COMPLIANCE mode first. ${complianceWarning}`);
        }
        const client = await lockedClient(accountId, bucket);
        return change(accountId, bucket, 'objectLock', async () => {
          await writeDefaultRetention(client, bucket, defaultRetention);
          return readBucketObjectLock(client, bucket);
        });
      },
      'objectLock.getObject': ({ accountId, bucket, key, versionId }) => protection(accountId, bucket, key, versionId),
      'objectLock.putRetention': async ({
        accountId,
        bucket,
        key,
        versionId,
        retention,
        bypassGovernance,
        confirmedCompliance,
      }) => {
        if (retention?.mode === 'COMPLIANCE' && !confirmedCompliance) {
          throw new AppFailure('invalid-input', `Confirm the COMPLIANCE mode first. ${complianceWarning}`);
        }
        if (retention && Date.parse(retention.until) <= Date.now()) {
          throw new AppFailure('invalid-input', 'Choose a date and time in the future for the retention to end.');
        }
        const client = await lockedClient(accountId, bucket);
        await change(accountId, bucket, 'objectLock', () =>
          writeObjectRetention(client, { bucket, key, versionId }, retention, bypassGovernance),
        );
        return protection(accountId, bucket, key, versionId);
      },
      'objectLock.putLegalHold': async ({ accountId, bucket, key, versionId, on }) => {
        const client = await lockedClient(accountId, bucket);
        await change(accountId, bucket, 'objectLock', () => writeLegalHold(client, { bucket, key, versionId }, on));
        return protection(accountId, bucket, key, versionId);
      },
      'website.get': ({ accountId, bucket }) =>
        read(accountId, bucket, 'website', (client) => website(accountId, bucket, client)),
      'website.put': async ({ accountId, bucket, config, confirmedExposure }) => {
        const client = await clientFor(accountId, bucket, 'website');
        return change(accountId, bucket, 'website', async () => {
          const before = await readWebsite(client, bucket);
          if (before === null && config.mode === 'serve' && !confirmedExposure) {
            throw new AppFailure('invalid-input', `Confirm turning the website on first. ${websiteExposureText}`);
          }
          try {
            await writeWebsite(client, bucket, config);
          } catch (error) {
            const reason = websiteNotUnderstood(config, error);
            if (reason === undefined) throw error;
            await capabilities.learnMissing(accountId, null, 'website', reason);
            throw new AppFailure('not-supported', reason);
          }
          return website(accountId, bucket, client);
        });
      },
      'website.delete': async ({ accountId, bucket }) => {
        const client = await clientFor(accountId, bucket, 'website');
        return change(accountId, bucket, 'website', async () => {
          await deleteWebsite(client, bucket);
          return website(accountId, bucket, client);
        });
      },
    },
  };
}
