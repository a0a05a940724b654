import type { ComponentType } from 'react';
import type { CapabilityId, ServiceCapabilities } from '../../../shared/capabilities';
import { CorsSection } from '../bucket-rules/cors-section';
import { LifecycleSection } from '../bucket-rules/lifecycle-section';
import { ObjectLockSection } from '../bucket-rules/object-lock-section';
import { WebsiteSection } from '../bucket-rules/website-section';
import { AclSection } from './acl-section';
import { EncryptionSection } from './encryption-section';
import { PolicySection } from './policy-section';
import { PublicAccessSection } from './public-access-section';
import { TagsSection } from './tags-section';
import type { UnsupportedMode } from './unsupported-text';

/** What the shell gives every section. */
export interface SectionProps {
  accountId: string;
  bucket: string;
  /** The bucket's capability model; null until it is known (then everything may work: main checks). */
  capabilities: ServiceCapabilities | null;
  /** True where the service lacks the section's feature and the section is 'read-only': show, offer no change. */
  readOnly: boolean;
}

/** One section of the "Bucket settings" view. */
export interface BucketSettingsSection {
  /** Stable id: the tab's value, and what `openBucketSettings(…, section)` names. */
  id: string;
  /** The tab's and the panel's title. */
  title: string;
  /** The capability the section needs (src/shared/capabilities.ts), or null where every service has it. */
  capability: CapabilityId | null;
  /** Where the service lacks it: show what can be read without changes ('read-only'), or only why ('hidden'). */
  whenUnsupported: UnsupportedMode;
  component: ComponentType<SectionProps>;
}

/**
 * The sections of the "Bucket settings" view, in the order shown: the one list the view is
 * built from. To add a section:
 *
 * 1. Put its channels in a contract file in `src/shared/` (`bucket-settings-contract.ts` has
 *    the access sections'; a new group may have its own file in the `bucketSettings.` domain),
 *    spread into `contract.ts`, with zod schemas for every input; handlers go under
 *    `src/main/services/` and check the capability model first (`whyUnavailable`) and learn
 *    from the answer after (`capabilities.lacks`), as `bucket-settings-handlers.ts` does.
 * 2. Add the capability id it needs to `src/shared/capabilities.ts` (a label, a seed per
 *    provider, and a probe in `services/capabilities/probes.ts` where one GET tells).
 * 3. Write its component (it gets SectionProps) and add one entry here. The shell draws the
 *    tab and the panel, and where the service lacks the capability it says so once, in words
 *    ("MinIO does not support …, so this section is hidden: …"), instead of the component
 *    ('hidden') or above it with `readOnly` set ('read-only').
 * 4. Add its row to the table in `docs/bucket-settings.md`, and an e2e journey.
 */
export const bucketSettingsSections: readonly BucketSettingsSection[] = [
  {
    id: 'policy',
    title: 'Bucket policy',
    capability: 'bucketPolicy',
    whenUnsupported: 'hidden',
    component: PolicySection,
  },
  {
    id: 'public-access',
    title: 'Block public access',
    capability: 'publicAccessBlock',
    whenUnsupported: 'hidden',
    component: PublicAccessSection,
  },
  {
    id: 'encryption',
    title: 'Default encryption',
    capability: 'defaultEncryption',
    whenUnsupported: 'hidden',
    component: EncryptionSection,
  },
  { id: 'tags', title: 'Tags', capability: 'bucketTagging', whenUnsupported: 'hidden', component: TagsSection },
  { id: 'acl', title: 'Access list (ACL)', capability: 'acl', whenUnsupported: 'hidden', component: AclSection },
  { id: 'cors', title: 'CORS rules', capability: 'bucketCors', whenUnsupported: 'hidden', component: CorsSection },
  {
    id: 'lifecycle',
    title: 'Lifecycle rules',
    capability: 'lifecycle',
    whenUnsupported: 'hidden',
    component: LifecycleSection,
  },
  {
    id: 'object-lock',
    title: 'Object Lock',
    capability: 'objectLock',
    whenUnsupported: 'hidden',
    component: ObjectLockSection,
  },
  {
    id: 'website',
    title: 'Static website',
    capability: 'website',
    whenUnsupported: 'hidden',
    component: WebsiteSection,
  },
];
