import { whyOptionsUnavailable, type ServiceCapabilities } from '../../../shared/capabilities';
import {
  metadataKeySchema,
  transferSettingsSchema,
  uploadOptionsSchema,
  type cannedAcls,
  type storageClasses,
  type TransferSettings,
} from '../../../shared/transfers';
import type { KeyValueRow } from '../../components/key-value-rows';
import type { UploadOptions } from '../../stores/transfers-slice';

/** The upload options as the form holds them: strings and rows, before they become the contract's object. */
export interface UploadOptionsDraft {
  /** '' leaves it to the service (usually STANDARD). */
  storageClass: '' | (typeof storageClasses)[number];
  acl: (typeof cannedAcls)[number];
  /** '' guesses each file's type from its name. */
  contentType: string;
  metadata: KeyValueRow[];
  encryption: 'none' | 'SSE-S3' | 'SSE-KMS' | 'SSE-C';
  kmsKeyId: string;
}

/** The defaults: private, no metadata, the service's storage class and encryption. */
export const defaultUploadOptions: UploadOptionsDraft = {
  storageClass: '',
  acl: 'private',
  contentType: '',
  metadata: [],
  encryption: 'none',
  kmsKeyId: '',
};

/** Where a problem is, so the form shows it under the right field. */
export type UploadOptionsField = 'contentType' | 'metadata' | 'kmsKeyId' | 'storageClass' | 'acl';

/**
 * Turns the form into the contract's upload options, checked with the same schema main applies;
 * on failure, one message per field.
 */
export function uploadOptionsFrom(
  draft: UploadOptionsDraft,
): { ok: true; options: UploadOptions } | { ok: false; errors: Partial<Record<UploadOptionsField, string>> } {
  const errors: Partial<Record<UploadOptionsField, string>> = {};
  const rows = draft.metadata.filter((row) => row.key.trim() !== '' || row.value !== '');
  const keys = rows.map((row) => row.key.trim().toLowerCase());
  const duplicate = keys.find((key, i) => keys.indexOf(key) !== i);
  if (duplicate !== undefined) errors.metadata = `The metadata key “${duplicate}” is given twice.`;
  // Each key on its own first: a record's key error alone would not say what is wrong with it.
  for (const row of rows) {
    const key = metadataKeySchema.safeParse(row.key.trim());
    if (!key.success) errors.metadata ??= `“${row.key.trim()}”: ${key.error.issues[0]?.message ?? 'not a valid key.'}`;
  }
  const candidate = {
    ...(draft.storageClass ? { storageClass: draft.storageClass } : {}),
    ...(draft.contentType.trim() ? { contentType: draft.contentType.trim() } : {}),
    acl: draft.acl,
    metadata: Object.fromEntries(rows.map((row) => [row.key.trim(), row.value])),
    encryption:
      draft.encryption === 'SSE-KMS'
        ? { mode: 'SSE-KMS', kmsKeyId: draft.kmsKeyId.trim() }
        : { mode: draft.encryption },
  };
  const parsed = uploadOptionsSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const top = issue.path[0];
      const field: UploadOptionsField =
        top === 'encryption'
          ? 'kmsKeyId'
          : top === 'contentType' || top === 'storageClass' || top === 'acl'
            ? top
            : 'metadata';
      errors[field] ??= issue.message;
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, options: parsed.data };
}

/** The options a service may lack: access lists, a storage class, an encryption. */
export type CapabilityField = 'acl' | 'storageClass' | 'encryption';

/**
 * Which of the form's choices this service cannot honour, one sentence per field (the words main
 * would refuse them with). Empty before the model is known. The selects disable such choices, so
 * this only finds one chosen before the model arrived or before the service taught otherwise.
 */
export function uploadOptionProblems(
  model: ServiceCapabilities | null,
  draft: UploadOptionsDraft,
): Partial<Record<CapabilityField, string>> {
  if (!model) return {};
  const problems: Partial<Record<CapabilityField, string>> = {};
  const acl = whyOptionsUnavailable(model, { acl: draft.acl });
  if (acl) problems.acl = acl;
  const storageClass = whyOptionsUnavailable(model, { storageClass: draft.storageClass || undefined });
  if (storageClass) problems.storageClass = storageClass;
  const encryption = whyOptionsUnavailable(model, { encryption: { mode: draft.encryption } });
  if (encryption) problems.encryption = encryption;
  return problems;
}

/**
 * The last check of checked options before anything is queued: the sentence main would refuse
 * them with (the shared whyOptionsUnavailable), or undefined where the service takes them (or may).
 */
export function uploadOptionsUnavailable(
  model: ServiceCapabilities | null,
  options: UploadOptions,
): string | undefined {
  if (!model) return undefined;
  return whyOptionsUnavailable(model, {
    acl: options.acl ?? 'private',
    storageClass: options.storageClass,
    encryption: options.encryption ?? { mode: 'none' },
  });
}

/** The settings form: every field a string as typed. */
export type TransferSettingsDraft = Record<keyof TransferSettings, string>;

/** The form's text from saved settings. */
export function settingsDraft(settings: TransferSettings): TransferSettingsDraft {
  return {
    multipartThresholdMiB: String(settings.multipartThresholdMiB),
    partSizeMiB: String(settings.partSizeMiB),
    partsInParallel: String(settings.partsInParallel),
    filesInParallel: String(settings.filesInParallel),
    maxRetries: String(settings.maxRetries),
  };
}

/** Checks the settings form with the contract's schema: the settings, or one message per field. */
export function settingsFrom(
  draft: TransferSettingsDraft,
): { ok: true; settings: TransferSettings } | { ok: false; errors: Partial<Record<keyof TransferSettings, string>> } {
  const numbers = Object.fromEntries(
    Object.entries(draft).map(([key, text]) => [key, text.trim() === '' ? Number.NaN : Number(text)]),
  );
  const parsed = transferSettingsSchema.safeParse(numbers);
  if (parsed.success) return { ok: true, settings: parsed.data };
  const errors: Partial<Record<keyof TransferSettings, string>> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as keyof TransferSettings;
    errors[field] ??= issueText(issue);
  }
  return { ok: false, errors };
}

/** zod's messages for numbers, in the words the rest of the app uses. */
function issueText(issue: { code: string; message: string; minimum?: unknown; maximum?: unknown }): string {
  if (issue.code === 'invalid_type') return 'Enter a whole number.';
  if (issue.code === 'too_small' && !/S3/.test(issue.message)) return `Enter at least ${String(issue.minimum)}.`;
  if (issue.code === 'too_big' && !/S3/.test(issue.message)) return `Enter at most ${String(issue.maximum)}.`;
  return issue.message;
}
