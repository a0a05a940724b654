/**
 * A fault-proxy transform that makes the real server's listings misbehave as broken services
 * do: every page says "truncated", holds no entries, and sends the client back to where it
 * was (a repeated marker) or on to a fresh marker that leads nowhere (empty pages for ever).
 * Only a budget of pages is rewritten; after it, the server's real answers pass, so code that
 * would loop for ever ends (and its test fails on the count) instead of hanging the run.
 */
import type { ExchangeTransform, MatchableRequest } from './fault-proxy';
import { classifyS3Request, type S3OperationName } from './s3-operations';

/** The listings this transform can break. */
export type StuckListing = 'ListObjectsV2' | 'ListObjectVersions' | 'ListMultipartUploads' | 'ListParts';

/** How a broken page sends the client on. */
export type StuckMode =
  /** The next marker is always the same one: the client is asked back to the page it just read. */
  | 'repeat'
  /** A new marker on every page (accepted by MinIO), each page empty: a walk that never gets anywhere. */
  | 'fresh';

/** What a rule breaks: which listing, of which bucket (and key prefix), how, and for how many pages. */
export interface StuckRule {
  listing: StuckListing;
  bucket: string;
  /** Only listings whose prefix (ListObjectsV2, versions) or key (ListParts) starts with this. */
  prefix?: string;
  mode: StuckMode;
  /** How many answers to rewrite before letting the server's own through. */
  budget: number;
}

/** The root element of each listing's answer, and the elements that hold its entries. */
const SHAPES: Record<StuckListing, { root: string; entries: string[] }> = {
  ListObjectsV2: { root: 'ListBucketResult', entries: ['Contents', 'CommonPrefixes'] },
  ListObjectVersions: { root: 'ListVersionsResult', entries: ['Version', 'DeleteMarker'] },
  ListMultipartUploads: { root: 'ListMultipartUploadsResult', entries: ['Upload', 'CommonPrefixes'] },
  ListParts: { root: 'ListPartsResult', entries: ['Part'] },
};

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Removes every `<name>…</name>` element. */
function dropElements(xml: string, name: string): string {
  return xml.replace(new RegExp(`<${name}>[\\s\\S]*?</${name}>`, 'g'), '');
}

/** Sets an element's text, adding the element before the root's end tag where it is missing. */
function setElement(xml: string, root: string, name: string, value: string): string {
  const element = `<${name}>${escapeXml(value)}</${name}>`;
  const present = new RegExp(`<${name}>[\\s\\S]*?</${name}>|<${name}/>`);
  if (present.test(xml)) return xml.replace(present, element);
  return xml.replace(`</${root}>`, `${element}</${root}>`);
}

/** Where a request of this listing points: the prefix or key it is about. */
function subjectOf(listing: StuckListing, r: MatchableRequest, key: string | undefined): string {
  return listing === 'ListParts' ? (key ?? '') : (r.query.get('prefix') ?? '');
}

/**
 * The next-page elements a broken page carries. Markers are chosen so that MinIO accepts them
 * when the client sends them back: a continuation token is base64 of a key (MinIO lists after
 * it), a key marker may be any key, a part-number marker any number.
 */
function markers(listing: StuckListing, subject: string, n: number): Record<string, string> {
  switch (listing) {
    case 'ListObjectsV2':
      return { NextContinuationToken: Buffer.from(`${subject}!stuck-${n}`).toString('base64'), KeyCount: '0' };
    case 'ListObjectVersions':
      // At the listed key itself: a marker past it would tell the app it has seen every version.
      return { NextKeyMarker: n === 0 ? subject : `${subject.slice(0, -1)}!${n}` };
    case 'ListMultipartUploads':
      return { NextKeyMarker: `stuck-${n}` };
    case 'ListParts':
      return { NextPartNumberMarker: String(n + 1) };
  }
}

/** A transform with rules that can be added and cleared while the proxy runs, and a count of what it rewrote. */
export function createStuckListings(): ExchangeTransform & {
  add(rule: StuckRule): void;
  clear(): void;
  /** How many answers were rewritten since the last clear(). */
  readonly rewritten: number;
} {
  const rules: (StuckRule & { used: number })[] = [];
  let rewritten = 0;
  return {
    add(rule) {
      rules.push({ ...rule, used: 0 });
    },
    clear() {
      rules.length = 0;
      rewritten = 0;
    },
    get rewritten() {
      return rewritten;
    },
    onRequest(r) {
      if (r.method !== 'GET') return undefined;
      const operation = classifyS3Request(r);
      const rule = rules.find(
        (candidate) =>
          (candidate.listing as S3OperationName) === operation.name &&
          candidate.bucket === operation.bucket &&
          subjectOf(candidate.listing, r, operation.key).startsWith(candidate.prefix ?? '') &&
          candidate.used < candidate.budget,
      );
      if (!rule) return undefined;
      const n = rule.mode === 'repeat' ? 0 : rule.used;
      rule.used += 1;
      const shape = SHAPES[rule.listing];
      const subject = subjectOf(rule.listing, r, operation.key);
      return {
        onResponse: (res) => {
          if (res.status !== 200) return undefined;
          rewritten += 1;
          return {
            rewriteBody: (body) => {
              let xml = body.toString('utf8');
              for (const name of shape.entries) xml = dropElements(xml, name);
              xml = setElement(xml, shape.root, 'IsTruncated', 'true');
              for (const [name, value] of Object.entries(markers(rule.listing, subject, n))) {
                xml = setElement(xml, shape.root, name, value);
              }
              return xml;
            },
          };
        },
      };
    },
  };
}
