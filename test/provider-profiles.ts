/**
 * Provider profiles for the fault proxy: they make the real MinIO of the tests answer as an S3
 * service we cannot run here does (Cloudflare R2, Backblaze B2, Wasabi, the Google Cloud
 * Storage XML API, and AWS S3's ETags for SSE-KMS and SSE-C objects, which moto does not show).
 *
 * Each profile is data: the operations the service refuses, the headers it rejects, the few
 * behaviours that need code (ETag rewriting, part-size checks), and a summary of what the
 * service cannot do, for the compatibility suite. Every rule names the documentation it comes
 * from. The profiles are faithful and conservative: they emulate what the documentation says;
 * where it is unclear (most often: which error code a refusal carries), the rule says so in
 * `unclear` and takes the stricter reading. docs/provider-profiles.md lists the same rules.
 *
 * What a profile cannot do: change stored data (MinIO stores what it stores), or emulate a
 * feature MinIO lacks. It refuses, rewrites headers and small XML bodies, nothing more.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  startFaultProxy,
  type ExchangeTransform,
  type FaultProxy,
  type MatchableRequest,
  type ProxyErrorAnswer,
  type RequestVerdict,
  type ResponseEdit,
  type UpstreamResponse,
} from './fault-proxy';
import { resignHeaders, type SigningCredentials } from './resign-request';
import { classifyS3Request, type S3OperationName } from './s3-operations';

/** The services a profile emulates. */
export type ProviderProfileName = 'r2' | 'b2' | 'wasabi' | 'gcs' | 'aws-sse-kms';

/** Where a rule comes from: the page, what it says (quoted where marked so, else paraphrased), and what it leaves open. */
export interface DocSource {
  url: string;
  says: string;
  /** What the documentation does not settle, and which reading the profile took. */
  unclear?: string;
}

/** Whether a service offers a feature: yes, no, with limits, or not documented. */
export type Availability = true | false | 'limited' | 'unknown';

/** One line of a capability summary: the claim, why, and its source. */
export interface CapabilityClaim {
  available: Availability;
  because: string;
  source: DocSource;
}

/**
 * What a profile claims the service can and cannot do, in plain terms, so the compatibility
 * suite can say "unavailable on this service, because …" (the lead maps these fields to the
 * app's capability model).
 */
export interface ProviderCapabilities {
  /** Object and bucket ACLs through the S3 API. */
  acl: CapabilityClaim;
  /** Browser form uploads (POST Object with a signed policy). */
  postPolicy: CapabilityClaim;
  /** Object versions (GetBucketVersioning/PutBucketVersioning, ListObjectVersions). */
  versioning: CapabilityClaim;
  /** Object tags (Get/Put/DeleteObjectTagging, x-amz-tagging). */
  objectTagging: CapabilityClaim;
  /** ListParts on an unfinished multipart upload (resuming uploads). */
  listParts: CapabilityClaim;
  /** S3 Object Lock (retention, legal hold) through the S3 API. */
  objectLock: CapabilityClaim;
  /** Server-side encryption with customer-provided keys. */
  sseC: CapabilityClaim;
  /** Server-side encryption with a key management service (x-amz-server-side-encryption: aws:kms). */
  sseKms: CapabilityClaim;
  /** Flexible checksums (x-amz-checksum-*, x-amz-sdk-checksum-algorithm). */
  checksums: CapabilityClaim;
  /** Multipart uploads whose parts differ in size (besides a smaller last part). */
  mixedPartSizes: CapabilityClaim;
  /** Preconditions (If-Match, If-None-Match) on multipart upload requests. */
  multipartPreconditions: CapabilityClaim;
  /** A single PUT's ETag is the MD5 of the bytes. */
  singlePutEtagIsMd5: CapabilityClaim;
  /** A multipart object's ETag is MD5(part MD5s)-N. */
  multipartEtagIsMd5OfParts: CapabilityClaim;
  /** The x-amz-storage-class values accepted on writes ('unknown' where undocumented). */
  storageClasses: { values: readonly string[] | 'unknown'; because: string; source: DocSource };
}

/** Refuses whole operations. */
interface OperationRule {
  operations: readonly S3OperationName[];
  answer: (operation: S3OperationName) => ProxyErrorAnswer;
  source: DocSource;
}

/** Refuses requests of some operations that carry (or lack) a header. */
interface HeaderRule {
  operations: readonly S3OperationName[] | 'any';
  /** Lower-case names; a trailing `*` matches a prefix (`x-amz-grant-*`). */
  headers: readonly string[];
  /** Values that pass (compared as sent); absent: any value is refused. */
  allowedValues?: readonly string[];
  /** Refuse when the header is missing instead (one name only). */
  whenAbsent?: boolean;
  answer: (header: string, value: string) => ProxyErrorAnswer;
  source: DocSource;
}

/** Behaviours that need code (state across requests, body rewriting), listed for the documentation. */
type BehaviourId =
  'r2-equal-part-sizes' | 'r2-checksum-types' | 'b2-empty-object-tagging' | 'gcs-multipart-etag' | 'aws-encrypted-etag';

/** A profile: what the service refuses, what it changes, and what it cannot do. */
export interface ProviderProfile {
  name: ProviderProfileName;
  service: string;
  /** How the service words its refusals, where the pages on features do not say. */
  errorWording: DocSource;
  refuseOperations: readonly OperationRule[];
  refuseHeaders: readonly HeaderRule[];
  behaviours: readonly { id: BehaviourId; does: string; source: DocSource }[];
  capabilities: ProviderCapabilities;
}

// ---------------------------------------------------------------------------------------------
// Sources

const R2_API = 'https://developers.cloudflare.com/r2/api/s3/api/';
const R2_ERRORS = 'https://developers.cloudflare.com/r2/api/error-codes/';
const R2_MULTIPART = 'https://developers.cloudflare.com/r2/objects/multipart-objects/';
/** R2's "not implemented" wording, as Cloudflare's status page quoted it (January 2025) and as clients report it. */
const R2_NOT_IMPLEMENTED_FORMAT: DocSource = {
  url: 'https://github.com/cloudflare/cloudflare-docs/pull/19236',
  says:
    "Cloudflare status page, quoted in the PR: R2 \"will return header related errors such as Header 'x-amz-checksum-algorithm' " +
    'with value \'CRC32\' not implemented" (501 NotImplemented); for operations clients report "GetObjectTagging not implemented" ' +
    '(https://github.com/jhaals/yopass/issues/3657).',
};

const B2_S3 = 'https://www.backblaze.com/docs/cloud-storage-s3-compatible-api';
const B2_PUT_OBJECT = 'https://www.backblaze.com/apidocs/s3-put-object';
const B2_COPY_OBJECT = 'https://www.backblaze.com/apidocs/s3-copy-object';
const B2_PUT_BUCKET_ACL = 'https://www.backblaze.com/apidocs/s3-put-bucket-acl';
/** B2's wording for a rejected header, verbatim from B2 responses quoted in client issues. */
const B2_UNSUPPORTED_HEADER_FORMAT: DocSource = {
  url: 'https://github.com/timmyomahony/craft-remote-backup/issues/63',
  says:
    "A B2 response, quoted: <Code>InvalidArgument</Code><Message>Unsupported header 'x-amz-checksum-crc32' received " +
    'for this API call.</Message>, HTTP 400.',
  unclear: 'B2 documents which headers it does not support, not the wording of the refusal.',
};

const WASABI_SSE =
  'https://wasabi.com/wp-content/themes/wasabi/docs/API_Guide/topics/Object_Server-Side_Encryption.htm';
const WASABI_ERRORS = 'https://docs.wasabi.com/docs/rest-api-introduction';
const WASABI_TAGGING = 'https://docs.wasabi.com/docs/object-tagging-with-the-wasabi-s3-api';

const GCS_MULTIPART = 'https://cloud.google.com/storage/docs/multipart-uploads';
const GCS_COMPLETE = 'https://cloud.google.com/storage/docs/xml-api/post-object-complete';
const GCS_MIGRATION = 'https://cloud.google.com/storage/docs/aws-simple-migration';
const GCS_METHODS = 'https://cloud.google.com/storage/docs/xml-api/reference-methods';
const GCS_STATUS = 'https://cloud.google.com/storage/docs/xml-api/reference-status';

const AWS_ETAG = 'https://docs.aws.amazon.com/AmazonS3/latest/API/API_Object.html';

// ---------------------------------------------------------------------------------------------
// Answers

const r2Operation = (operation: S3OperationName): ProxyErrorAnswer => ({
  status: 501,
  code: 'NotImplemented',
  message: `${operation} not implemented`,
});
const r2Header = (header: string, value: string): ProxyErrorAnswer => ({
  status: 501,
  code: 'NotImplemented',
  message: `Header '${header}' with value '${value}' not implemented`,
});
const b2Header = (header: string): ProxyErrorAnswer => ({
  status: 400,
  code: 'InvalidArgument',
  message: `Unsupported header '${header}' received for this API call.`,
});
/** AWS S3's own wording for NotImplemented: Wasabi says it reuses AWS's errors; B2 and GCS document no other for these cases. */
const awsNotImplemented = (): ProxyErrorAnswer => ({
  status: 501,
  code: 'NotImplemented',
  message: 'A header you provided implies functionality that is not implemented',
});

/** Operations that write an object's data or metadata, where ACL, tagging and encryption headers apply. */
const OBJECT_WRITES = ['PutObject', 'CopyObject', 'CreateMultipartUpload'] as const;

/** Bucket configuration families none of these services documents through its S3 API. */
const BUCKET_EXTRAS: readonly S3OperationName[] = [
  'GetBucketWebsite',
  'PutBucketWebsite',
  'DeleteBucketWebsite',
  'GetBucketLogging',
  'PutBucketLogging',
  'GetBucketNotificationConfiguration',
  'PutBucketNotificationConfiguration',
  'GetBucketReplication',
  'PutBucketReplication',
  'DeleteBucketReplication',
  'GetBucketRequestPayment',
  'PutBucketRequestPayment',
  'GetPublicAccessBlock',
  'PutPublicAccessBlock',
  'DeletePublicAccessBlock',
  'GetBucketAccelerateConfiguration',
  'PutBucketAccelerateConfiguration',
  'GetBucketOwnershipControls',
  'PutBucketOwnershipControls',
  'DeleteBucketOwnershipControls',
  'BucketAnalyticsConfiguration',
  'BucketInventoryConfiguration',
  'BucketMetricsConfiguration',
  'BucketIntelligentTieringConfiguration',
];

// ---------------------------------------------------------------------------------------------
// Cloudflare R2

const r2: ProviderProfile = {
  name: 'r2',
  service: 'Cloudflare R2',
  errorWording: R2_NOT_IMPLEMENTED_FORMAT,
  refuseOperations: [
    {
      // The "Unimplemented bucket-level operations" table.
      operations: [
        'GetBucketAcl',
        'PutBucketAcl',
        'GetBucketVersioning',
        'PutBucketVersioning',
        'GetBucketTagging',
        'PutBucketTagging',
        'DeleteBucketTagging',
        'GetObjectLockConfiguration',
        'PutObjectLockConfiguration',
        'GetBucketPolicy',
        'PutBucketPolicy',
        'DeleteBucketPolicy',
        'GetBucketPolicyStatus',
        'PutBucketEncryption',
        ...BUCKET_EXTRAS,
      ],
      answer: r2Operation,
      source: {
        url: R2_API,
        says:
          'Listed under "Unimplemented bucket-level operations" (❌): GetBucketAcl, PutBucketAcl, GetBucketVersioning, ' +
          'PutBucketVersioning, GetBucketTagging, PutBucketTagging, GetObjectLockConfiguration, PutObjectLockConfiguration, ' +
          'GetBucketPolicy, PutBucketPolicy, GetBucketPolicyStatus, PutBucketEncryption, website, logging, notification, ' +
          'replication, request payment, public access block, accelerate, ownership controls, analytics, inventory, metrics, ' +
          'intelligent tiering.',
        unclear:
          'DeleteBucketTagging, DeleteBucketPolicy, DeleteBucketWebsite, DeleteBucketReplication, DeletePublicAccessBlock and ' +
          'DeleteBucketOwnershipControls are in neither table; refused with their Get/Put siblings. The code and message follow ' +
          "R2's observed wording (see the error wording): the page does not give them.",
      },
    },
    {
      operations: ['GetObjectTagging', 'PutObjectTagging', 'DeleteObjectTagging'],
      answer: r2Operation,
      source: {
        url: R2_API,
        says: 'Listed under "Unimplemented object-level operations": GetObjectTagging, PutObjectTagging, DeleteObjectTagging.',
      },
    },
    {
      operations: [
        'GetObjectAcl',
        'PutObjectAcl',
        'ListObjectVersions',
        'PostObject',
        'GetObjectRetention',
        'PutObjectRetention',
        'GetObjectLegalHold',
        'PutObjectLegalHold',
        'GetObjectAttributes',
        'GetObjectTorrent',
        'RestoreObject',
        'SelectObjectContent',
      ],
      answer: r2Operation,
      source: {
        url: R2_API,
        says:
          'Not listed among the implemented operations; the page covers ACL, versioning, object lock and tagging only as ' +
          'unimplemented features (❌ x-amz-acl, ❌ Object Locking, no versioning operation implemented).',
        unclear:
          'The page lists these operations in neither table. Refused (stricter), with the same 501 NotImplemented as the ' +
          'listed ones.',
      },
    },
  ],
  refuseHeaders: [
    {
      operations: 'any',
      headers: ['x-amz-expected-bucket-owner', 'x-amz-request-payer'],
      answer: r2Header,
      source: {
        url: R2_API,
        says: '"❌ Bucket Owner: x-amz-expected-bucket-owner" and "❌ Request Payer: x-amz-request-payer" on every operation.',
      },
    },
    {
      operations: [...OBJECT_WRITES, 'CreateBucket'],
      headers: ['x-amz-acl', 'x-amz-grant-*'],
      answer: r2Header,
      source: {
        url: R2_API,
        says:
          'PutObject, CreateMultipartUpload, CopyObject and CreateBucket: "❌ ACL: x-amz-acl, x-amz-grant-full-control, ' +
          'x-amz-grant-read, x-amz-grant-read-acp, x-amz-grant-write-acp".',
        unclear:
          'Users report that `x-amz-acl: private` is accepted (https://github.com/humanmade/S3-Uploads/issues/576); the page ' +
          'marks the header as not implemented, so every value is refused.',
      },
    },
    {
      operations: ['CreateBucket'],
      headers: ['x-amz-bucket-object-lock-enabled'],
      answer: r2Header,
      source: { url: R2_API, says: 'CreateBucket: "❌ Object Locking: x-amz-bucket-object-lock-enabled".' },
    },
    {
      operations: [...OBJECT_WRITES, 'UploadPart'],
      headers: [
        'x-amz-server-side-encryption',
        'x-amz-server-side-encryption-aws-kms-key-id',
        'x-amz-server-side-encryption-context',
        'x-amz-server-side-encryption-bucket-key-enabled',
      ],
      answer: r2Header,
      source: {
        url: R2_API,
        says:
          'PutObject, CreateMultipartUpload, CopyObject: "❌ SSE: x-amz-server-side-encryption-aws-kms-key-id, ' +
          'x-amz-server-side-encryption, x-amz-server-side-encryption-context, ' +
          'x-amz-server-side-encryption-bucket-key-enabled"; UploadPart: "❌ SSE: x-amz-server-side-encryption". SSE-C ' +
          '(x-amz-server-side-encryption-customer-*) is ✅.',
      },
    },
    {
      operations: OBJECT_WRITES,
      headers: ['x-amz-tagging', 'x-amz-object-lock-*', 'x-amz-website-redirect-location'],
      answer: r2Header,
      source: {
        url: R2_API,
        says:
          'PutObject, CreateMultipartUpload, CopyObject: "❌ Tagging: x-amz-tagging", "❌ Object Locking: ' +
          'x-amz-object-lock-mode, x-amz-object-lock-retain-until-date, x-amz-object-lock-legal-hold", "❌ Website: ' +
          'x-amz-website-redirect-location".',
      },
    },
    {
      operations: ['CopyObject'],
      headers: ['x-amz-tagging-directive', 'x-amz-source-expected-bucket-owner', 'x-amz-checksum-algorithm'],
      answer: r2Header,
      source: {
        url: R2_API,
        says:
          'CopyObject: "❌ Tagging: x-amz-tagging, x-amz-tagging-directive", "❌ Bucket Owner: ' +
          'x-amz-source-expected-bucket-owner", "❌ Checksums: x-amz-checksum-algorithm".',
      },
    },
    {
      operations: ['UploadPartCopy'],
      headers: ['x-amz-copy-source-if-*', 'x-amz-source-expected-bucket-owner'],
      answer: r2Header,
      source: {
        url: R2_API,
        says:
          'UploadPartCopy: "❌ Conditional Operations: x-amz-copy-source-if-match, -if-modified-since, -if-none-match, ' +
          '-if-unmodified-since" (x-amz-copy-source-range is ✅).',
      },
    },
    {
      operations: ['DeleteObject', 'DeleteObjects'],
      headers: ['x-amz-mfa', 'x-amz-bypass-governance-retention'],
      answer: r2Header,
      source: {
        url: R2_API,
        says: 'DeleteObject, DeleteObjects: "❌ Multi-factor authentication: x-amz-mfa", "❌ Object Locking: x-amz-bypass-governance-retention".',
      },
    },
    {
      operations: ['PutBucketCors', 'PutBucketLifecycleConfiguration'],
      headers: ['x-amz-sdk-checksum-algorithm', 'x-amz-checksum-algorithm'],
      answer: r2Header,
      source: {
        url: R2_API,
        says: 'PutBucketCors, PutBucketLifecycleConfiguration: "❌ Checksums: x-amz-sdk-checksum-algorithm, x-amz-checksum-algorithm".',
      },
    },
    {
      operations: OBJECT_WRITES,
      headers: ['x-amz-storage-class'],
      allowedValues: ['STANDARD', 'STANDARD_IA'],
      answer: r2Header,
      source: {
        url: R2_API,
        says: 'PutObject, CreateMultipartUpload, CopyObject: "✅ Storage Class: x-amz-storage-class: ✅ STANDARD ✅ STANDARD_IA".',
        unclear:
          "The answer to another class is not documented; R2 answers \"Header 'x-amz-storage-class' with value '' not " +
          'implemented" to an empty one (https://github.com/gobackup/gobackup/issues/182), so other values get that form.',
      },
    },
  ],
  behaviours: [
    {
      id: 'r2-equal-part-sizes',
      does:
        'Remembers the size of each part uploaded through the proxy; CompleteMultipartUpload answers 400 InvalidPart ' +
        '"All non-trailing parts must have the same size." when the listed parts (but the last) differ in size or the last ' +
        'is larger. Uploads whose part sizes the proxy did not see (UploadPartCopy, parts sent elsewhere) are not checked.',
      source: {
        url: R2_MULTIPART,
        says:
          'Quote: "All parts except the last one must be the same size. The last part has no minimum size, but must be the ' +
          `same or smaller than the other parts." Error 10048 at ${R2_ERRORS}: InvalidPart, 400, "All non-trailing parts ` +
          'must have the same size."',
        unclear:
          'When R2 checks (at UploadPart or at CompleteMultipartUpload) is not said; the proxy checks at completion.',
      },
    },
    {
      id: 'r2-checksum-types',
      does:
        'CreateMultipartUpload with x-amz-checksum-type FULL_OBJECT and an algorithm other than CRC64NVME, or COMPOSITE with ' +
        "CRC64NVME, answers 501 NotImplemented \"Header 'x-amz-checksum-type' with value '…' not implemented\".",
      source: {
        url: R2_API,
        says: 'Checksum Types table: CRC-64/NVME ✅ FULL_OBJECT ❌ COMPOSITE; CRC-32, CRC-32C, SHA-1, SHA-256 ❌ FULL_OBJECT ✅ COMPOSITE.',
        unclear: "The code of the refusal is not documented; R2's header wording is used.",
      },
    },
  ],
  capabilities: {
    acl: {
      available: false,
      because: 'R2 implements no ACL operation and no ACL header.',
      source: {
        url: R2_API,
        says: 'GetBucketAcl/PutBucketAcl unimplemented; ❌ x-amz-acl and x-amz-grant-* on writes.',
      },
    },
    postPolicy: {
      available: false,
      because: 'POST Object (browser form upload) is not among the implemented operations; use presigned PUT URLs.',
      source: { url: R2_API, says: 'PostObject is in neither table.', unclear: 'Absent rather than marked ❌.' },
    },
    versioning: {
      available: false,
      because: 'R2 keeps no object versions.',
      source: {
        url: R2_API,
        says: 'GetBucketVersioning and PutBucketVersioning are unimplemented; ListObjectVersions is not listed.',
      },
    },
    objectTagging: {
      available: false,
      because: 'R2 has no object tags.',
      source: { url: R2_API, says: 'Get/Put/DeleteObjectTagging unimplemented; ❌ x-amz-tagging.' },
    },
    listParts: {
      available: true,
      because: 'ListParts is implemented (max-parts, part-number-marker).',
      source: { url: R2_API, says: '✅ ListParts.' },
    },
    objectLock: {
      available: false,
      because: 'S3 Object Lock is not implemented (R2 has its own bucket lock rules, set outside the S3 API).',
      source: { url: R2_API, says: 'Get/PutObjectLockConfiguration unimplemented; ❌ x-amz-object-lock-*.' },
    },
    sseC: {
      available: true,
      because: 'SSE-C headers are implemented on reads, writes, copies and parts.',
      source: {
        url: R2_API,
        says: '✅ SSE-C on HeadObject, GetObject, PutObject, CopyObject, UploadPart, UploadPartCopy.',
      },
    },
    sseKms: {
      available: false,
      because: 'x-amz-server-side-encryption (SSE-S3 and SSE-KMS) is not implemented.',
      source: {
        url: R2_API,
        says: '❌ SSE: x-amz-server-side-encryption, -aws-kms-key-id, -context, -bucket-key-enabled.',
      },
    },
    checksums: {
      available: 'limited',
      because:
        'CRC64NVME only as a full-object checksum; CRC32, CRC32C, SHA-1 and SHA-256 only as composite (multipart) ones.',
      source: { url: R2_API, says: 'Checksum Types table.' },
    },
    mixedPartSizes: {
      available: false,
      because: 'All parts but the last must be the same size, and the last no larger.',
      source: { url: R2_MULTIPART, says: 'Quote: "All parts except the last one must be the same size."' },
    },
    multipartPreconditions: {
      available: 'unknown',
      because: 'Not documented for multipart requests.',
      source: { url: R2_API, says: 'CreateMultipartUpload and CompleteMultipartUpload list no conditional headers.' },
    },
    singlePutEtagIsMd5: {
      available: true,
      because: "A PutObject's ETag is the MD5 of the body, as on S3.",
      source: {
        url: R2_MULTIPART,
        says: '"The ETags for objects uploaded via multipart are different than those uploaded with PutObject."',
        unclear: 'Implied by contrast, not stated outright.',
      },
    },
    multipartEtagIsMd5OfParts: {
      available: true,
      because:
        'For uploads created after June 21, 2023 the ETag is MD5 of the concatenated binary part MD5s, "-", part count.',
      source: {
        url: R2_MULTIPART,
        says: 'Quote: "For uploads created after June 21, 2023, R2\'s multipart ETags now mimic the behavior of S3."',
      },
    },
    storageClasses: {
      values: ['STANDARD', 'STANDARD_IA'],
      because: 'The only storage classes R2 accepts.',
      source: { url: R2_API, says: '✅ x-amz-storage-class: STANDARD, STANDARD_IA.' },
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Backblaze B2

const b2: ProviderProfile = {
  name: 'b2',
  service: 'Backblaze B2',
  errorWording: B2_UNSUPPORTED_HEADER_FORMAT,
  refuseOperations: [
    {
      operations: ['PutObjectTagging', 'DeleteObjectTagging', 'PostObject'],
      answer: awsNotImplemented,
      source: {
        url: B2_S3,
        says:
          'Object tagging is "not fully supported": GetObjectTagging "always returns a set of empty tags" (B2 docs, as quoted ' +
          'in https://github.com/stv0g/gose/issues/42); Put/DeleteObjectTagging and POST Object are not in the list of ' +
          'supported calls.',
        unclear:
          "The answer to an unsupported call is not documented: AWS S3's 501 NotImplemented is used. Users report that " +
          'B2 does not take POST uploads (https://github.com/rhnvrm/simples3/issues/17).',
      },
    },
    {
      operations: [
        'GetBucketTagging',
        'PutBucketTagging',
        'DeleteBucketTagging',
        'GetBucketPolicy',
        'PutBucketPolicy',
        'DeleteBucketPolicy',
        'GetBucketPolicyStatus',
        'GetObjectAttributes',
        'GetObjectTorrent',
        'RestoreObject',
        'SelectObjectContent',
        ...BUCKET_EXTRAS,
      ],
      answer: awsNotImplemented,
      source: {
        url: B2_S3,
        says: 'Not in the "Supported Calls" list of the S3-Compatible API.',
        unclear: 'Absence from the list is read as unsupported (stricter); the answer is not documented.',
      },
    },
  ],
  refuseHeaders: [
    {
      operations: 'any',
      headers: [
        'x-amz-checksum-crc32',
        'x-amz-checksum-crc32c',
        'x-amz-checksum-crc64nvme',
        'x-amz-checksum-sha1',
        'x-amz-checksum-sha256',
        'x-amz-checksum-algorithm',
        'x-amz-checksum-mode',
        'x-amz-sdk-checksum-algorithm',
      ],
      answer: b2Header,
      source: {
        url: `${B2_S3}#unsupported-features`,
        says:
          'Section "Unsupported Features" lists x-amz-checksum-crc32, -crc32c, -crc64nvme, -sha1, -sha256, ' +
          `x-amz-checksum-algorithm and x-amz-checksum-mode. Wording: ${B2_UNSUPPORTED_HEADER_FORMAT.url}; the same for ` +
          'x-amz-sdk-checksum-algorithm (https://github.com/home-assistant/core/issues/143995).',
        unclear:
          "B2's newer Copy Object page says checksum data of copied objects is maintained, which suggests some checksum " +
          'support arrived later; the Unsupported Features list is followed (stricter).',
      },
    },
    {
      operations: OBJECT_WRITES,
      headers: ['x-amz-tagging'],
      answer: b2Header,
      source: {
        url: B2_COPY_OBJECT,
        says:
          'Quote: "the x-amz-tagging header will be explicitly rejected if it is included on the Copy Object (or Put Object) ' +
          'API calls"; "The x-amz-tagging-directive header is allowed on the Copy Object API, but it will be ignored".',
        unclear: 'CreateMultipartUpload is not named; refused like Put Object (stricter).',
      },
    },
    {
      operations: [...OBJECT_WRITES, 'PutObjectAcl'],
      headers: ['x-amz-acl'],
      allowedValues: ['private'],
      answer: (_header, value) => ({
        status: 400,
        code: 'InvalidArgument',
        message: `The ACL '${value}' does not match the bucket's ACL 'private'; object-level ACLs are not supported.`,
      }),
      source: {
        url: B2_PUT_OBJECT,
        says:
          'Put Object: "x-amz-acl Optional. If supplied, must be the same as the bucket ACL." S3-Compatible API: "object-level ' +
          'ACLs are not supported"; Put Object ACL "succeeds only when the specified ACL matches the ACL of the bucket".',
        unclear:
          'The profile treats every bucket as private (the B2 default); the code and message of the error are not documented.',
      },
    },
    {
      operations: ['PutBucketAcl', 'CreateBucket'],
      headers: ['x-amz-acl'],
      allowedValues: ['private', 'public-read'],
      answer: (_header, value) => ({
        status: 400,
        code: 'InvalidArgument',
        message: `Unsupported ACL '${value}': only private and public-read are supported.`,
      }),
      source: {
        url: B2_S3,
        says:
          'Quote: "supports the Put Bucket ACL call to change between \\"private\\" and \\"public-read\\" only. Attempting to put a ' +
          'different value returns an error."',
        unclear:
          'The error is not named; InvalidArgument 400 is chosen. MinIO itself takes only private on PutBucketAcl.',
      },
    },
    {
      operations: ['PutBucketAcl'],
      headers: ['x-amz-acl'],
      whenAbsent: true,
      answer: () => ({
        status: 400,
        code: 'InvalidArgument',
        message: 'Setting the ACL via XML in the request body is not supported; use the x-amz-acl header.',
      }),
      source: {
        url: B2_PUT_BUCKET_ACL,
        says: 'Quote: "Sets the ACL on an existing bucket via the x-amz-acl header. Setting the ACL via XML in the request body is not supported."',
        unclear: 'The error is not named; InvalidArgument 400 is chosen.',
      },
    },
    {
      operations: 'any',
      headers: ['x-amz-grant-*'],
      answer: b2Header,
      source: {
        url: B2_S3,
        says: 'ACLs are canned only (private, public-read) and bucket-wide: "object-level ACLs are not supported".',
        unclear: "Grant headers are not mentioned; refused with B2's unsupported-header wording (stricter).",
      },
    },
    {
      operations: [...OBJECT_WRITES, 'UploadPart'],
      headers: ['x-amz-server-side-encryption'],
      allowedValues: ['AES256'],
      answer: (_header, value) => ({
        status: 400,
        code: 'InvalidArgument',
        message: `Unsupported server-side encryption '${value}': use AES256 (SSE-B2) or SSE-C.`,
      }),
      source: {
        url: B2_PUT_OBJECT,
        says:
          'Put Object: "x-amz-server-side-encryption Optional. Set to AES256 to use SSE-B2." The S3-Compatible API page: ' +
          'encryption "using either Backblaze-managed keys (SSE-B2) or customer-managed keys (SSE-C)".',
        unclear: 'The answer to aws:kms is not documented; InvalidArgument 400 is chosen.',
      },
    },
    {
      operations: 'any',
      headers: [
        'x-amz-server-side-encryption-aws-kms-key-id',
        'x-amz-server-side-encryption-context',
        'x-amz-server-side-encryption-bucket-key-enabled',
      ],
      answer: b2Header,
      source: {
        url: B2_PUT_OBJECT,
        says: 'Only SSE-B2 (AES256) and SSE-C headers are documented; there is no key management service.',
        unclear: "The KMS headers are not mentioned; refused with B2's unsupported-header wording.",
      },
    },
    {
      operations: OBJECT_WRITES,
      headers: ['x-amz-storage-class'],
      allowedValues: ['STANDARD'],
      answer: (_header, value) => ({
        status: 400,
        code: 'InvalidStorageClass',
        message: `The storage class you specified is not valid: ${value}`,
      }),
      source: {
        url: B2_PUT_OBJECT,
        says: 'x-amz-storage-class is not among the documented Put Object headers; B2 has one storage class.',
        unclear:
          'Clients sending STANDARD work (https://github.com/iterate-ch/cyberduck/issues/16107 fails only on a checksum ' +
          "header); other values are refused with AWS S3's InvalidStorageClass (stricter).",
      },
    },
  ],
  behaviours: [
    {
      id: 'b2-empty-object-tagging',
      does: 'GetObjectTagging on an existing object answers an empty TagSet, whatever the server stores.',
      source: {
        url: B2_S3,
        says:
          'Quote (as cited in https://github.com/stv0g/gose/issues/42): "Our implementation of Get Object Tagging is minimal ' +
          'and always returns a set of empty tags, as we do not fully support Object Tagging".',
      },
    },
  ],
  capabilities: {
    acl: {
      available: 'limited',
      because: 'Canned bucket ACLs only (private or public-read); objects share the bucket ACL.',
      source: {
        url: B2_S3,
        says: '"object-level ACLs are not supported"; Put Bucket ACL changes between private and public-read only.',
      },
    },
    postPolicy: {
      available: false,
      because: 'POST Object is not a supported call; B2 takes presigned PUT URLs for uploads.',
      source: {
        url: B2_S3,
        says: '"supports pre-signed URLs for downloading and uploading"; no POST Object.',
        unclear: 'Not stated outright.',
      },
    },
    versioning: {
      available: 'unknown',
      because: 'B2 keeps file versions; how PutBucketVersioning answers is not documented on the pages read.',
      source: { url: B2_S3, says: 'Get Bucket Versioning and List Object Versions are supported calls.' },
    },
    objectTagging: {
      available: false,
      because: 'Tags are not stored: GetObjectTagging answers an empty set and x-amz-tagging is rejected.',
      source: { url: B2_COPY_OBJECT, says: '"The S3-compatible API does not fully support object tagging."' },
    },
    listParts: {
      available: true,
      because: 'List Parts is a supported call.',
      source: { url: B2_S3, says: 'Supported Calls: List Parts.' },
    },
    objectLock: {
      available: true,
      because: 'Object Lock headers and Get/Put Object Lock Configuration, Retention and Legal Hold are supported.',
      source: { url: B2_PUT_OBJECT, says: 'x-amz-object-lock-mode, -retain-until-date, -legal-hold on Put Object.' },
    },
    sseC: {
      available: true,
      because: 'SSE-C headers are supported.',
      source: { url: B2_PUT_OBJECT, says: 'x-amz-server-side-encryption-customer-algorithm and -key on Put Object.' },
    },
    sseKms: {
      available: false,
      because: 'Only SSE-B2 (AES256) and SSE-C.',
      source: { url: B2_PUT_OBJECT, says: '"Set to AES256 to use SSE-B2."' },
    },
    checksums: {
      available: false,
      because: 'x-amz-checksum-* and x-amz-sdk-checksum-algorithm are rejected: integrity rests on Content-MD5.',
      source: { url: `${B2_S3}#unsupported-features`, says: 'Unsupported Features: the x-amz-checksum-* headers.' },
    },
    mixedPartSizes: {
      available: 'unknown',
      because: 'Not documented on the pages read.',
      source: { url: B2_S3, says: 'No statement on part sizes.' },
    },
    multipartPreconditions: {
      available: 'unknown',
      because: 'Not documented on the pages read.',
      source: { url: B2_S3, says: 'No statement.' },
    },
    singlePutEtagIsMd5: {
      available: 'unknown',
      because: 'Not documented on the pages read.',
      source: { url: B2_PUT_OBJECT, says: 'No statement on ETags.' },
    },
    multipartEtagIsMd5OfParts: {
      available: 'unknown',
      because: 'Not documented on the pages read.',
      source: { url: B2_S3, says: 'No statement on ETags.' },
    },
    storageClasses: {
      values: ['STANDARD'],
      because: 'B2 has a single storage class.',
      source: {
        url: B2_PUT_OBJECT,
        says: 'x-amz-storage-class is not a documented header.',
        unclear: 'STANDARD assumed accepted.',
      },
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Wasabi

const wasabi: ProviderProfile = {
  name: 'wasabi',
  service: 'Wasabi',
  errorWording: {
    url: WASABI_ERRORS,
    says: 'Quote: "Where possible, Wasabi utilizes the exact error responses given by AWS S3." Table: NotImplemented, "Not Implemented", 501.',
  },
  refuseOperations: [],
  refuseHeaders: [
    {
      operations: 'any',
      headers: [
        'x-amz-server-side-encryption',
        'x-amz-server-side-encryption-aws-kms-key-id',
        'x-amz-server-side-encryption-context',
        'x-amz-server-side-encryption-bucket-key-enabled',
      ],
      answer: awsNotImplemented,
      source: {
        url: WASABI_SSE,
        says:
          'Quote: "Wasabi does not support a key management service. Hence, the “x-amz-server-side-encryption” is not ' +
          `supported along with all the “aws:kms” functionality." Errors (${WASABI_ERRORS}): "Where possible, Wasabi ` +
          'utilizes the exact error responses given by AWS S3"; NotImplemented, 501.',
        unclear:
          'Whether x-amz-server-side-encryption: AES256 is refused or ignored is not said ("not supported"); refused ' +
          "(stricter), with AWS S3's NotImplemented wording.",
      },
    },
  ],
  behaviours: [],
  capabilities: {
    acl: {
      available: 'limited',
      because: 'ACLs work, but public access is allowed only on some paid accounts.',
      source: {
        url: 'https://docs.wasabi.com/docs/operations-on-buckets',
        says: 'Quote: "By default, public use of a bucket, folder, or file is allowed only by certain paid (not trial) accounts."',
      },
    },
    postPolicy: {
      available: 'unknown',
      because: 'Not documented on the pages read.',
      source: { url: WASABI_ERRORS, says: 'No statement.' },
    },
    versioning: {
      available: true,
      because: 'Versioning is supported (with MFA delete).',
      source: {
        url: 'https://docs.wasabi.com/docs/operations-on-buckets',
        says: 'Wasabi supports x-amz-mfa "while configuring versioning on a bucket".',
      },
    },
    objectTagging: {
      available: true,
      because: 'Get, Put and Delete Object Tagging are supported (since December 2023).',
      source: { url: WASABI_TAGGING, says: 'GET/PUT Object Tagging examples; "Remove the entire tag set".' },
    },
    listParts: {
      available: 'unknown',
      because: 'Not documented as a variation; assumed as on AWS S3.',
      source: {
        url: 'https://docs.wasabi.com/apidocs/wasabi-api',
        says: '"built to be 100% bit-compatible with ... AWS S3".',
      },
    },
    objectLock: {
      available: true,
      because: 'Object locking and compliance are documented.',
      source: {
        url: 'https://docs.wasabi.com/docs/operations-on-objects',
        says: 'Operations on objects include "object locking, and compliance".',
      },
    },
    sseC: {
      available: true,
      because: 'SSE-C headers work as on AWS S3.',
      source: { url: WASABI_SSE, says: 'The customer-key headers "work identical to AWS S3".' },
    },
    sseKms: {
      available: false,
      because: 'No key management service.',
      source: { url: WASABI_SSE, says: '"Wasabi does not support a key management service."' },
    },
    checksums: {
      available: 'unknown',
      because: 'Not documented on the pages read.',
      source: { url: WASABI_ERRORS, says: 'No statement.' },
    },
    mixedPartSizes: {
      available: 'unknown',
      because: 'Not documented as a variation; assumed as on AWS S3.',
      source: { url: 'https://docs.wasabi.com/apidocs/wasabi-api', says: 'No statement.' },
    },
    multipartPreconditions: {
      available: 'unknown',
      because: 'Not documented on the pages read.',
      source: { url: 'https://docs.wasabi.com/apidocs/wasabi-api', says: 'No statement.' },
    },
    singlePutEtagIsMd5: {
      available: true,
      because: 'Wasabi stores the MD5 of the uploaded data whatever the encryption.',
      source: {
        url: WASABI_SSE,
        says: 'Quote: "Wasabi stores an MD5 for the data that is always the uploaded data regardless of server-side encryption."',
        unclear: 'Speaks of the stored MD5, not the ETag header.',
      },
    },
    multipartEtagIsMd5OfParts: {
      available: 'unknown',
      because: 'Not documented on the pages read.',
      source: { url: 'https://docs.wasabi.com/apidocs/wasabi-api', says: 'No statement.' },
    },
    storageClasses: {
      values: 'unknown',
      because: 'Not documented on the pages read.',
      source: {
        url: 'https://docs.wasabi.com/docs/operations-on-objects',
        says: 'The page mentions storage class; its rule was not readable here.',
      },
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Google Cloud Storage, XML API

/** Cloud Storage's storage classes (and legacy names), which x-amz-storage-class must use. */
const GCS_STORAGE_CLASSES = [
  'STANDARD',
  'NEARLINE',
  'COLDLINE',
  'ARCHIVE',
  'MULTI_REGIONAL',
  'REGIONAL',
  'DURABLE_REDUCED_AVAILABILITY',
];

const gcs: ProviderProfile = {
  name: 'gcs',
  service: 'Google Cloud Storage (XML API)',
  errorWording: {
    url: GCS_STATUS,
    says: 'Errors are an XML Error document with a Code and a Message, under standard HTTP status codes.',
    unclear:
      "The 501 entry of that page could not be read here, so refusals use AWS S3's NotImplemented wording; the code " +
      'each case below carries is not documented either.',
  },
  refuseOperations: [
    {
      operations: ['GetObjectTagging', 'PutObjectTagging', 'DeleteObjectTagging'],
      answer: awsNotImplemented,
      source: {
        url: GCS_METHODS,
        says: 'The XML API methods have no tagging subresource: Cloud Storage objects carry metadata, not S3 tags.',
        unclear: 'The answer is not documented; 501 NotImplemented (in AWS S3 wording) is used.',
      },
    },
  ],
  refuseHeaders: [
    {
      operations: ['CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload'],
      headers: ['if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since'],
      answer: awsNotImplemented,
      source: {
        url: GCS_MULTIPART,
        says: 'Considerations, quote: "Preconditions are not supported in requests."',
        unclear:
          'Whether such a request is refused or the precondition ignored is not said; refused (stricter) with 501 NotImplemented.',
      },
    },
    {
      operations: OBJECT_WRITES,
      headers: ['x-amz-storage-class'],
      allowedValues: GCS_STORAGE_CLASSES,
      answer: (_header, value) => ({
        status: 400,
        code: 'InvalidArgument',
        message: `Invalid argument: x-amz-storage-class '${value}' is not a Cloud Storage storage class.`,
      }),
      source: {
        url: GCS_MIGRATION,
        says: 'Quote: "Make sure your x-amz- headers use supported Cloud Storage values. For example, x-amz-storage-class should use one of the available Cloud Storage storage classes."',
        unclear:
          'The error is not named; InvalidArgument 400 is chosen. MinIO stores only STANDARD, so NEARLINE and the others pass the proxy but MinIO refuses them.',
      },
    },
  ],
  behaviours: [
    {
      id: 'gcs-multipart-etag',
      does:
        'The ETag of an object completed from a multipart upload (MD5-of-MD5s-N on MinIO) is shown as an opaque token, in ' +
        'CompleteMultipartUpload, HeadObject, GetObject and listings; conditional headers carrying it are mapped back (the ' +
        'request is signed again). Part ETags stay as they are.',
      source: {
        url: GCS_COMPLETE,
        says: 'Quote: "An object created from a multipart upload has a CRC32c hash, but not an MD5 hash, and the object\'s ETag is not based on an MD5 hash."',
        unclear:
          'The form of that ETag is not documented ("client code should make no assumptions about composite object ETags", https://cloud.google.com/storage/docs/composite-objects); the proxy uses 16 base64 characters.',
      },
    },
  ],
  capabilities: {
    acl: {
      available: 'limited',
      because: 'ACLs exist in Cloud Storage terms; buckets with uniform bucket-level access refuse them.',
      source: {
        url: GCS_MIGRATION,
        says: 'The AWS signature lets Cloud Storage "expect x-amz-* headers and Amazon S3 ACL XML syntax".',
        unclear: 'Uniform bucket-level access is not on this page.',
      },
    },
    postPolicy: {
      available: 'unknown',
      because: 'Not checked against the documentation here.',
      source: { url: GCS_METHODS, says: 'Not read.' },
    },
    versioning: {
      available: 'unknown',
      because: 'Cloud Storage versions objects by generation; the S3 versioning calls were not checked here.',
      source: { url: GCS_METHODS, says: 'Not read.' },
    },
    objectTagging: {
      available: false,
      because: 'Cloud Storage has no object tags (metadata only).',
      source: { url: GCS_METHODS, says: 'No tagging method in the XML API.' },
    },
    listParts: {
      available: true,
      because: 'XML API multipart uploads are compatible with Amazon S3 multipart uploads, listing parts included.',
      source: {
        url: GCS_MULTIPART,
        says: '"XML API multipart uploads are compatible with Amazon S3 multipart uploads."',
      },
    },
    objectLock: {
      available: 'unknown',
      because: 'Retention exists in Cloud Storage terms (x-goog-*); its S3 form was not checked here.',
      source: {
        url: GCS_MIGRATION,
        says: 'Cloud Storage processes x-amz-* headers "that have an x-goog-* equivalent".',
      },
    },
    sseC: {
      available: 'unknown',
      because: 'Customer-supplied keys exist (x-goog-encryption-key); the x-amz equivalents were not checked here.',
      source: { url: GCS_MIGRATION, says: 'Only x-amz-* headers with an x-goog-* equivalent are processed.' },
    },
    sseKms: {
      available: 'unknown',
      because: 'Cloud KMS keys are named with x-goog-encryption-kms-key-name; an x-amz equivalent was not found.',
      source: { url: GCS_MIGRATION, says: 'Only x-amz-* headers with an x-goog-* equivalent are processed.' },
    },
    checksums: {
      available: 'unknown',
      because:
        'Cloud Storage checks Content-MD5 and x-goog-hash; the x-amz-checksum-* headers have no documented equivalent.',
      source: {
        url: 'https://cloud.google.com/storage/docs/xml-api/put-object-multipart',
        says: '"specify a Content-MD5 header or a x-goog-hash header".',
      },
    },
    mixedPartSizes: {
      available: true,
      because: 'Compatible with S3 multipart uploads; only minimum and maximum part sizes apply.',
      source: {
        url: GCS_MULTIPART,
        says: 'Considerations (paraphrase): limits apply to the minimum and maximum size of a part and to the number of parts.',
        unclear: 'Equal part sizes are not required anywhere on the page; read as allowed.',
      },
    },
    multipartPreconditions: {
      available: false,
      because: 'Preconditions are not supported on multipart upload requests (no conditional completion).',
      source: { url: GCS_MULTIPART, says: '"Preconditions are not supported in requests."' },
    },
    singlePutEtagIsMd5: {
      available: 'unknown',
      because: 'Not checked against the documentation here.',
      source: { url: GCS_METHODS, says: 'Not read.' },
    },
    multipartEtagIsMd5OfParts: {
      available: false,
      because:
        'A multipart object has no MD5 hash and its ETag is not based on one: check integrity with CRC32C or per-part Content-MD5.',
      source: { url: GCS_COMPLETE, says: '"the object\'s ETag is not based on an MD5 hash."' },
    },
    storageClasses: {
      values: GCS_STORAGE_CLASSES,
      because: 'x-amz-storage-class must name a Cloud Storage class.',
      source: {
        url: GCS_MIGRATION,
        says: '"x-amz-storage-class should use one of the available Cloud Storage storage classes."',
      },
    },
  },
};

// ---------------------------------------------------------------------------------------------
// AWS S3, SSE-KMS and SSE-C ETags

const yes = (because: string): CapabilityClaim => ({
  available: true,
  because,
  source: {
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/API/Welcome.html',
    says: 'The reference implementation of the API.',
  },
});

const awsSseKms: ProviderProfile = {
  name: 'aws-sse-kms',
  service: 'Amazon S3 (SSE-KMS and SSE-C ETags)',
  errorWording: {
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html',
    says: 'No refusals emulated.',
  },
  refuseOperations: [],
  refuseHeaders: [],
  behaviours: [
    {
      id: 'aws-encrypted-etag',
      does:
        'For objects encrypted with SSE-KMS (aws:kms, aws:kms:dsse) or SSE-C, the ETag of PutObject, CopyObject, ' +
        'CompleteMultipartUpload, HeadObject, GetObject and of listings (for ETags the proxy saw on such objects) is ' +
        'replaced by 32 hex digits that are not the MD5 of the data (keeping a "-N" suffix); conditional headers carrying ' +
        'it are mapped back (the request is signed again). UploadPart ETags are left alone.',
      source: {
        url: AWS_ETAG,
        says:
          'Quote: "Objects created by the PUT Object, POST Object, or Copy operation, or through the AWS Management Console, ' +
          'and are encrypted by SSE-C or SSE-KMS, have ETags that are not an MD5 digest of their object data." and "If an ' +
          'object is created by either the Multipart Upload or Part Copy operation, the ETag is not an MD5 digest, regardless ' +
          'of the method of encryption."',
        unclear:
          'The form is not documented; AWS shows 32 hex digits, so the proxy does too. Whether part ETags of SSE-KMS ' +
          'uploads are part MD5s is not said; they are left as the server gives them. aws:kms:dsse is treated as SSE-KMS.',
      },
    },
  ],
  capabilities: {
    acl: yes('ACLs are part of the API (buckets may disable them with Object Ownership).'),
    postPolicy: yes('POST Object with a signed policy.'),
    versioning: yes('Bucket versioning.'),
    objectTagging: yes('Object tags.'),
    listParts: yes('ListParts.'),
    objectLock: yes('S3 Object Lock.'),
    sseC: {
      available: 'limited',
      because: 'SSE-C is blocked by default on new buckets since spring 2026 (a bucket setting re-enables it).',
      source: {
        url: 'https://www.pulumi.com/registry/packages/aws/api-docs/s3/bucketserversideencryptionconfigurationv2',
        says: 'Quote: "Starting in March 2026, Amazon S3 will automatically block server-side encryption with customer-provided keys (SSE-C) for all new buckets."',
        unclear: 'Read on a third-party page quoting AWS; other copies say April 2026. Not emulated.',
      },
    },
    sseKms: yes('SSE-KMS with AWS KMS keys.'),
    checksums: yes('Flexible checksums (CRC32, CRC32C, CRC64NVME, SHA-1, SHA-256).'),
    mixedPartSizes: yes('Parts of any size between 5 MiB and 5 GiB, the last smaller.'),
    multipartPreconditions: yes('If-None-Match on CompleteMultipartUpload (conditional writes).'),
    singlePutEtagIsMd5: {
      available: 'limited',
      because: 'Only for plaintext and SSE-S3 objects; not for SSE-KMS or SSE-C.',
      source: {
        url: AWS_ETAG,
        says: '"encrypted by SSE-S3 or plaintext, have ETags that are an MD5 digest of their object data."',
      },
    },
    multipartEtagIsMd5OfParts: {
      available: 'limited',
      because:
        'Never the MD5 of the data; the MD5-of-part-MD5s-N form is how unencrypted and SSE-S3 uploads come out, not a documented guarantee.',
      source: { url: AWS_ETAG, says: '"the ETag is not an MD5 digest, regardless of the method of encryption."' },
    },
    storageClasses: {
      values: [
        'STANDARD',
        'REDUCED_REDUNDANCY',
        'STANDARD_IA',
        'ONEZONE_IA',
        'INTELLIGENT_TIERING',
        'GLACIER',
        'DEEP_ARCHIVE',
        'GLACIER_IR',
      ],
      because: 'The storage classes of general purpose buckets.',
      source: {
        url: 'https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html',
        says: 'x-amz-storage-class valid values.',
      },
    },
  },
};

/** Every profile, by name. */
export const PROVIDER_PROFILES: Readonly<Record<ProviderProfileName, ProviderProfile>> = {
  r2,
  b2,
  wasabi,
  gcs,
  'aws-sse-kms': awsSseKms,
};

/** The capability summary of each profile, for the compatibility suite. */
export function providerCapabilities(name: ProviderProfileName): ProviderCapabilities {
  return PROVIDER_PROFILES[name].capabilities;
}

// ---------------------------------------------------------------------------------------------
// The engine: applies a profile to the requests of one proxy.

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function headersMatching(headers: IncomingHttpHeaders, pattern: string): [string, string][] {
  const out: [string, string][] = [];
  const prefix = pattern.endsWith('*') ? pattern.slice(0, -1) : undefined;
  for (const name of Object.keys(headers)) {
    if (prefix !== undefined ? name.startsWith(prefix) : name === pattern) {
      out.push([name, headerValue(headers, name) ?? '']);
    }
  }
  return out;
}

function appliesTo(rule: { operations: readonly S3OperationName[] | 'any' }, operation: S3OperationName): boolean {
  return rule.operations === 'any' || rule.operations.includes(operation);
}

/** The first header rule the request breaks, as the error to answer with. */
function headerRefusal(
  profile: ProviderProfile,
  operation: S3OperationName,
  headers: IncomingHttpHeaders,
): ProxyErrorAnswer | undefined {
  for (const rule of profile.refuseHeaders) {
    if (!appliesTo(rule, operation)) continue;
    if (rule.whenAbsent) {
      const name = rule.headers[0] ?? '';
      if (headerValue(headers, name) === undefined) return rule.answer(name, '');
      continue;
    }
    for (const pattern of rule.headers) {
      for (const [name, value] of headersMatching(headers, pattern)) {
        if (!rule.allowedValues?.includes(value)) return rule.answer(name, value);
      }
    }
  }
  return undefined;
}

const unquote = (etag: string): string => etag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');

/** Rewrites every <ETag> of an XML body, whatever quoting the server used (", &quot; or &#34;). */
function rewriteXmlEtags(xml: string, change: (core: string) => string | undefined): string {
  return xml.replace(
    /<ETag>(&#34;|&quot;|")?([^<&"]*)(&#34;|&quot;|")?<\/ETag>/g,
    (whole, open: string | undefined, core: string, close: string | undefined) => {
      const shown = change(core);
      return shown === undefined ? whole : `<ETag>${open ?? ''}${shown}${close ?? ''}</ETag>`;
    },
  );
}

const MULTIPART_ETAG = /^[0-9a-f]{32}-\d+$/;

/** The ETag shown for an SSE-KMS or SSE-C object: 32 hex digits that are not the data's MD5, "-N" kept. */
function awsEncryptedEtag(core: string): string {
  const dash = core.indexOf('-');
  const suffix = dash < 0 ? '' : core.slice(dash);
  return createHash('md5').update(`sse-etag:${core}`).digest('hex') + suffix;
}

/** The ETag shown for a GCS multipart object: an opaque token, neither an MD5 nor MD5-N. */
function gcsMultipartEtag(core: string): string {
  return createHash('sha256').update(`gcs-etag:${core}`).digest('base64').slice(0, 16);
}

/** Headers whose values are ETags the client got from the proxy. */
const CONDITIONAL_ETAG_HEADERS = [
  'if-match',
  'if-none-match',
  'x-amz-copy-source-if-match',
  'x-amz-copy-source-if-none-match',
];

const EMPTY_TAGGING =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet></TagSet></Tagging>';

const LISTINGS: readonly S3OperationName[] = ['ListObjects', 'ListObjectsV2', 'ListObjectVersions'];

/** The operations whose answers carry an object's ETag (not a part's). */
const OBJECT_ETAG_OPERATIONS: readonly S3OperationName[] = [
  'PutObject',
  'CopyObject',
  'CompleteMultipartUpload',
  'HeadObject',
  'GetObject',
  ...LISTINGS,
];

/** A fault proxy that answers as a provider does. */
export interface ProviderProxy extends FaultProxy {
  profile: ProviderProfile;
}

/** Options for {@link startProviderProxy}. */
export interface ProviderProxyOptions {
  /**
   * The client's keys. Needed only by profiles that show ETags the server never issued (gcs,
   * aws-sse-kms), to sign again a conditional request that carries one; without them such a
   * request is answered 500 with an explanation.
   */
  credentials?: SigningCredentials;
}

/** Builds the transform that applies `profile`, with its own state (part sizes, ETag mappings). */
function profileTransform(profile: ProviderProfile, options: ProviderProxyOptions): ExchangeTransform {
  const has = (id: BehaviourId): boolean => profile.behaviours.some((b) => b.id === id);
  const partSizes = new Map<string, Map<number, number>>();
  /** Shown ETag → the server's, for conditional requests; and the server's → shown. */
  const upstreamOf = new Map<string, string>();
  const shownOf = new Map<string, string>();
  /** Multipart uploads created with SSE-KMS or SSE-C: their completion may not say so in its headers. */
  const encryptedUploads = new Set<string>();

  function remember(upstream: string, shown: string): string {
    upstreamOf.set(shown, upstream);
    shownOf.set(upstream, shown);
    return shown;
  }

  /** The shown ETag for a server ETag, or undefined to leave it; `encrypted` says whether the object is SSE-KMS/SSE-C. */
  function shownEtag(core: string, encrypted: boolean): string | undefined {
    if (has('gcs-multipart-etag') && MULTIPART_ETAG.test(core)) return remember(core, gcsMultipartEtag(core));
    if (has('aws-encrypted-etag') && (encrypted || shownOf.has(core))) return remember(core, awsEncryptedEtag(core));
    return undefined;
  }

  function isEncrypted(request: IncomingHttpHeaders, response: IncomingHttpHeaders): boolean {
    const sse =
      headerValue(response, 'x-amz-server-side-encryption') ?? headerValue(request, 'x-amz-server-side-encryption');
    return (
      (sse !== undefined && sse.startsWith('aws:kms')) ||
      headerValue(response, 'x-amz-server-side-encryption-customer-algorithm') !== undefined ||
      headerValue(request, 'x-amz-server-side-encryption-customer-algorithm') !== undefined
    );
  }

  function etagEdit(
    operation: S3OperationName,
    request: IncomingHttpHeaders,
    uploadId: string | null,
    res: UpstreamResponse,
  ): ResponseEdit | undefined {
    if (!has('gcs-multipart-etag') && !has('aws-encrypted-etag')) return undefined;
    if (has('aws-encrypted-etag') && operation === 'CreateMultipartUpload' && isEncrypted(request, res.headers)) {
      // Only looked at: the upload id tells the completion, later, that the object is encrypted.
      return {
        rewriteBody: (body) => {
          const id = /<UploadId>([^<]+)<\/UploadId>/.exec(body.toString('utf8'))?.[1];
          if (id !== undefined) encryptedUploads.add(id);
          return body;
        },
      };
    }
    // Object ETags only: part ETags go back to the server in CompleteMultipartUpload, whose body is signed.
    if (!OBJECT_ETAG_OPERATIONS.includes(operation)) return undefined;
    const encrypted =
      isEncrypted(request, res.headers) ||
      (operation === 'CompleteMultipartUpload' && uploadId !== null && encryptedUploads.has(uploadId));
    const edit: ResponseEdit = {};
    const etag = headerValue(res.headers, 'etag');
    if (etag !== undefined) {
      const shown = shownEtag(unquote(etag), encrypted);
      if (shown !== undefined) edit.headers = { etag: `"${shown}"` };
    }
    const bodyHasEtag = ['CompleteMultipartUpload', 'CopyObject', ...LISTINGS].includes(operation);
    if (bodyHasEtag && res.status === 200) {
      // In a listing, encryption is not shown per object: only ETags seen on encrypted objects change.
      const listing = LISTINGS.includes(operation);
      edit.rewriteBody = (body) =>
        rewriteXmlEtags(body.toString('utf8'), (core) => shownEtag(core, !listing && encrypted));
    }
    return edit.headers || edit.rewriteBody ? edit : undefined;
  }

  /** Maps conditional headers back to the server's ETags; undefined when none changed. */
  function mappedConditionals(headers: IncomingHttpHeaders): IncomingHttpHeaders | undefined {
    let changed: IncomingHttpHeaders | undefined;
    for (const name of CONDITIONAL_ETAG_HEADERS) {
      const value = headerValue(headers, name);
      if (value === undefined) continue;
      const mapped = value
        .split(',')
        .map((token) => {
          const upstream = upstreamOf.get(unquote(token));
          return upstream === undefined ? token : `"${upstream}"`;
        })
        .join(',');
      if (mapped !== value) changed = { ...(changed ?? headers), [name]: mapped };
    }
    return changed;
  }

  function partSizeRefusal(uploadId: string | null, body: Buffer | undefined): ProxyErrorAnswer | undefined {
    const sizes = uploadId === null ? undefined : partSizes.get(uploadId);
    if (!sizes || !body) return undefined;
    const numbers = [...body.toString('utf8').matchAll(/<PartNumber>\s*(\d+)\s*<\/PartNumber>/g)].map((m) =>
      Number(m[1]),
    );
    const listed = numbers.sort((a, b) => a - b).map((n) => sizes.get(n));
    if (listed.length < 2 || listed.some((size) => size === undefined)) return undefined;
    const first = listed[0] as number;
    const last = listed[listed.length - 1] as number;
    const uniform = listed.slice(0, -1).every((size) => size === first) && last <= first;
    return uniform
      ? undefined
      : { status: 400, code: 'InvalidPart', message: 'All non-trailing parts must have the same size.' };
  }

  function checksumTypeRefusal(headers: IncomingHttpHeaders): ProxyErrorAnswer | undefined {
    const type = headerValue(headers, 'x-amz-checksum-type')?.toUpperCase();
    const algorithm = headerValue(headers, 'x-amz-checksum-algorithm')?.toUpperCase();
    if (type === undefined || algorithm === undefined) return undefined;
    const fullObjectOnly = algorithm === 'CRC64NVME';
    if ((type === 'FULL_OBJECT' && !fullObjectOnly) || (type === 'COMPOSITE' && fullObjectOnly)) {
      return r2Header('x-amz-checksum-type', headerValue(headers, 'x-amz-checksum-type') ?? '');
    }
    return undefined;
  }

  return {
    wantsBody: (r: MatchableRequest) =>
      has('r2-equal-part-sizes') && classifyS3Request(r).name === 'CompleteMultipartUpload',

    async onRequest(r: MatchableRequest, body: Buffer | undefined): Promise<RequestVerdict | undefined> {
      const operation = classifyS3Request(r).name;
      const headers = r.headers as IncomingHttpHeaders;
      const refusedOperation = profile.refuseOperations.find((rule) => rule.operations.includes(operation));
      if (refusedOperation) return { refuse: refusedOperation.answer(operation) };
      const refusedHeader = headerRefusal(profile, operation, headers);
      if (refusedHeader) return { refuse: refusedHeader };
      if (has('r2-checksum-types') && operation === 'CreateMultipartUpload') {
        const refused = checksumTypeRefusal(headers);
        if (refused) return { refuse: refused };
      }
      const uploadId = r.query.get('uploadId');
      if (has('r2-equal-part-sizes') && operation === 'CompleteMultipartUpload') {
        const refused = partSizeRefusal(uploadId, body);
        if (refused) return { refuse: refused };
      }

      let forwarded: IncomingHttpHeaders | undefined;
      const mapped = mappedConditionals(headers);
      if (mapped) {
        if (!options.credentials) {
          return {
            refuse: {
              status: 500,
              code: 'ProviderProxyNeedsCredentials',
              message: `The ${profile.name} profile must map a rewritten ETag back, which needs the client's credentials (startProviderProxy options).`,
            },
          };
        }
        forwarded = await resignHeaders(r, mapped, options.credentials);
      }

      return {
        ...(forwarded ? { headers: forwarded } : {}),
        onResponse: (res) => {
          if (has('r2-equal-part-sizes') && operation === 'UploadPart' && res.status === 200 && uploadId !== null) {
            const size = Number(
              headerValue(headers, 'x-amz-decoded-content-length') ?? headerValue(headers, 'content-length'),
            );
            const partNumber = Number(r.query.get('partNumber'));
            if (Number.isFinite(size)) {
              const sizes = partSizes.get(uploadId) ?? new Map<number, number>();
              sizes.set(partNumber, size);
              partSizes.set(uploadId, sizes);
            }
          }
          if (operation === 'CompleteMultipartUpload' && res.status === 200 && uploadId !== null)
            partSizes.delete(uploadId);
          if (has('b2-empty-object-tagging') && operation === 'GetObjectTagging' && res.status === 200) {
            return { rewriteBody: () => EMPTY_TAGGING };
          }
          return etagEdit(operation, headers, uploadId, res);
        },
      };
    },
  };
}

/**
 * Starts a fault proxy in front of `upstreamUrl` (a MinIO's http://127.0.0.1:port) that answers
 * as `profile`'s service does. Its `url` is an S3 endpoint (path style); the Host header is
 * forwarded unchanged, so clients sign as they would for the server. Faults can still be added.
 */
export async function startProviderProxy(
  profile: ProviderProfileName,
  upstreamUrl: string,
  options: ProviderProxyOptions = {},
): Promise<ProviderProxy> {
  const description = PROVIDER_PROFILES[profile];
  const proxy = await startFaultProxy({ target: upstreamUrl, transform: profileTransform(description, options) });
  return Object.assign(proxy, { profile: description });
}
