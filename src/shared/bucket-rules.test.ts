import { describe, expect, it } from 'vitest';
import {
  awsWebsiteUrl,
  corsExposure,
  corsPresets,
  corsRuleSchema,
  defaultRetentionSchema,
  lifecycleRuleSchema,
  lifecycleRulesSchema,
  newlyExpiringRules,
  previewCountText,
  websiteConfigSchema,
  type LifecycleRule,
} from './bucket-rules';

const firstMessage = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.error?.issues[0]?.message;

describe('CORS rules', () => {
  it('take origins as scheme://host[:port], *, or null, and say how to write one otherwise', () => {
    const rule = corsPresets.uploadsFromOrigin('https://app.example.com:8443');
    expect(corsRuleSchema.safeParse(rule).success).toBe(true);
    expect(corsRuleSchema.safeParse(corsPresets.dropBoxPage()).success).toBe(true);
    expect(corsRuleSchema.safeParse({ ...rule, allowedOrigins: ['https://*.example.com'] }).success).toBe(true);
    for (const origin of ['example.com', 'https://example.com/path', 'https://*.*.example.com']) {
      expect(firstMessage(corsRuleSchema.safeParse({ ...rule, allowedOrigins: [origin] }))).toMatch(
        /Write an origin as scheme:\/\/host\[:port\]/,
      );
    }
    expect(firstMessage(corsRuleSchema.safeParse({ ...rule, allowedMethods: [] }))).toBe('Choose at least one method.');
    expect(firstMessage(corsRuleSchema.safeParse({ ...rule, exposeHeaders: ['*'] }))).toMatch(/Name each header/);
    expect(firstMessage(corsRuleSchema.safeParse({ ...rule, allowedHeaders: ['bad header'] }))).toMatch(/no spaces/);
  });

  it('name what a rule for any origin newly exposes, and nothing where it was allowed already', () => {
    const uploads = corsPresets.uploadsFromOrigin('https://app.example.com');
    expect(corsExposure([], [uploads])).toBeUndefined();
    const reads = corsPresets.readsFromAnyOrigin();
    expect(corsExposure([uploads], [uploads, reads])).toMatch(/^Pages on any web site will be able to send GET, HEAD/);
    expect(corsExposure([reads], [reads])).toBeUndefined();
    expect(corsExposure([reads], [{ ...reads, allowedMethods: ['GET', 'HEAD', 'PUT'] }])).toMatch(/read and changed/);
  });
});

const rule = (change: Partial<LifecycleRule>): unknown => ({
  id: 'r',
  enabled: true,
  prefix: '',
  tags: [],
  transitions: [],
  ...change,
});

describe('lifecycle rules', () => {
  it('need an action, one kind of expiry, no tags with the abort of unfinished uploads, transitions before the expiry', () => {
    expect(firstMessage(lifecycleRuleSchema.safeParse(rule({})))).toBe(
      'The rule “r” does nothing: choose at least one action.',
    );
    expect(firstMessage(lifecycleRuleSchema.safeParse(rule({ expirationDays: 3, expirationDate: '2030-01-01' })))).toBe(
      'Expire after a number of days or on a date, not both.',
    );
    expect(
      firstMessage(
        lifecycleRuleSchema.safeParse(rule({ abortIncompleteUploadDays: 7, tags: [{ key: 'k', value: 'v' }] })),
      ),
    ).toMatch(/Unfinished uploads have no tags/);
    expect(
      firstMessage(
        lifecycleRuleSchema.safeParse(
          rule({ expirationDays: 30, transitions: [{ days: 30, storageClass: 'GLACIER' }] }),
        ),
      ),
    ).toBe('A transition must come before the expiry (fewer days).');
    expect(firstMessage(lifecycleRuleSchema.safeParse(rule({ expirationDays: 0 })))).toBe(
      'The expiry must be at least 1 day.',
    );
    expect(firstMessage(lifecycleRuleSchema.safeParse(rule({ expirationDate: '1/2/2030' })))).toBe(
      'Write the expiry date as YYYY-MM-DD.',
    );
    expect(lifecycleRuleSchema.safeParse(rule({ abortIncompleteUploadDays: 7 })).success).toBe(true);
    expect(
      firstMessage(lifecycleRulesSchema.safeParse([rule({ expirationDays: 1 }), rule({ expirationDays: 2 })])),
    ).toBe('Two rules are named “r”.');
  });

  it('ask again only for rules whose expiry is new or changed', () => {
    const expiring = lifecycleRuleSchema.parse(rule({ id: 'logs', prefix: 'logs/', expirationDays: 30 }));
    const aborting = lifecycleRuleSchema.parse(rule({ id: 'abort', abortIncompleteUploadDays: 7 }));
    expect(newlyExpiringRules([], [expiring, aborting]).map((r) => r.id)).toEqual(['logs']);
    expect(newlyExpiringRules([expiring], [expiring])).toEqual([]);
    expect(newlyExpiringRules([expiring], [{ ...expiring, prefix: '' }]).map((r) => r.id)).toEqual(['logs']);
    expect(newlyExpiringRules([expiring], [{ ...expiring, expirationDays: 1 }]).map((r) => r.id)).toEqual(['logs']);
    expect(newlyExpiringRules([], [{ ...expiring, enabled: false }])).toEqual([]);
  });

  it('count in words, "at least" where the preview stopped early', () => {
    expect(previewCountText({ matched: 1, capped: null, cancelled: false })).toBe('1 object');
    expect(previewCountText({ matched: 1234, capped: 'tag-reads', cancelled: false })).toBe('at least 1,234 objects');
    expect(previewCountText({ matched: 5, capped: null, cancelled: true })).toBe('at least 5 objects');
  });
});

describe('Object Lock and website', () => {
  it('bound the default retention to 100 years', () => {
    expect(defaultRetentionSchema.safeParse({ mode: 'GOVERNANCE', unit: 'years', amount: 101 }).success).toBe(false);
    expect(defaultRetentionSchema.safeParse({ mode: 'COMPLIANCE', unit: 'days', amount: 365 }).success).toBe(true);
  });

  it('check the website documents and redirect host, and give AWS website URLs in both forms', () => {
    expect(firstMessage(websiteConfigSchema.safeParse({ mode: 'serve', indexDocument: 'a/index.html' }))).toMatch(
      /without a slash/,
    );
    expect(
      firstMessage(websiteConfigSchema.safeParse({ mode: 'redirect', hostName: 'https://www.example.com/' })),
    ).toMatch(/host name only/);
    expect(awsWebsiteUrl('site', 'us-east-1')).toBe('http://site.s3-website-us-east-1.amazonaws.com');
    expect(awsWebsiteUrl('site', 'eu-central-1')).toBe('http://site.s3-website.eu-central-1.amazonaws.com');
  });
});
