import { Tabs } from 'radix-ui';
import { useShallow } from 'zustand/react/shallow';
import { lastSegment } from '../../../shared/names';
import { useAppStore } from '../../stores/app-store';
import type { ShareRequest } from '../../stores/share-slice';
import '../../styles/share.css';
import { FormDialog } from '../browser/dialog-frame';
import { formatLocation } from '../browser/parse-location';
import { DownloadLinkTab } from './download-link-tab';
import { DropBoxDialogs } from './drop-box-dialog';
import { LinksList } from './links-list';
import { OtherUrlsTab } from './other-urls-tab';
import { UploadLinkTab } from './upload-link-tab';

/** The share link dialogs, mounted once at the root; the store says when each is open and for what. */
export function ShareDialogs() {
  const { request, close } = useAppStore(useShallow((s) => ({ request: s.shareDialog, close: s.closeShareDialog })));
  return (
    <>
      <ShareDialog request={request} onClose={close} />
      <DropBoxDialogs />
    </>
  );
}

function titleOf(request: ShareRequest): string {
  const [first] = request.keys;
  return request.keys.length === 1 && first !== undefined
    ? `Share “${lastSegment(first)}”`
    : `Share ${request.keys.length.toLocaleString()} files`;
}

/**
 * "Share": download links for the chosen files, upload links for their folder, the plain
 * URLs, and the list of links made. Opened from "Copy link" (toolbar, context menu,
 * Ctrl/Cmd+Shift+L) with the focus on its own "Copy link", so Enter copies a one-hour link.
 */
function ShareDialog({ request, onClose }: { request: ShareRequest | null; onClose: () => void }) {
  return (
    <FormDialog
      open={request !== null}
      onClose={onClose}
      size="share"
      title={request ? titleOf(request) : 'Share'}
      description={request ? `In ${formatLocation(request.location.bucket, request.location.prefix)}` : ''}
    >
      {request ? (
        // Keyed by what it shares: a dialog opened for other files starts afresh.
        <Tabs.Root key={JSON.stringify(request)} defaultValue="download" className="share-tabs">
          <Tabs.List className="share-tabs__list" aria-label="Kinds of links">
            <Tabs.Trigger value="download" className="share-tabs__tab">
              Download link
            </Tabs.Trigger>
            <Tabs.Trigger value="upload" className="share-tabs__tab">
              Upload link
            </Tabs.Trigger>
            <Tabs.Trigger value="urls" className="share-tabs__tab">
              Other URLs
            </Tabs.Trigger>
            <Tabs.Trigger value="links" className="share-tabs__tab">
              Links made
            </Tabs.Trigger>
          </Tabs.List>
          <div className="dialog__body share-tabs__body">
            <Tabs.Content value="download">
              <DownloadLinkTab request={request} />
            </Tabs.Content>
            <Tabs.Content value="upload">
              <UploadLinkTab request={request} />
            </Tabs.Content>
            <Tabs.Content value="urls">
              <OtherUrlsTab request={request} />
            </Tabs.Content>
            <Tabs.Content value="links">
              <LinksList />
            </Tabs.Content>
          </div>
        </Tabs.Root>
      ) : null}
      <div className="dialog__footer">
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            Done
          </button>
        </div>
      </div>
    </FormDialog>
  );
}
