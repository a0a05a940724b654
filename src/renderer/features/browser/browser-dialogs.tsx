import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../../stores/app-store';
import { BucketSettingsDialog } from '../bucket-settings/bucket-settings-dialog';
import { CreateBucketDialog, DeleteBucketDialog } from './bucket-dialogs';
import { LinkAccountDialog } from './link-account-dialog';
import { DeleteForGoodDialog } from './deleted-files-dialogs';
import { DeleteDialog, NewFolderDialog, RenameDialog } from './object-dialogs';
import { TransferDialog } from './transfer-dialog';
import { CrossAccountDialog } from './cross-account-dialog';
import { VersionsDialog } from './versions-dialog';
import { SyncDialog } from '../sync/sync-dialog';

/** The file browser's dialogs, mounted once at the root; the store says which one is open and what for. */
export function BrowserDialogs() {
  const { dialog, close } = useAppStore(useShallow((s) => ({ dialog: s.browserDialog, close: s.closeBrowserDialog })));
  return (
    <>
      <NewFolderDialog location={dialog?.kind === 'new-folder' ? dialog.location : null} onClose={close} />
      <RenameDialog target={dialog?.kind === 'rename' ? dialog : null} onClose={close} />
      <DeleteDialog target={dialog?.kind === 'delete' ? dialog : null} onClose={close} />
      <TransferDialog request={dialog?.kind === 'transfer' ? dialog : null} onClose={close} />
      <CrossAccountDialog request={dialog?.kind === 'transfer-across' ? dialog : null} onClose={close} />
      <CreateBucketDialog accountId={dialog?.kind === 'create-bucket' ? dialog.accountId : null} onClose={close} />
      <DeleteBucketDialog target={dialog?.kind === 'delete-bucket' ? dialog : null} onClose={close} />
      <VersionsDialog target={dialog?.kind === 'versions' ? dialog : null} onClose={close} />
      <LinkAccountDialog request={dialog?.kind === 'choose-account' ? dialog : null} onClose={close} />
      <DeleteForGoodDialog target={dialog?.kind === 'delete-for-good' ? dialog : null} onClose={close} />
      <SyncDialog location={dialog?.kind === 'sync' ? dialog.location : null} onClose={close} />
      <BucketSettingsDialog target={dialog?.kind === 'bucket-settings' ? dialog : null} onClose={close} />
    </>
  );
}
