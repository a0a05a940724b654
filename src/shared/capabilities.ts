import type { ProviderId } from './accounts';
import { storageClasses } from './transfers';

/**
 * What an S3 service can do. S3 is a family of dialects: R2 has no ACLs or POST uploads,
 * s3rver no ListParts, AWS's SSE-KMS ETags are not MD5s. One model per account (and per
 * bucket where it differs) says what the service supports; it starts from the provider's
 * preset, is completed by cheap probes, and is corrected by the service's own answers
 * (NotImplemented, 501, MethodNotAllowed). Features read the model; none branches on a
 * provider's name.
 */

/** The optional features whose support differs between S3 services. */
export const capabilityIds = [
  'acl',
  'tagging',
  'versioning',
  'objectLock',
  'postPolicy',
  'listParts',
  'listMultipartUploads',
  'checksums',
  'sseS3',
  'sseKms',
  'sseC',
  'uploadPartCopy',
  'bucketPolicy',
  'publicAccessBlock',
  'accountPublicAccessBlock',
  'defaultEncryption',
  'bucketTagging',
  'bucketCors',
  'lifecycle',
  'website',
] as const;

/** One optional feature of an S3 service. */
export type CapabilityId = (typeof capabilityIds)[number];

/** What each feature is called in a sentence ("This service does not support …"). */
export const capabilityLabels: Record<CapabilityId, string> = {
  acl: 'access lists (ACLs) on objects',
  tagging: 'object tags',
  versioning: 'versioning',
  objectLock: 'object lock',
  postPolicy: 'browser upload forms (POST policy)',
  listParts: 'listing the parts of an unfinished upload (ListParts)',
  listMultipartUploads: 'listing unfinished uploads',
  checksums: 'additional checksums (x-amz-checksum-*)',
  sseS3: 'server-side encryption with its own keys (SSE-S3)',
  sseKms: 'encryption with managed keys (SSE-KMS)',
  sseC: 'encryption with your own key (SSE-C)',
  uploadPartCopy: 'copying objects over 5 GiB in parts (UploadPartCopy)',
  bucketPolicy: 'bucket policies',
  publicAccessBlock: 'blocking public access (Block Public Access)',
  accountPublicAccessBlock: 'account-wide public access settings (S3 Control)',
  defaultEncryption: 'default encryption settings for a bucket',
  bucketTagging: 'bucket tags',
  bucketCors: 'CORS rules per bucket',
  lifecycle: 'lifecycle rules',
  website: 'static website hosting',
};

/** Why only Amazon S3 has account-wide public access settings: they live in S3 Control, an API of AWS's own. */
const NO_S3_CONTROL = (service: string) =>
  `${service} has no account-wide public access settings: they belong to S3 Control, an API only Amazon S3 has.`;

/** Whether a service has a feature: known yes, known no, or not found out yet. */
export type Support = 'yes' | 'no' | 'unknown';

/** Where what is known about a feature came from. */
export type CapabilitySource = 'preset' | 'probe' | 'service';

/** One feature's support, with why (in words) where it is missing. */
export interface CapabilityEntry {
  support: Support;
  /** A sentence for the person where support is 'no': "Cloudflare R2 keeps no access lists on objects." */
  reason?: string;
  source: CapabilitySource;
}

/**
 * How a service's ETags relate to the bytes stored, which decides how an upload is checked:
 * `md5` (single PUT) and `md5-of-part-md5s` (multipart, "…-N") let the app compare digests;
 * `opaque` ETags only identify a version, so the upload is checked by size.
 */
export interface EtagRules {
  singlePart: 'md5' | 'opaque' | 'unknown';
  multipart: 'md5-of-part-md5s' | 'opaque' | 'unknown';
}

/** What one S3 service (or one of its buckets) can do. */
export interface ServiceCapabilities {
  features: Record<CapabilityId, CapabilityEntry>;
  etag: EtagRules;
  /** The storage classes the service accepts; empty where that is not known (every class is offered). */
  storageClasses: string[];
  /** The largest object one CopyObject copies; larger ones need UploadPartCopy. */
  maxSingleCopyBytes: number;
}

/** A preset's knowledge: every feature it does not name is 'unknown' until probed. */
export interface CapabilitySeed {
  features: Partial<Record<CapabilityId, { support: Exclude<Support, 'unknown'>; reason?: string }>>;
  etag: EtagRules;
  storageClasses: string[];
}

/** S3's own CopyObject limit: 5 GB (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html). */
export const S3_SINGLE_COPY_LIMIT = 5 * 1024 ** 3;

/** AWS offers every class the app knows. */
const AWS_STORAGE_CLASSES: string[] = [...storageClasses];

const md5Etags: EtagRules = { singlePart: 'md5', multipart: 'md5-of-part-md5s' };
const unknownEtags: EtagRules = { singlePart: 'unknown', multipart: 'unknown' };

/**
 * What each provider preset is known to support, from the providers' documentation (sources in
 * docs/compatibility.md). Anything not named is probed; anything probed wrong is corrected by
 * the service's answers.
 */
export const capabilitySeeds: Record<ProviderId, CapabilitySeed> = {
  aws: {
    features: {
      acl: { support: 'yes' },
      tagging: { support: 'yes' },
      versioning: { support: 'yes' },
      objectLock: { support: 'yes' },
      postPolicy: { support: 'yes' },
      listParts: { support: 'yes' },
      listMultipartUploads: { support: 'yes' },
      checksums: { support: 'yes' },
      sseS3: { support: 'yes' },
      sseKms: { support: 'yes' },
      sseC: { support: 'yes' },
      uploadPartCopy: { support: 'yes' },
      bucketPolicy: { support: 'yes' },
      publicAccessBlock: { support: 'yes' },
      accountPublicAccessBlock: { support: 'yes' },
      defaultEncryption: { support: 'yes' },
      bucketTagging: { support: 'yes' },
      bucketCors: { support: 'yes' },
      lifecycle: { support: 'yes' },
      website: { support: 'yes' },
    },
    etag: md5Etags,
    storageClasses: AWS_STORAGE_CLASSES,
  },
  minio: {
    features: {
      acl: {
        support: 'no',
        reason: 'MinIO keeps no access lists on objects; it grants access with bucket policies.',
      },
      tagging: { support: 'yes' },
      versioning: { support: 'yes' },
      listParts: { support: 'yes' },
      listMultipartUploads: { support: 'yes' },
      postPolicy: { support: 'yes' },
      uploadPartCopy: { support: 'yes' },
      checksums: { support: 'yes' },
      bucketPolicy: { support: 'yes' },
      publicAccessBlock: {
        support: 'no',
        reason: 'MinIO has no Block Public Access settings; anonymous access comes only from the bucket policy.',
      },
      accountPublicAccessBlock: { support: 'no', reason: NO_S3_CONTROL('MinIO') },
      bucketTagging: { support: 'yes' },
      bucketCors: {
        support: 'no',
        reason:
          'MinIO takes no CORS rules per bucket: it allows every origin for the whole server unless its administrator ' +
          'set MINIO_API_CORS_ALLOW_ORIGIN.',
      },
      lifecycle: { support: 'yes' },
      website: { support: 'no', reason: 'MinIO does not host static websites.' },
    },
    etag: md5Etags,
    storageClasses: ['STANDARD', 'REDUCED_REDUNDANCY'],
  },
  r2: {
    features: {
      acl: { support: 'no', reason: 'Cloudflare R2 keeps no access lists; it shares buckets through public access.' },
      postPolicy: { support: 'no', reason: 'Cloudflare R2 does not accept browser upload forms (POST).' },
      versioning: { support: 'no', reason: 'Cloudflare R2 does not keep object versions.' },
      objectLock: { support: 'no', reason: 'Cloudflare R2 has no S3 object lock.' },
      tagging: { support: 'no', reason: 'Cloudflare R2 does not store object tags.' },
      sseKms: { support: 'no', reason: 'Cloudflare R2 has no managed keys (SSE-KMS).' },
      sseS3: {
        support: 'no',
        reason: 'Cloudflare R2 encrypts every object at rest itself and does not take the SSE-S3 header.',
      },
      sseC: { support: 'yes' },
      listParts: { support: 'yes' },
      listMultipartUploads: { support: 'yes' },
      uploadPartCopy: { support: 'yes' },
      bucketPolicy: {
        support: 'no',
        reason: 'Cloudflare R2 has no bucket policies; a bucket is made public in its own dashboard settings.',
      },
      publicAccessBlock: {
        support: 'no',
        reason: 'Cloudflare R2 has no Block Public Access settings; public access is set in its dashboard.',
      },
      accountPublicAccessBlock: { support: 'no', reason: NO_S3_CONTROL('Cloudflare R2') },
      defaultEncryption: {
        support: 'no',
        reason: 'Cloudflare R2 encrypts every object at rest itself and has no default encryption setting.',
      },
      bucketTagging: { support: 'no', reason: 'Cloudflare R2 does not store bucket tags.' },
      bucketCors: { support: 'yes' },
      lifecycle: { support: 'yes' },
      website: {
        support: 'no',
        reason: 'Cloudflare R2 has no S3 website hosting; it serves public buckets through custom domains instead.',
      },
    },
    etag: { singlePart: 'md5', multipart: 'unknown' },
    storageClasses: ['STANDARD', 'STANDARD_IA'],
  },
  b2: {
    features: {
      acl: { support: 'no', reason: 'Backblaze B2 sets access per bucket (public or private), not per object.' },
      tagging: { support: 'no', reason: 'Backblaze B2 does not store object tags.' },
      postPolicy: { support: 'no', reason: 'Backblaze B2 does not accept browser upload forms (POST).' },
      checksums: {
        support: 'no',
        reason: 'Backblaze B2 refuses the x-amz-checksum headers; uploads are checked with Content-MD5 instead.',
      },
      sseKms: { support: 'no', reason: 'Backblaze B2 has no managed keys (SSE-KMS).' },
      sseC: { support: 'yes' },
      listParts: { support: 'yes' },
      listMultipartUploads: { support: 'yes' },
      bucketPolicy: {
        support: 'no',
        reason: 'Backblaze B2 has no bucket policies; a bucket is either public or private.',
      },
      publicAccessBlock: {
        support: 'no',
        reason: 'Backblaze B2 has no Block Public Access settings; a bucket is either public or private.',
      },
      accountPublicAccessBlock: { support: 'no', reason: NO_S3_CONTROL('Backblaze B2') },
      website: { support: 'no', reason: 'Backblaze B2 does not host websites through its S3 API.' },
    },
    etag: { singlePart: 'md5', multipart: 'unknown' },
    storageClasses: ['STANDARD'],
  },
  wasabi: {
    features: {
      acl: { support: 'yes' },
      tagging: { support: 'yes' },
      versioning: { support: 'yes' },
      listParts: { support: 'yes' },
      listMultipartUploads: { support: 'yes' },
      sseKms: { support: 'no', reason: 'Wasabi has no managed keys (SSE-KMS).' },
      sseS3: {
        support: 'no',
        reason: 'Wasabi encrypts all data at rest itself and does not take the SSE-S3 header.',
      },
      bucketPolicy: { support: 'yes' },
      accountPublicAccessBlock: { support: 'no', reason: NO_S3_CONTROL('Wasabi') },
    },
    etag: md5Etags,
    storageClasses: ['STANDARD'],
  },
  digitalocean: {
    features: {
      versioning: { support: 'yes' },
      listParts: { support: 'yes' },
      listMultipartUploads: { support: 'yes' },
      sseKms: { support: 'no', reason: 'DigitalOcean Spaces has no managed keys (SSE-KMS).' },
      accountPublicAccessBlock: { support: 'no', reason: NO_S3_CONTROL('DigitalOcean Spaces') },
    },
    etag: md5Etags,
    storageClasses: ['STANDARD'],
  },
  other: {
    // Nothing seeded, account-wide Block Public Access included: moto emulates S3 Control, and a
    // service without it says so in its first answer (bucket-settings-handlers.ts learns "no").
    features: {},
    etag: unknownEtags,
    storageClasses: [],
  },
};

/** The model a preset starts from: its seed, and 'unknown' for everything else. */
export function capabilitiesFromSeed(seed: CapabilitySeed): ServiceCapabilities {
  const features = {} as Record<CapabilityId, CapabilityEntry>;
  for (const id of capabilityIds) {
    const known = seed.features[id];
    features[id] = known ? { ...known, source: 'preset' } : { support: 'unknown', source: 'preset' };
  }
  return {
    features,
    etag: { ...seed.etag },
    storageClasses: [...seed.storageClasses],
    maxSingleCopyBytes: S3_SINGLE_COPY_LIMIT,
  };
}

/** True unless the service is known to lack the feature: unknown features are tried, and corrected by the answer. */
export function mayUse(capabilities: ServiceCapabilities, id: CapabilityId): boolean {
  return capabilities.features[id].support !== 'no';
}

/** The sentence that says why a feature cannot be used, or undefined where it can (or may). */
export function whyUnavailable(capabilities: ServiceCapabilities, id: CapabilityId): string | undefined {
  const entry = capabilities.features[id];
  if (entry.support !== 'no') return undefined;
  return entry.reason ?? `This service does not support ${capabilityLabels[id]}.`;
}

/** The capability an encryption choice needs, where it needs one. */
const encryptionCapability: Record<string, CapabilityId | undefined> = {
  none: undefined,
  'SSE-S3': 'sseS3',
  'SSE-KMS': 'sseKms',
  'SSE-C': 'sseC',
};

/**
 * Why upload (or copy) options cannot be honoured by this service, or undefined where they
 * can (or may): an ACL other than private without ACLs, an encryption it lacks, a storage
 * class it does not offer. Checked before anything is queued, in the dialog and in main.
 */
export function whyOptionsUnavailable(
  capabilities: ServiceCapabilities,
  options: { acl?: string; storageClass?: string | undefined; encryption?: { mode: string } },
): string | undefined {
  if (options.acl !== undefined && options.acl !== 'private') {
    const lacking = whyUnavailable(capabilities, 'acl');
    if (lacking) return `${lacking} Choose "private" access.`;
  }
  const needed = options.encryption ? encryptionCapability[options.encryption.mode] : undefined;
  if (needed) {
    const lacking = whyUnavailable(capabilities, needed);
    if (lacking) return `${lacking} Choose another encryption.`;
  }
  const classes = capabilities.storageClasses;
  if (options.storageClass && classes.length > 0 && !classes.includes(options.storageClass)) {
    return `This service offers the storage classes ${classes.join(', ')}, not ${options.storageClass}.`;
  }
  return undefined;
}
