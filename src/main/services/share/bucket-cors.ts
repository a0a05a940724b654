import type { CORSRule, S3Client } from '@aws-sdk/client-s3';
import { DROP_BOX_CORS_RULE_ID, dropBoxCorsRule as dropBoxRule } from '../../../shared/bucket-rules';
import type { DropBoxCors } from '../../../shared/share';
import { AppFailure } from '../app-failure';
import { serviceLacksFeature } from '../capabilities/availability';
import { bucketCorsRules, corsRuleToS3, putBucketCorsRules } from '../s3/bucket-cors-rules';

/**
 * The origin a browser sends for a page opened from a file (file://) or a data: URL: both are
 * opaque origins, serialized as "null" (https://fetch.spec.whatwg.org/#origin-header).
 */
export const PAGE_ORIGIN = 'null';

/** The id of the rule the app adds, so adding it again replaces it instead of piling up copies. */
export const DROP_BOX_RULE_ID = DROP_BOX_CORS_RULE_ID;

/**
 * The narrowest rule that lets the upload page work: POST only, from pages opened from a file
 * or a data: URL only, no extra headers (the form's multipart type needs none). It lets such a
 * page read S3's answer; the upload itself still needs a signed, unexpired policy. The same
 * rule is a preset of the Bucket settings view's CORS editor (shared/bucket-rules.ts).
 */
export const dropBoxCorsRule: CORSRule = corsRuleToS3(dropBoxRule);

/** The rule in words, exactly as it will be added. */
export const dropBoxCorsRuleText =
  `A CORS rule with the id "${DROP_BOX_RULE_ID}" that allows the POST method from the origin "null" ` +
  '(pages opened from a file or a data: link), with no other methods or headers, cached by browsers for 10 minutes. ' +
  'Your other CORS rules stay as they are.';

/** What a preflight answered, read as a browser would for a POST from the page. */
function preflightAllows(response: Response): boolean {
  // A browser needs an ok status too: some services name the origin on a refusal (moto's 403).
  if (!response.ok) return false;
  const origin = response.headers.get('access-control-allow-origin');
  if (origin !== '*' && origin !== PAGE_ORIGIN) return false;
  // POST is a CORS-safelisted method: allowed even where the answer lists no methods.
  const methods = response.headers.get('access-control-allow-methods');
  return methods === null || methods === '*' || /\bPOST\b/i.test(methods);
}

/**
 * Sends the preflight a browser sends before the page's upload (an XMLHttpRequest with upload
 * progress always has one), with the page's origin: true where the answer lets the page POST,
 * false where it does not, undefined where there was no answer.
 */
export async function preflightFromPage(postUrl: string): Promise<boolean | undefined> {
  try {
    const response = await fetch(postUrl, {
      method: 'OPTIONS',
      headers: { Origin: PAGE_ORIGIN, 'Access-Control-Request-Method': 'POST' },
      redirect: 'manual',
      signal: AbortSignal.timeout(8_000),
    });
    await response.arrayBuffer();
    return preflightAllows(response);
  } catch {
    return undefined;
  }
}

/** What the service answered when asked to add the rule, where it cannot take bucket CORS rules. */
export const noBucketCorsText =
  'This service does not take CORS rules per bucket (it answered that it does not implement them); ' +
  'its administrator sets CORS for the whole server. Ask them to allow the POST method from the origin "null" ' +
  '(for MinIO that is the server setting MINIO_API_CORS_ALLOW_ORIGIN, which allows every origin unless it was changed). ' +
  'Until then the page cannot upload; the recipient can use the app, or you can make an upload link for one file instead.';

/** How the app checks and changes whether a bucket lets the upload page POST. */
export interface BucketCorsDependencies {
  preflight(postUrl: string): Promise<boolean | undefined>;
}

/**
 * Whether the bucket lets the upload page POST: the preflight a browser would send decides (a
 * server may allow it for every bucket without any bucket rule, as MinIO does); the bucket's
 * rules are read only to say what is there. `cannotAdd` is what an earlier attempt to add
 * the rule taught (the service does not take bucket rules).
 */
export async function checkDropBoxCors(
  client: S3Client,
  bucket: string,
  postUrl: string,
  cannotAdd: string | undefined,
  deps: BucketCorsDependencies = { preflight: preflightFromPage },
): Promise<DropBoxCors> {
  const allowed = await deps.preflight(postUrl);
  if (allowed === true) {
    return {
      state: 'allowed',
      text: 'The bucket accepts uploads from the page: its CORS answer allows pages opened from a file or a data: link.',
      canAddRule: false,
      rule: dropBoxCorsRuleText,
    };
  }
  if (allowed === undefined) {
    return {
      state: 'unknown',
      text: 'Could not find out whether the bucket accepts uploads from the page (its endpoint did not answer a CORS check from here).',
      canAddRule: false,
      rule: dropBoxCorsRuleText,
    };
  }
  let ruleCount: number | undefined;
  try {
    ruleCount = (await bucketCorsRules(client, bucket)).length;
  } catch {
    ruleCount = undefined;
  }
  const rules =
    ruleCount === undefined
      ? ''
      : ruleCount === 0
        ? ' The bucket has no CORS rules.'
        : ` None of its ${ruleCount} CORS ${ruleCount === 1 ? 'rule allows' : 'rules allow'} it.`;
  return {
    state: 'blocked',
    text:
      'The bucket does not accept uploads from the page yet: a browser refuses to let a page opened from a file or a data: link ' +
      `upload to it unless the bucket's CORS rules allow the origin "null".${rules}`,
    canAddRule: cannotAdd === undefined,
    ...(cannotAdd !== undefined ? { cannotAddReason: cannotAdd } : {}),
    rule: dropBoxCorsRuleText,
  };
}

/**
 * Adds the drop box's CORS rule to the bucket, keeping every other rule (PutBucketCors replaces
 * the whole configuration, so the current rules are read first and sent back with it).
 * A service that does not implement bucket CORS gets `not-supported` with what to do instead.
 */
export async function addDropBoxCorsRule(client: S3Client, bucket: string): Promise<void> {
  let rules: CORSRule[];
  try {
    rules = await bucketCorsRules(client, bucket);
  } catch (error) {
    if (serviceLacksFeature(error)) throw new AppFailure('not-supported', noBucketCorsText);
    throw error;
  }
  const others = rules.filter((rule) => rule.ID !== DROP_BOX_RULE_ID);
  // Last: S3 uses the first rule that matches origin, method and headers, and no rule that
  // matched a POST from "null" was there (the check found it blocked), so order changes nothing.
  try {
    await putBucketCorsRules(client, bucket, [...others, dropBoxCorsRule]);
  } catch (error) {
    if (serviceLacksFeature(error)) throw new AppFailure('not-supported', noBucketCorsText);
    throw error;
  }
}
