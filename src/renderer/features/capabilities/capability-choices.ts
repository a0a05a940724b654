import {
  whyOptionsUnavailable,
  whyUnavailable,
  type CapabilityId,
  type ServiceCapabilities,
} from '../../../shared/capabilities';
import { cannedAcls, storageClasses, type EncryptionChoice } from '../../../shared/transfers';

/**
 * Which choices a form offers for one service, from its capability model: a choice the service
 * lacks stays in the list, disabled, with the sentence that says why, so the person learns why
 * instead of pressing something main would refuse. A model that is not known yet (null) offers
 * everything: main still checks, and unknown features are tried.
 */

/** One choice of a select: its value, and where the service cannot take it, why. */
export interface OfferedChoice<Value extends string> {
  value: Value;
  /** The sentence to show; undefined where the service takes it (or may). */
  unavailable?: string | undefined;
}

/** A canned ACL. */
export type CannedAclValue = (typeof cannedAcls)[number];

/** A storage class the app knows. */
export type StorageClassValue = (typeof storageClasses)[number];

/** An encryption mode of an upload or copy. */
export type EncryptionMode = EncryptionChoice['mode'];

/** The encryption modes, in the order the selects list them. */
export const encryptionModes: readonly EncryptionMode[] = ['none', 'SSE-S3', 'SSE-KMS', 'SSE-C'];

/** Each encryption mode as the selects name it. */
export const encryptionLabels: Record<EncryptionMode, string> = {
  none: 'The bucket’s default',
  'SSE-S3': 'SSE-S3 (keys managed by the service)',
  'SSE-KMS': 'SSE-KMS (a KMS key)',
  'SSE-C': 'SSE-C (your own key)',
};

const encryptionCapability: Record<EncryptionMode, CapabilityId | null> = {
  none: null,
  'SSE-S3': 'sseS3',
  'SSE-KMS': 'sseKms',
  'SSE-C': 'sseC',
};

/** Every canned ACL; all but private unavailable where the service keeps no ACLs ("private" sends no header). */
export function aclChoices(model: ServiceCapabilities | null): OfferedChoice<CannedAclValue>[] {
  const lacking = model ? whyUnavailable(model, 'acl') : undefined;
  return cannedAcls.map((value) => ({ value, unavailable: value === 'private' ? undefined : lacking }));
}

/** Every encryption mode; those the service lacks unavailable ("none" leaves it to the bucket, always possible). */
export function encryptionChoices(model: ServiceCapabilities | null): OfferedChoice<EncryptionMode>[] {
  return encryptionModes.map((value) => {
    const needed = encryptionCapability[value];
    return { value, unavailable: model && needed ? whyUnavailable(model, needed) : undefined };
  });
}

/**
 * The storage classes to list: the service's own where the model names them (in the app's
 * order), else every class. A class already chosen that the service does not offer stays in the
 * list, unavailable, so the select never shows a value it does not have.
 */
export function storageClassChoices(
  model: ServiceCapabilities | null,
  chosen: string = '',
): OfferedChoice<StorageClassValue>[] {
  const offered = model?.storageClasses ?? [];
  return storageClasses.flatMap((value) => {
    if (offered.length === 0 || offered.includes(value)) return [{ value }];
    if (value !== chosen || !model) return [];
    return [{ value, unavailable: whyOptionsUnavailable(model, { storageClass: value }) }];
  });
}

/** The distinct reasons of a list's unavailable choices, as one hint; undefined where every choice is available. */
export function unavailableHint(choices: readonly OfferedChoice<string>[]): string | undefined {
  const reasons = [...new Set(choices.flatMap((choice) => (choice.unavailable ? [choice.unavailable] : [])))];
  return reasons.length > 0 ? reasons.join(' ') : undefined;
}

/** Whether a value is offered and available in a list of choices. */
export function isAvailable(choices: readonly OfferedChoice<string>[], value: string): boolean {
  return choices.some((choice) => choice.value === value && !choice.unavailable);
}
