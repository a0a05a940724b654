import '../../styles/transfers.css';
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Icon } from '../../components/icon';
import { useAppStore } from '../../stores/app-store';
import { DownloadDialog } from './download-dialog';
import { carriesFiles } from './local-files';
import { OrphanedUploadsDialog } from './orphaned-uploads-dialog';
import { TransferSettingsDialog } from './transfer-settings-dialog';
import { UploadDialog } from './upload-dialog';

/**
 * The transfer queue's dialogs (what to upload, where to download, what to do with existing
 * names, settings, unfinished uploads), mounted once, and the hint shown while files are dragged.
 */
export function TransferDialogs() {
  const { dialog, close } = useAppStore(
    useShallow((s) => ({ dialog: s.transferDialog, close: s.closeTransferDialog })),
  );
  useDropElsewhereGuard();
  return (
    <>
      <DropHint />
      <UploadDialog />
      <DownloadDialog request={dialog?.kind === 'download' ? dialog : null} onClose={close} />
      <TransferSettingsDialog open={dialog?.kind === 'settings'} onClose={close} />
      <OrphanedUploadsDialog target={dialog?.kind === 'orphaned' ? dialog : null} onClose={close} />
    </>
  );
}

/** "Drop to upload to photos/2024/", floating at the bottom while files are over a target. */
function DropHint() {
  const hint = useAppStore((s) => s.dropHint);
  return (
    <div className="drop-hint" role="status" aria-live="polite" data-visible={hint !== null || undefined}>
      {hint ? (
        <>
          <Icon name="upload" />
          {hint}
        </>
      ) : null}
    </div>
  );
}

/**
 * Files dropped where nothing takes them must not be opened by the browser in place of the app:
 * dragover outside a drop target says "no drop here", and such a drop is swallowed.
 */
function useDropElsewhereGuard(): void {
  useEffect(() => {
    const onDragOver = (event: DragEvent) => {
      if (event.defaultPrevented || !carriesFiles(event.dataTransfer)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'none';
    };
    const onDrop = (event: DragEvent) => {
      if (carriesFiles(event.dataTransfer)) event.preventDefault();
    };
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
    };
  }, []);
}
