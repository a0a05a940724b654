import { Tooltip } from 'radix-ui';
import { Group, Panel, useDefaultLayout } from 'react-resizable-panels';
import { layoutStorage } from './components/layout-storage';
import { ResizeHandle } from './components/resize-handle';
import { PaneRail, SidePanesProvider, useSidePanes } from './components/side-pane-controls';
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
import { UpdateNotice } from './features/updates/update-notice';

/**
 * The window: sidebar | (file list | details) over transfers, every border a resizable,
 * keyboard-operable separator. Pane sizes are remembered per window origin. The sidebar and the
 * details collapse to rails when hidden, and in a narrow window only one of them is expanded
 * (components/side-panes.ts), so the file list keeps most of the width.
 */
export function App() {
  return (
    <Tooltip.Provider delayDuration={500} skipDelayDuration={200}>
      <SidePanesProvider>
        <Workbench />
      </SidePanesProvider>
      <AccountDialog />
      <RemoveAccountDialog />
      <BrowserDialogs />
      <TransferDialogs />
      <ShareDialogs />
      <Toaster />
      <UpdateNotice />
    </Tooltip.Provider>
  );
}

// Panes scroll their own bodies (headers stay put), so the panel itself must not scroll.
const paneStyle = { overflow: 'hidden' } as const;

function Workbench() {
  const { expanded } = useSidePanes();
  // Sizes in pixels for the side panes, so they keep their width when the window grows;
  // the file list takes what is left. Each set of panes shown has its own remembered sizes.
  const columns = useRememberedLayout(
    's3fm.layout.columns',
    expanded.sidebar ? ['sidebar-panel', 'workspace-panel'] : ['workspace-panel'],
  );
  const rows = useRememberedLayout('s3fm.layout.rows', ['content-panel', 'transfers-panel']);
  const content = useRememberedLayout(
    's3fm.layout.content',
    expanded.details ? ['files-panel', 'details-panel'] : ['files-panel'],
  );

  // A collapsed side pane is a rail outside its panel group, so the list takes its width; the
  // groups themselves stay where they are in the tree, so the file list is never mounted again.
  return (
    <div className="workbench">
      {expanded.sidebar ? null : <PaneRail pane="sidebar" />}
      <Group orientation="horizontal" id="layout-columns" className="panel-group" {...columns}>
        {expanded.sidebar ? (
          <>
            <Panel
              id="sidebar-panel"
              defaultSize="248px"
              minSize="160px"
              maxSize="40%"
              groupResizeBehavior="preserve-pixel-size"
              className="panel"
              style={paneStyle}
            >
              <AccountsSidebar />
            </Panel>
            <ResizeHandle label="Resize sidebar" />
          </>
        ) : null}
        <Panel id="workspace-panel" minSize="320px" className="panel" style={paneStyle}>
          <Group orientation="vertical" id="layout-rows" className="panel-group" {...rows}>
            <Panel id="content-panel" minSize="160px" className="panel" style={paneStyle}>
              <div className="content-row">
                <Group orientation="horizontal" id="layout-content" className="panel-group" {...content}>
                  <Panel id="files-panel" minSize="240px" className="panel" style={paneStyle}>
                    <FileBrowser />
                  </Panel>
                  {expanded.details ? (
                    <>
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
                    </>
                  ) : null}
                </Group>
                {expanded.details ? null : <PaneRail pane="details" />}
              </div>
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
function useRememberedLayout(id: string, panelIds: string[]) {
  const { defaultLayout, onLayoutChanged } = useDefaultLayout({
    id,
    panelIds,
    storage: layoutStorage,
    onlySaveAfterUserInteractions: true,
  });
  return { defaultLayout, onLayoutChanged };
}
