import { Tooltip } from 'radix-ui';
import { Group, Panel, useDefaultLayout } from 'react-resizable-panels';
import { layoutStorage } from './components/layout-storage';
import { ResizeHandle } from './components/resize-handle';
import { Toaster } from './components/toaster';
import { AccountDialog } from './features/accounts/account-dialog';
import { AccountsSidebar } from './features/accounts/accounts-sidebar';
import { RemoveAccountDialog } from './features/accounts/remove-account-dialog';
import { BrowserDialogs } from './features/browser/browser-dialogs';
import { FileBrowser } from './features/browser/file-browser';
import { DetailsPanel } from './features/details/details-panel';
import { ShareDialogs } from './features/share/share-dialogs';
import { TransferDialogs } from './features/transfers/transfer-dialogs';
import { TransfersPanel } from './features/transfers/transfers-panel';

/**
 * The window: sidebar | (file list | details) over transfers, every border a resizable,
 * keyboard-operable separator. Pane sizes are remembered per window origin.
 */
export function App() {
  return (
    <Tooltip.Provider delayDuration={500} skipDelayDuration={200}>
      <Workbench />
      <AccountDialog />
      <RemoveAccountDialog />
      <BrowserDialogs />
      <TransferDialogs />
      <ShareDialogs />
      <Toaster />
    </Tooltip.Provider>
  );
}

// Panes scroll their own bodies (headers stay put), so the panel itself must not scroll.
const paneStyle = { overflow: 'hidden' } as const;

function Workbench() {
  // Sizes in pixels for the side panes, so they keep their width when the window grows;
  // the file list takes what is left.
  const columns = useRememberedLayout('s3fm.layout.columns');
  const rows = useRememberedLayout('s3fm.layout.rows');
  const content = useRememberedLayout('s3fm.layout.content');

  return (
    <div className="workbench">
      <Group orientation="horizontal" id="layout-columns" className="panel-group" {...columns}>
        <Panel
          id="sidebar-panel"
          defaultSize="248px"
          minSize="160px"
          maxSize="45%"
          groupResizeBehavior="preserve-pixel-size"
          className="panel"
          style={paneStyle}
        >
          <AccountsSidebar />
        </Panel>
        <ResizeHandle label="Resize sidebar" />
        <Panel id="workspace-panel" minSize="320px" className="panel" style={paneStyle}>
          <Group orientation="vertical" id="layout-rows" className="panel-group" {...rows}>
            <Panel id="content-panel" minSize="160px" className="panel" style={paneStyle}>
              <Group orientation="horizontal" id="layout-content" className="panel-group" {...content}>
                <Panel id="files-panel" minSize="240px" className="panel" style={paneStyle}>
                  <FileBrowser />
                </Panel>
                <ResizeHandle label="Resize details panel" />
                <Panel
                  id="details-panel"
                  defaultSize="280px"
                  minSize="180px"
                  maxSize="50%"
                  groupResizeBehavior="preserve-pixel-size"
                  className="panel"
                  style={paneStyle}
                >
                  <DetailsPanel />
                </Panel>
              </Group>
            </Panel>
            <ResizeHandle label="Resize transfers panel" />
            <Panel
              id="transfers-panel"
              defaultSize="168px"
              minSize="80px"
              maxSize="70%"
              groupResizeBehavior="preserve-pixel-size"
              className="panel"
              style={paneStyle}
            >
              <TransfersPanel />
            </Panel>
          </Group>
        </Panel>
      </Group>
    </div>
  );
}

/** A group's saved sizes, saved again only when the person resizes (not when the window does). */
function useRememberedLayout(id: string) {
  const { defaultLayout, onLayoutChanged } = useDefaultLayout({
    id,
    storage: layoutStorage,
    onlySaveAfterUserInteractions: true,
  });
  return { defaultLayout, onLayoutChanged };
}
