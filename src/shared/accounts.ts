import { z } from 'zod';

/** The providers the account form knows; each preset fills the endpoint pattern and the path-style default. */
export const providerIds = ['aws', 'minio', 'r2', 'b2', 'wasabi', 'digitalocean', 'other'] as const;

/** One of the provider presets. */
export type ProviderId = (typeof providerIds)[number];

/** What a provider preset fills in. `{region}` and `{accountId}` in the pattern are placeholders. */
export interface ProviderPreset {
  label: string;
  /** Empty for AWS: the SDK derives the endpoint from the region. */
  endpointPattern: string;
  /**
   * The region a new account starts with. Empty (detected: main signs for us-east-1, which AWS
   * takes for listing buckets, and asks each bucket's region with HeadBucket; MinIO and other
   * self-hosted servers take any) unless the service checks it and its endpoint names it.
   */
  defaultRegion: string;
  pathStyle: boolean;
  /** A hint shown under the endpoint field. */
  hint: string;
}

/** The presets, by provider. */
export const providerPresets: Record<ProviderId, ProviderPreset> = {
  aws: {
    label: 'Amazon S3',
    endpointPattern: '',
    defaultRegion: '',
    pathStyle: false,
    hint: 'Leave the endpoint empty for AWS.',
  },
  minio: {
    label: 'MinIO',
    endpointPattern: 'http://127.0.0.1:9000',
    defaultRegion: '',
    pathStyle: true,
    hint: 'The address of your MinIO server (its API port, not the console).',
  },
  r2: {
    label: 'Cloudflare R2',
    endpointPattern: 'https://{accountId}.r2.cloudflarestorage.com',
    defaultRegion: 'auto',
    pathStyle: true,
    hint: 'Replace {accountId} with your Cloudflare account ID.',
  },
  b2: {
    label: 'Backblaze B2',
    endpointPattern: 'https://s3.{region}.backblazeb2.com',
    defaultRegion: 'us-west-004',
    pathStyle: false,
    hint: 'The region is part of the endpoint, e.g. us-west-004.',
  },
  wasabi: {
    label: 'Wasabi',
    endpointPattern: 'https://s3.{region}.wasabisys.com',
    defaultRegion: 'us-east-1',
    pathStyle: false,
    hint: 'The region is part of the endpoint.',
  },
  digitalocean: {
    label: 'DigitalOcean Spaces',
    endpointPattern: 'https://{region}.digitaloceanspaces.com',
    defaultRegion: 'nyc3',
    pathStyle: false,
    hint: 'The region is part of the endpoint, e.g. nyc3 or fra1.',
  },
  other: {
    label: 'Other S3-compatible',
    endpointPattern: '',
    defaultRegion: '',
    pathStyle: true,
    hint: 'The full URL of the S3 API, e.g. https://s3.example.com.',
  },
};

/** Fills a preset's endpoint pattern with a region (other placeholders stay for the person to fill). */
export function endpointFor(provider: ProviderId, region: string): string {
  return providerPresets[provider].endpointPattern.replaceAll(
    '{region}',
    region || providerPresets[provider].defaultRegion,
  );
}

/** Where an account's credentials come from. */
export const credentialSources = ['static', 'profile', 'environment', 'default-chain'] as const;

/** One of the credential sources: keys typed in, an AWS profile, environment variables, or the default chain. */
export type CredentialSource = (typeof credentialSources)[number];

/** Where a typed-in secret is kept: the OS keychain, or (where there is none) memory for this session only. */
export type SecretStorage = 'keychain' | 'session';

const regionPattern = /^[a-z0-9-]+$/;
const bucketPattern = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** An optional http(s) URL field: empty, or a URL with no path beyond '/'. */
const optionalUrl = (what: string) =>
  z
    .string()
    .trim()
    .max(2048)
    .refine(
      (value) => value === '' || isHttpUrl(value),
      `The ${what} must be a URL starting with https:// or http://.`,
    );

/** True for an absolute http: or https: URL. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The fields of an account that are stored in the settings file: never a secret. */
export const accountSettingsSchema = z.object({
  id: z.string().min(1).max(100),
  name: z.string().trim().min(1, 'Enter a name for this account.').max(100, 'Keep the name under 100 characters.'),
  provider: z.enum(providerIds),
  credentialSource: z.enum(credentialSources),
  /** The access key ID is an identifier, not a secret; it is shown in the form. */
  accessKeyId: z.string().trim().max(256),
  profile: z.string().trim().max(256),
  /** Empty means: detect it. */
  region: z
    .string()
    .trim()
    .max(64)
    .refine((value) => value === '' || regionPattern.test(value), {
      message: 'A region is lowercase letters, digits and dashes, with no spaces, e.g. us-east-1.',
    }),
  endpoint: optionalUrl('endpoint'),
  pathStyle: z.boolean(),
  shareHost: optionalUrl('share-links host'),
  rootBucket: z
    .string()
    .trim()
    .max(63)
    .refine((value) => value === '' || bucketPattern.test(value), {
      message: 'A bucket name is 3 to 63 lowercase letters, digits, dots and dashes.',
    }),
  rootPrefix: z.string().max(1024),
  caCertFile: z.string().trim().max(4096),
  /**
   * A self-signed server certificate the person chose to trust (PEM, public data), or empty.
   * Pinned as an extra trust anchor for this account only, never by turning verification off.
   */
  trustedCertificatePem: z
    .string()
    .trim()
    .max(16384)
    .refine((value) => value === '' || value.startsWith('-----BEGIN CERTIFICATE-----'), {
      message: 'Not a PEM certificate.',
    }),
  secretStorage: z.enum(['keychain', 'session']),
});

/** An account's stored settings. */
export type AccountSettings = z.infer<typeof accountSettingsSchema>;

/** An account as the renderer sees it: its settings, and whether a secret is stored, never the secret. */
export type AccountSummary = AccountSettings & {
  hasSecret: boolean;
  /** 'saved' in settings, or 'launch': given by the environment the app was started with (read-only). */
  origin: 'saved' | 'launch';
};

/**
 * What the account form submits: the settings (without an id for a new account) and, for
 * typed-in keys, the secret and an optional session token. On an edit, an empty secret
 * keeps the stored one.
 */
export const accountDraftSchema = accountSettingsSchema
  .extend({
    id: z.string().min(1).max(100).optional(),
    secretAccessKey: z.string().max(1024).optional(),
    sessionToken: z.string().max(8192).optional(),
  })
  .superRefine((draft, context) => {
    if (draft.provider !== 'aws' && draft.endpoint === '') {
      context.addIssue({ code: 'custom', path: ['endpoint'], message: 'Enter the endpoint URL of this service.' });
    }
    if (draft.credentialSource === 'static') {
      if (draft.accessKeyId === '') {
        context.addIssue({ code: 'custom', path: ['accessKeyId'], message: 'Enter the access key ID.' });
      }
      if (draft.id === undefined && !draft.secretAccessKey) {
        context.addIssue({ code: 'custom', path: ['secretAccessKey'], message: 'Enter the secret access key.' });
      }
    }
    if (draft.credentialSource === 'profile' && draft.profile === '') {
      context.addIssue({ code: 'custom', path: ['profile'], message: 'Choose a profile.' });
    }
    if (draft.endpoint.includes('{')) {
      context.addIssue({ code: 'custom', path: ['endpoint'], message: 'Replace the {placeholder} in the endpoint.' });
    }
  });

/** The account form's submission (input type: what the form holds). */
export type AccountDraft = z.input<typeof accountDraftSchema>;

/** A new draft filled from a provider preset. */
export function draftFromPreset(provider: ProviderId): AccountDraft {
  const preset = providerPresets[provider];
  return {
    name: '',
    provider,
    credentialSource: 'static',
    accessKeyId: '',
    secretAccessKey: '',
    sessionToken: '',
    profile: '',
    region: preset.defaultRegion,
    endpoint: endpointFor(provider, preset.defaultRegion),
    pathStyle: preset.pathStyle,
    shareHost: '',
    rootBucket: '',
    rootPrefix: '',
    caCertFile: '',
    trustedCertificatePem: '',
    secretStorage: 'keychain',
  };
}

/** A profile found in ~/.aws/config or ~/.aws/credentials. */
export interface AwsProfileSummary {
  name: string;
  /** How the profile gets credentials. */
  kind: 'static' | 'sso' | 'assume-role' | 'process' | 'other';
  region: string | null;
  endpoint: string | null;
}

/** What a connection test found. */
export interface ConnectionTestReport {
  /** Which request proved the connection. */
  method: 'ListBuckets' | 'HeadBucket';
  bucketCount: number | null;
  /** The region the service reported for the root bucket, where it did. */
  region: string | null;
  /** When temporary credentials expire, as ISO 8601, where known. */
  credentialsExpireAt: string | null;
  /**
   * The region the service insisted on, where the account's region was left empty and a request
   * signed for us-east-1 was refused naming another: the form fills it in.
   */
  detectedRegion?: string;
}

/** A server certificate as shown to a person deciding whether to trust it. */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  sha256: string;
  selfSigned: boolean;
  /** The certificate itself (public), which the form sends back when the person trusts it. */
  pem: string;
  /** Why this computer does not trust it, in words ("…: it is self-signed."), or null where it does. */
  problem: string | null;
}

/** Whether secrets can be kept in the OS keychain on this machine. */
export interface KeychainStatus {
  available: boolean;
  /** Why not, where it is not available, in words a person can act on. */
  reason: string | null;
}
