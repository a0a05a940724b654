import { capabilityLabels, type CapabilityId } from '../../../shared/capabilities';

/** What an unsupported section does: shows what it can read without offering changes, or shows only why. */
export type UnsupportedMode = 'read-only' | 'hidden';

/**
 * The sentence an unsupported section shows, written once for every section: which service
 * lacks what, what that makes of the section, and why (the capability model's own sentence).
 * "MinIO does not support blocking public access, so this section is hidden: MinIO has no …".
 */
export function unsupportedText(service: string, feature: CapabilityId, mode: UnsupportedMode, reason: string): string {
  const what = mode === 'hidden' ? 'so this section is hidden' : 'so this section is read-only';
  const generic = reason.startsWith('This service does not support');
  // The model's generic sentence says the same thing as the lead-in: say it once.
  if (generic) return `${service} does not support ${capabilityLabels[feature]}, ${what}.`;
  return `${service} does not support ${capabilityLabels[feature]}, ${what}: ${reason}`;
}
