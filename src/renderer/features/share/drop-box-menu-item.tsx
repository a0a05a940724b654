import { ContextMenu } from 'radix-ui';
import { whyUnavailable } from '../../../shared/capabilities';
import { Icon } from '../../components/icon';
import { useAppStore } from '../../stores/app-store';
import type { BrowserLocation } from '../../stores/selection-slice';
import { useBucketCapabilities } from '../capabilities/use-capabilities';

/**
 * "Create drop box…" in a context menu (the sidebar's bucket menu): disabled, with the reason as
 * its description, where the service takes no POST forms. Rendered only while the menu is open,
 * so a bucket's capabilities are read (and probed) only when someone looks.
 */
export function DropBoxMenuItem({ location, beforeOpen }: { location: BrowserLocation; beforeOpen: () => void }) {
  const openDropBox = useAppStore((s) => s.openDropBox);
  const model = useBucketCapabilities(location.accountId, location.bucket);
  const missing = model ? whyUnavailable(model, 'postPolicy') : undefined;
  return (
    <ContextMenu.Item
      className="menu__item"
      disabled={missing !== undefined}
      aria-description={missing !== undefined ? `${missing} A drop box needs them.` : undefined}
      onSelect={() => {
        beforeOpen();
        openDropBox(location);
      }}
    >
      <Icon name="upload" className="menu__icon" />
      Create drop box…
    </ContextMenu.Item>
  );
}
