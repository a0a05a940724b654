import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../../stores/app-store';
import { BrowserToolbar } from './browser-toolbar';

/** The main area: the toolbar and, for now, a placeholder that names the selected bucket. */
export function FileBrowser() {
  const { bucket, accountName } = useAppStore(
    useShallow((s) => {
      const selection = s.selection;
      return {
        bucket: selection?.kind === 'bucket' ? selection.bucket : null,
        accountName: s.accounts.find((a) => a.id === selection?.accountId)?.name ?? null,
      };
    }),
  );

  return (
    <main aria-label="Files" className="pane file-browser">
      <BrowserToolbar />
      <div className="pane-body file-browser__body">
        {bucket ? (
          <>
            <header className="file-browser__header">
              <h1 className="file-browser__title">{bucket}</h1>
              {accountName ? <p className="file-browser__subtitle">{accountName}</p> : null}
            </header>
            <div className="placeholder">
              <p>The objects in this bucket will be listed here.</p>
            </div>
          </>
        ) : (
          <div className="placeholder placeholder--center">
            <h1 className="placeholder__title">Select a bucket</h1>
            <p>
              {accountName
                ? `Choose one of the buckets of ${accountName} in the sidebar.`
                : 'Choose a bucket in the sidebar to see its files.'}
            </p>
          </div>
        )}
      </div>
    </main>
  );
}
