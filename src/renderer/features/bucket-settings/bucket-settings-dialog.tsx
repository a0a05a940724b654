import { Tabs } from 'radix-ui';
import { useId, useState } from 'react';
import { providerPresets } from '../../../shared/accounts';
import { whyUnavailable } from '../../../shared/capabilities';
import { useAppStore } from '../../stores/app-store';
import { FormDialog } from '../browser/dialog-frame';
import { useBucketCapabilities } from '../capabilities/use-capabilities';
import { bucketSettingsSections, type BucketSettingsSection } from './sections';
import { unsupportedText } from './unsupported-text';
import '../../styles/bucket-settings.css';

/** Which bucket's settings are open, and at which section. */
export interface BucketSettingsTarget {
  accountId: string;
  bucket: string;
  section?: string;
}

/**
 * "Bucket settings": one dialog with a tab per section of the registry (sections.ts), opened from
 * the bucket's context menu in the sidebar and from the bucket's properties in the details panel.
 * Each section reads the capability model: where the service lacks its feature, the shell says so
 * (the service, the feature, and the model's reason) and shows the section read-only or not at all.
 */
export function BucketSettingsDialog({
  target,
  onClose,
}: {
  target: BucketSettingsTarget | null;
  onClose: () => void;
}) {
  return (
    <FormDialog
      open={target !== null}
      onClose={onClose}
      title="Bucket settings"
      description={target ? `Access and protection settings of “${target.bucket}”.` : ''}
      size="settings"
    >
      {target ? <BucketSettingsTabs key={`${target.accountId}/${target.bucket}`} target={target} /> : null}
    </FormDialog>
  );
}

function BucketSettingsTabs({ target }: { target: BucketSettingsTarget }) {
  const { accountId, bucket } = target;
  const capabilities = useBucketCapabilities(accountId, bucket);
  const provider = useAppStore((s) => s.accounts.find((a) => a.id === accountId)?.provider ?? 'other');
  const service = provider === 'other' ? 'This service' : providerPresets[provider].label;
  const [section, setSection] = useState(target.section ?? bucketSettingsSections[0]?.id ?? '');
  return (
    <Tabs.Root value={section} onValueChange={setSection} orientation="vertical" className="settings-tabs">
      <Tabs.List className="settings-tabs__list" aria-label="Settings">
        {bucketSettingsSections.map((entry) => {
          const missing = entry.capability && capabilities ? whyUnavailable(capabilities, entry.capability) : undefined;
          return (
            <Tabs.Trigger key={entry.id} value={entry.id} className="settings-tabs__tab">
              <span>{entry.title}</span>
              {missing !== undefined ? <span className="settings-tabs__note">Not supported</span> : null}
            </Tabs.Trigger>
          );
        })}
      </Tabs.List>
      {bucketSettingsSections.map((entry) => (
        <Tabs.Content key={entry.id} value={entry.id} className="settings-tabs__panel">
          <SectionPanel entry={entry} accountId={accountId} bucket={bucket} service={service} />
        </Tabs.Content>
      ))}
    </Tabs.Root>
  );
}

/** One section's panel: its title, the "not supported" sentence where the service lacks it, and its content. */
function SectionPanel({
  entry,
  accountId,
  bucket,
  service,
}: {
  entry: BucketSettingsSection;
  accountId: string;
  bucket: string;
  service: string;
}) {
  const capabilities = useBucketCapabilities(accountId, bucket);
  const headingId = useId();
  const missing = entry.capability && capabilities ? whyUnavailable(capabilities, entry.capability) : undefined;
  const Section = entry.component;
  return (
    <section className="settings-section" aria-labelledby={headingId}>
      <h3 id={headingId} className="settings-section__title">
        {entry.title}
      </h3>
      {missing !== undefined && entry.capability ? (
        <p className="callout callout--note settings-section__unsupported">
          {unsupportedText(service, entry.capability, entry.whenUnsupported, missing)}
        </p>
      ) : null}
      {missing === undefined || entry.whenUnsupported === 'read-only' ? (
        <Section accountId={accountId} bucket={bucket} capabilities={capabilities} readOnly={missing !== undefined} />
      ) : null}
    </section>
  );
}
