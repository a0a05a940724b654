import { AlertDialog, Dialog } from 'radix-ui';
import type { ReactNode } from 'react';
import { IconButton } from '../../components/icon-button';
import { useReturnFocus } from '../../components/return-focus';
import { itemName } from '../../stores/object-actions-slice';
import { fileListFocusTarget } from './browser-commands';

/** Props of FormDialog. */
export interface FormDialogProps {
  open: boolean;
  onClose: () => void;
  title: string;
  description: ReactNode;
  children: ReactNode;
  /** Its width class: 'small' forms, 'wide' tables (versions), and the details, share and bucket settings dialogs. */
  size?: 'small' | 'wide' | 'details' | 'share' | 'settings';
}

/**
 * A modal dialog for a small form (new folder, rename, copy or move, create bucket). Focus goes
 * to the element marked `data-autofocus` and returns, on close, to where it was (the file list
 * when that is gone). A click beside it does not close it: that would lose what was typed.
 */
export function FormDialog({ open, onClose, title, description, children, size = 'small' }: FormDialogProps) {
  const focus = useReturnFocus(fileListFocusTarget);
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        if (!next) onClose();
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content
          className={`dialog dialog--${size}`}
          onInteractOutside={(event) => event.preventDefault()}
          onOpenAutoFocus={(event) => {
            focus.remember();
            event.preventDefault();
            // The marked control, else the dialog itself (the versions table has none while it
            // loads): focus must not stay behind a modal dialog, where Escape would also reach the list.
            const content = event.currentTarget as HTMLElement;
            (content.querySelector<HTMLElement>('[data-autofocus]') ?? content).focus();
          }}
          onCloseAutoFocus={focus.restore}
        >
          <div className="dialog__header">
            <div className="dialog__heading">
              <Dialog.Title className="dialog__title">{title}</Dialog.Title>
              <Dialog.Description className="dialog__description">{description}</Dialog.Description>
            </div>
            <Dialog.Close asChild>
              <IconButton label="Close" icon="close" />
            </Dialog.Close>
          </div>
          {open ? children : null}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** Props of ConfirmDialog. */
export interface ConfirmDialogProps {
  open: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
}

/** A modal alert dialog that asks before something that cannot be undone (a delete). */
export function ConfirmDialog({ open, onClose, title, children }: ConfirmDialogProps) {
  const focus = useReturnFocus(fileListFocusTarget);
  return (
    <AlertDialog.Root
      open={open}
      onOpenChange={(next) => {
        if (!next) onClose();
      }}
    >
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog-overlay" />
        <AlertDialog.Content
          className="dialog dialog--alert"
          onOpenAutoFocus={focus.remember}
          onCloseAutoFocus={focus.restore}
        >
          <div className="dialog__header">
            <AlertDialog.Title className="dialog__title">{title}</AlertDialog.Title>
          </div>
          {open ? children : null}
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}

/** How many names a confirmation lists before "and N more". */
const NAMES_SHOWN = 5;

/** The names a confirmation acts on (folders with their '/'), the first few and how many more; nothing for one. */
export function ConfirmNames({ keys, label }: { keys: readonly string[]; label: string }) {
  if (keys.length <= 1) return null;
  return (
    <ul className="dialog__names" aria-label={label}>
      {keys.slice(0, NAMES_SHOWN).map((key) => (
        <li key={key}>{itemName(key) + (key.endsWith('/') ? '/' : '')}</li>
      ))}
      {keys.length > NAMES_SHOWN ? <li>and {(keys.length - NAMES_SHOWN).toLocaleString()} more</li> : null}
    </ul>
  );
}
