import { z } from 'zod';

/**
 * A bucket's rules, as the Bucket settings view edits them: CORS rules, lifecycle rules, Object
 * Lock (the bucket's default retention and each object's retention and legal hold) and static
 * website hosting. Schemas, the checks that say in words what is wrong, and the sentences that
 * name what a change would expose or delete; main checks every one of them again.
 */

// ---------------------------------------------------------------------------------------------
// CORS

/** The methods a CORS rule may allow (S3's list). */
export const corsMethods = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'] as const;

/** One of the methods a CORS rule may allow. */
export type CorsMethod = (typeof corsMethods)[number];

/**
 * An origin a rule may name: `*`, `null` (pages opened from a file or a data: link), or
 * scheme://host[:port] with at most one `*` (S3 allows one wildcard per origin).
 */
const originSchema = z
  .string()
  .max(255, 'An origin is at most 255 characters.')
  .trim()
  .min(1, 'An origin cannot be empty.')
  .refine(
    (origin) =>
      origin === '*' ||
      origin === 'null' ||
      (/^[a-z][a-z0-9+.-]*:\/\/[^/\s?#]+$/i.test(origin) && (origin.match(/\*/g) ?? []).length <= 1),
    {
      message:
        'Write an origin as scheme://host[:port] with no path (https://example.com), with at most one *, or * for any origin.',
    },
  );

/** A header name a rule allows or exposes (`*` allowed among allowed headers). */
const headerSchema = z
  .string()
  .max(255, 'A header name is at most 255 characters.')
  .trim()
  .min(1, 'A header name cannot be empty.')
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'A header name is letters, digits and - (no spaces or colons).');

/** One CORS rule: which web origins may send which requests, and what their pages may read back. */
export const corsRuleSchema = z
  .object({
    id: z.string().max(255, 'A rule id is at most 255 characters.').trim().default(''),
    allowedOrigins: z
      .array(originSchema)
      .min(1, 'Name at least one origin (a web site such as https://example.com, or * for any).')
      .max(100),
    allowedMethods: z.array(z.enum(corsMethods)).min(1, 'Choose at least one method.').max(5),
    allowedHeaders: z.array(headerSchema).max(100).default([]),
    exposeHeaders: z
      .array(headerSchema.refine((h) => h !== '*', 'Name each header to expose; * is not allowed here.'))
      .max(100)
      .default([]),
    /** How long a browser may cache the preflight's answer; absent: the browser's default. */
    maxAgeSeconds: z
      .number()
      .int('Write the cache time in whole seconds.')
      .min(0, 'The cache time cannot be negative.')
      .max(604_800, 'Browsers cache a preflight for at most a few hours; choose 604800 seconds (7 days) or less.')
      .optional(),
  })
  .strict();

/** One CORS rule. */
export type CorsRule = z.output<typeof corsRuleSchema>;

/** A bucket's CORS rules: S3 allows at most 100. */
export const corsRulesSchema = z.array(corsRuleSchema).max(100, 'S3 keeps at most 100 CORS rules per bucket.');

/** The id of the drop box page's rule (services/share adds it from the drop box dialog). */
export const DROP_BOX_CORS_RULE_ID = 's3fm-drop-box-upload-page';

/**
 * The narrowest rule that lets the drop box's upload page work: POST only, from pages opened
 * from a file or a data: URL (origin "null") only, no extra headers.
 */
export const dropBoxCorsRule: CorsRule = {
  id: DROP_BOX_CORS_RULE_ID,
  allowedOrigins: ['null'],
  allowedMethods: ['POST'],
  allowedHeaders: [],
  exposeHeaders: [],
  maxAgeSeconds: 600,
};

/** The presets the CORS editor offers. */
export const corsPresets = {
  /** Lets pages of one web site upload (PUT to upload links, POST forms) and read the answer's ETag. */
  uploadsFromOrigin: (origin: string): CorsRule => ({
    id: `s3fm-uploads-from-${origin.replace(/^[a-z]+:\/\//i, '').replace(/[^A-Za-z0-9.-]/g, '-')}`.slice(0, 255),
    allowedOrigins: [origin],
    allowedMethods: ['PUT', 'POST'],
    allowedHeaders: ['*'],
    exposeHeaders: ['ETag'],
    maxAgeSeconds: 3000,
  }),
  /** The drop box's upload page (see dropBoxCorsRule). */
  dropBoxPage: (): CorsRule => ({ ...dropBoxCorsRule }),
  /** Lets any web site's pages read from the bucket: an exposure, confirmed first. */
  readsFromAnyOrigin: (): CorsRule => ({
    id: 's3fm-reads-from-any-origin',
    allowedOrigins: ['*'],
    allowedMethods: ['GET', 'HEAD'],
    allowedHeaders: [],
    exposeHeaders: ['ETag', 'Content-Length', 'Content-Type'],
    maxAgeSeconds: 3000,
  }),
};

/**
 * What a set of CORS rules would newly expose, in words, or undefined where nothing: a rule
 * that lets every web origin send requests (`*`) that no rule let before. CORS grants no access
 * by itself, but it lets any site's pages read what their visitors' browsers may read.
 */
export function corsExposure(before: readonly CorsRule[], after: readonly CorsRule[]): string | undefined {
  const anyOriginMethods = (rules: readonly CorsRule[]) =>
    new Set(rules.filter((r) => r.allowedOrigins.includes('*')).flatMap((r) => r.allowedMethods));
  const had = anyOriginMethods(before);
  const added = [...anyOriginMethods(after)].filter((m) => !had.has(m));
  if (added.length === 0) return undefined;
  const writes = added.some((m) => m !== 'GET' && m !== 'HEAD');
  return (
    `Pages on any web site will be able to send ${added.join(', ')} requests to this bucket from their visitors' browsers ` +
    `and read the answers: anything public in the bucket, and anything reached through a link you shared, ` +
    `can then be ${writes ? 'read and changed' : 'read'} by scripts on any site.`
  );
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

/** A tag a lifecycle filter matches (S3's tag limits). */
export const ruleTagSchema = z
  .object({
    key: z.string().min(1, 'A tag needs a key.').max(128, 'A tag key is at most 128 characters.'),
    value: z.string().max(256, 'A tag value is at most 256 characters.'),
  })
  .strict();

/** Whole days, from 1 (S3's smallest lifecycle period) to 100 years. */
const days = (what: string) =>
  z
    .number({ message: `Write ${what} as a number of days.` })
    .int(`Write ${what} in whole days.`)
    .min(1, `${what[0]?.toUpperCase()}${what.slice(1)} must be at least 1 day.`)
    .max(36_500, `${what[0]?.toUpperCase()}${what.slice(1)} can be at most 36500 days.`);

/** One lifecycle rule, as the editor shows it. */
export const lifecycleRuleSchema = z
  .object({
    id: z.string().max(255, 'A rule name is at most 255 characters.').trim().min(1, 'Give the rule a name.'),
    enabled: z.boolean(),
    /** Keys starting with this; '' for the whole bucket. */
    prefix: z.string().max(1024).default(''),
    /** Objects carrying every one of these tags. */
    tags: z.array(ruleTagSchema).max(10, 'A rule matches at most 10 tags.').default([]),
    /** Deletes current versions this many days after they were written. */
    expirationDays: days('the expiry').optional(),
    /** Deletes current versions on this date (YYYY-MM-DD, midnight UTC). */
    expirationDate: z
      .string()
      .max(10, 'Write the expiry date as YYYY-MM-DD.')
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'Write the expiry date as YYYY-MM-DD.')
      .optional(),
    /** Moves current versions to another storage class after some days. */
    transitions: z
      .array(
        z
          .object({
            days: z.number().int('Write the days in whole numbers.').min(0).max(36_500),
            storageClass: z.string().min(1, 'Choose a storage class.').max(64),
          })
          .strict(),
      )
      .max(5)
      .default([]),
    /** Deletes versions this many days after they stopped being current. */
    noncurrentExpirationDays: days('the expiry of old versions').optional(),
    /** Aborts multipart uploads still unfinished this many days after they started. */
    abortIncompleteUploadDays: days('the abort of unfinished uploads').optional(),
  })
  .strict()
  .superRefine((rule, context) => {
    const issue = (path: string, message: string) => context.addIssue({ code: 'custom', path: [path], message });
    if (
      rule.expirationDays === undefined &&
      rule.expirationDate === undefined &&
      rule.transitions.length === 0 &&
      rule.noncurrentExpirationDays === undefined &&
      rule.abortIncompleteUploadDays === undefined
    ) {
      issue('id', `The rule “${rule.id}” does nothing: choose at least one action.`);
    }
    if (rule.expirationDays !== undefined && rule.expirationDate !== undefined) {
      issue('expirationDate', 'Expire after a number of days or on a date, not both.');
    }
    if (rule.abortIncompleteUploadDays !== undefined && rule.tags.length > 0) {
      // S3 refuses it: an unfinished upload has no tags to match (InvalidRequest).
      issue(
        'abortIncompleteUploadDays',
        'Unfinished uploads have no tags: a rule that aborts them cannot filter by tag.',
      );
    }
    const classes = rule.transitions.map((t) => t.storageClass);
    if (new Set(classes).size !== classes.length) issue('transitions', 'Each storage class can appear once.');
    const transitionDays = rule.transitions.map((t) => t.days);
    if (rule.expirationDays !== undefined && transitionDays.some((d) => d >= rule.expirationDays!)) {
      issue('transitions', 'A transition must come before the expiry (fewer days).');
    }
  });

/** One lifecycle rule. */
export type LifecycleRule = z.output<typeof lifecycleRuleSchema>;

/** A bucket's lifecycle rules: S3 allows at most 1,000, with unique ids. */
export const lifecycleRulesSchema = z
  .array(lifecycleRuleSchema)
  .max(1000, 'S3 keeps at most 1,000 lifecycle rules per bucket.')
  .superRefine((rules, context) => {
    const seen = new Set<string>();
    rules.forEach((rule, index) => {
      if (seen.has(rule.id)) {
        context.addIssue({ code: 'custom', path: [index, 'id'], message: `Two rules are named “${rule.id}”.` });
      }
      seen.add(rule.id);
    });
  });

/** True where two rules would delete the same current versions at the same time. */
function sameExpiry(a: LifecycleRule, b: LifecycleRule): boolean {
  return (
    a.enabled === b.enabled &&
    a.prefix === b.prefix &&
    JSON.stringify(a.tags) === JSON.stringify(b.tags) &&
    a.expirationDays === b.expirationDays &&
    a.expirationDate === b.expirationDate
  );
}

/**
 * The rules of `after` that would delete current objects and did not already do so in the
 * same way in `before`: each needs a confirmation naming how many objects it matches.
 */
export function newlyExpiringRules(before: readonly LifecycleRule[], after: readonly LifecycleRule[]): LifecycleRule[] {
  return after.filter((rule) => {
    if (!rule.enabled || (rule.expirationDays === undefined && rule.expirationDate === undefined)) return false;
    const old = before.find((b) => b.id === rule.id);
    return old === undefined || !sameExpiry(old, rule);
  });
}

/** What a preview counted: the objects a rule's filter matches now. */
export interface LifecyclePreview {
  /** Objects matched. */
  matched: number;
  /** Objects listed under the prefix. */
  listed: number;
  /**
   * Why the count stopped early, where it did: the listing bound, or the bound on tag reads
   * (each object's tags take a request). Then the true count is at least `matched`.
   */
  capped: 'listing' | 'tag-reads' | null;
  /** The count was cancelled; `matched` is what was found until then. */
  cancelled: boolean;
}

/** The count in words: "12 objects", or "at least 12 objects" where the preview stopped early. */
export function previewCountText(preview: Pick<LifecyclePreview, 'matched' | 'capped' | 'cancelled'>): string {
  const count = `${preview.matched.toLocaleString('en-US')} ${preview.matched === 1 ? 'object' : 'objects'}`;
  return preview.capped !== null || preview.cancelled ? `at least ${count}` : count;
}

// ---------------------------------------------------------------------------------------------
// Object Lock

/** The two retention modes: GOVERNANCE can be lifted by those allowed to; COMPLIANCE by no one. */
export const retentionModes = ['GOVERNANCE', 'COMPLIANCE'] as const;

/** A retention mode. */
export type RetentionMode = (typeof retentionModes)[number];

/** A bucket's default retention: new objects are locked for this long. */
export const defaultRetentionSchema = z
  .object({
    mode: z.enum(retentionModes),
    unit: z.enum(['days', 'years']),
    amount: z
      .number({ message: 'Write the retention period as a number.' })
      .int('Write the retention period in whole days or years.')
      .min(1, 'The retention period must be at least 1.')
      .max(36_500, 'The retention period can be at most 36500 days (100 years).'),
  })
  .strict()
  .refine((r) => r.unit === 'days' || r.amount <= 100, {
    message: 'The retention period can be at most 100 years.',
    path: ['amount'],
  });

/** A bucket's default retention. */
export type DefaultRetention = z.output<typeof defaultRetentionSchema>;

/** A bucket's Object Lock: whether it was created with it, and its default retention. */
export interface BucketObjectLock {
  /** Only a bucket created with Object Lock (or given it on AWS later) has it. */
  enabled: boolean;
  defaultRetention: DefaultRetention | null;
}

/** One object's retention: locked in this mode until this moment (ISO 8601). */
export const objectRetentionSchema = z
  .object({
    mode: z.enum(retentionModes),
    until: z
      .string()
      .max(64, 'Write the date as an ISO 8601 date and time.')
      .datetime({ offset: true, message: 'Write the date as an ISO 8601 date and time.' }),
  })
  .strict();

/** One object's retention. */
export type ObjectRetention = z.output<typeof objectRetentionSchema>;

/** An object's (or one version's) protection, as the details panel shows it. */
export interface ObjectProtection {
  /** Whether the bucket has Object Lock at all (retention and legal hold need it). */
  bucketLocked: boolean;
  retention: { available: true; value: ObjectRetention | null } | { available: false; reason: string };
  legalHold: { available: true; value: boolean } | { available: false; reason: string };
}

/** What a COMPLIANCE lock means, said before one is set. */
export const complianceWarning =
  'COMPLIANCE cannot be shortened or removed by anyone, this account and the root user included, until it ends: ' +
  'the objects cannot be deleted or overwritten until then, and the bucket cannot be deleted while it holds them.';

// ---------------------------------------------------------------------------------------------
// Static website hosting

/** A key S3 serves as a page (the index document's suffix may not contain a slash). */
const documentSchema = z.string().max(1024).trim().min(1, 'Name the index document, such as index.html.');

/** One routing rule: where a matching request goes instead. */
export const routingRuleSchema = z
  .object({
    /** Requests whose key starts with this. */
    keyPrefixEquals: z.string().max(1024).optional(),
    /** Requests that would get this error (404, say). */
    httpErrorCodeReturnedEquals: z
      .string()
      .max(3)
      .regex(/^[45]\d\d$/, 'Write an HTTP error code such as 404.')
      .optional(),
    hostName: z.string().max(255).optional(),
    protocol: z.enum(['http', 'https']).optional(),
    replaceKeyPrefixWith: z.string().max(1024).optional(),
    replaceKeyWith: z.string().max(1024).optional(),
    httpRedirectCode: z
      .string()
      .max(3)
      .regex(/^3\d\d$/, 'Write a redirect code such as 301.')
      .optional(),
  })
  .strict()
  .refine((r) => !(r.replaceKeyPrefixWith !== undefined && r.replaceKeyWith !== undefined), {
    message: 'Replace the prefix or the whole key, not both.',
  });

/** One routing rule. */
export type RoutingRule = z.output<typeof routingRuleSchema>;

/** A bucket's website: serve its files (index and error documents, routing rules), or redirect every request. */
export const websiteConfigSchema = z.discriminatedUnion('mode', [
  z
    .object({
      mode: z.literal('serve'),
      indexDocument: documentSchema.refine((d) => !d.includes('/'), {
        message: 'The index document is a name such as index.html, without a slash.',
      }),
      errorDocument: z.string().max(1024).trim().default(''),
      routingRules: z.array(routingRuleSchema).max(50, 'S3 keeps at most 50 routing rules.').default([]),
    })
    .strict(),
  z
    .object({
      mode: z.literal('redirect'),
      hostName: z
        .string()
        .max(255)
        .trim()
        .min(1, 'Name the host every request is sent to.')
        .regex(/^[A-Za-z0-9.-]+(:\d+)?$/, 'Write a host name only (www.example.com), without https:// or a path.'),
      protocol: z.enum(['http', 'https', '']).default(''),
    })
    .strict(),
]);

/** A bucket's website configuration. */
export type WebsiteConfig = z.output<typeof websiteConfigSchema>;

/** A bucket's website: its configuration (null where off) and the address it is served at. */
export interface BucketWebsite {
  config: WebsiteConfig | null;
  /** The website endpoint's URL where the service has a known one; null with a sentence where not. */
  url: string | null;
  urlNote: string;
}

/** What turning on a website means, said before it is. */
export const websiteExposureText =
  'Turning on the website serves this bucket over plain HTTP at its website address to anyone who can reach it, ' +
  'for every object that is publicly readable. This dialog does not make anything public: a bucket policy or the ' +
  'objects’ access does that, and without it visitors get 403 Forbidden.';

/** AWS regions whose website endpoint has a dash (s3-website-<region>), the older form; others use a dot. */
const DASH_WEBSITE_REGIONS = new Set([
  'us-east-1',
  'us-west-1',
  'us-west-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'eu-west-1',
  'sa-east-1',
  'us-gov-west-1',
]);

/**
 * The website URL of a bucket on AWS (https://docs.aws.amazon.com/general/latest/gr/s3.html#s3_website_region_endpoints):
 * http://<bucket>.s3-website-<region>.amazonaws.com in the older regions, s3-website.<region> in the others.
 */
export function awsWebsiteUrl(bucket: string, region: string): string {
  const r = region || 'us-east-1';
  return DASH_WEBSITE_REGIONS.has(r)
    ? `http://${bucket}.s3-website-${r}.amazonaws.com`
    : `http://${bucket}.s3-website.${r}.amazonaws.com`;
}
