import { z } from 'zod';
import { event, request } from './contract-spec';
import type { Availability } from './details';
import {
  corsRulesSchema,
  defaultRetentionSchema,
  lifecycleRulesSchema,
  objectRetentionSchema,
  ruleTagSchema,
  websiteConfigSchema,
  type BucketObjectLock,
  type BucketWebsite,
  type CorsRule,
  type LifecyclePreview,
  type LifecycleRule,
  type ObjectProtection,
} from './bucket-rules';

const accountId = z.string().min(1).max(200);
const bucket = z.string().min(1).max(255);
const key = z.string().min(1).max(1024);
const versionId = z.string().min(1).max(1024).optional();

/**
 * Request channels of the Bucket settings view's rule sections (CORS, lifecycle, Object Lock,
 * website), spread into the contract. Reads answer `available: false` with the reason where
 * the service lacks the feature; a change the service refuses is `not-supported` in words. A
 * change that would expose or delete data is refused (`invalid-input`, naming the consequence)
 * unless the input says the person confirmed it.
 */
export const bucketRulesRequests = {
  /** The bucket's CORS rules (none: an empty list). */
  'cors.get': request<Availability<CorsRule[]>>()(z.object({ accountId, bucket }).strict()),
  /**
   * Replaces the bucket's CORS rules (an empty list removes them). A rule that newly lets any
   * origin in needs `confirmedExposure`.
   */
  'cors.put': request<{ rules: CorsRule[] }>()(
    z.object({ accountId, bucket, rules: corsRulesSchema, confirmedExposure: z.boolean().default(false) }).strict(),
  ),
  /** The bucket's lifecycle rules (none: an empty list). */
  'lifecycle.get': request<Availability<LifecycleRule[]>>()(z.object({ accountId, bucket }).strict()),
  /**
   * Replaces the bucket's lifecycle rules (an empty list removes them). The ids of rules that
   * newly expire objects must be in `confirmedExpiry` (the UI named their counts first).
   */
  'lifecycle.put': request<{ rules: LifecycleRule[] }>()(
    z
      .object({
        accountId,
        bucket,
        rules: lifecycleRulesSchema,
        confirmedExpiry: z.array(z.string().max(255)).max(1000).default([]),
      })
      .strict(),
  ),
  /**
   * Counts the objects a rule's filter matches now: a bounded listing (tags read per object,
   * up to a bound), with progress as `lifecycle.previewProgress`, stopped by `lifecycle.cancelPreview`.
   */
  'lifecycle.preview': request<LifecyclePreview>()(
    z
      .object({
        accountId,
        bucket,
        previewId: z.string().uuid(),
        prefix: z.string().max(1024).default(''),
        tags: z.array(ruleTagSchema).max(10).default([]),
      })
      .strict(),
  ),
  /** Stops a running preview; it answers with what it counted so far. */
  'lifecycle.cancelPreview': request<{ cancelled: boolean }>()(z.object({ previewId: z.string().uuid() }).strict()),
  /** The bucket's Object Lock: on or not, and its default retention. */
  'objectLock.get': request<Availability<BucketObjectLock>>()(z.object({ accountId, bucket }).strict()),
  /** Sets or removes (null) the default retention; COMPLIANCE needs `confirmedCompliance`. */
  'objectLock.putDefault': request<BucketObjectLock>()(
    z
      .object({
        accountId,
        bucket,
        defaultRetention: defaultRetentionSchema.nullable(),
        confirmedCompliance: z.boolean().default(false),
      })
      .strict(),
  ),
  /** One object's (or version's) retention and legal hold. */
  'objectLock.getObject': request<ObjectProtection>()(z.object({ accountId, bucket, key, versionId }).strict()),
  /**
   * Sets an object's retention (null removes a GOVERNANCE one, with `bypassGovernance`).
   * COMPLIANCE needs `confirmedCompliance`.
   */
  'objectLock.putRetention': request<ObjectProtection>()(
    z
      .object({
        accountId,
        bucket,
        key,
        versionId,
        retention: objectRetentionSchema.nullable(),
        bypassGovernance: z.boolean().default(false),
        confirmedCompliance: z.boolean().default(false),
      })
      .strict(),
  ),
  /** Turns an object's legal hold on or off. */
  'objectLock.putLegalHold': request<ObjectProtection>()(
    z.object({ accountId, bucket, key, versionId, on: z.boolean() }).strict(),
  ),
  /** The bucket's website configuration and its address. */
  'website.get': request<Availability<BucketWebsite>>()(z.object({ accountId, bucket }).strict()),
  /** Turns the website on or changes it; turning it on needs `confirmedExposure`. */
  'website.put': request<BucketWebsite>()(
    z
      .object({ accountId, bucket, config: websiteConfigSchema, confirmedExposure: z.boolean().default(false) })
      .strict(),
  ),
  /** Turns the website off. */
  'website.delete': request<BucketWebsite>()(z.object({ accountId, bucket }).strict()),
} as const;

/** Event channels of the rule sections. */
export const bucketRulesEvents = {
  /** How far a lifecycle preview has got, at most about ten times a second. */
  'lifecycle.previewProgress': event<{ previewId: string; listed: number; matched: number }>(),
} as const;
