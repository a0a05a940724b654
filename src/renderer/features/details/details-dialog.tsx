import { Dialog } from 'radix-ui';
import type { ReactNode } from 'react';
import { IconButton } from '../../components/icon-button';
import { useReturnFocus } from '../../components/return-focus';
import { fileListFocusTarget } from '../browser/browser-commands';

/**
 * A modal dialog opened from the details panel (edit properties, edit tags, the encryption
 * key). Focus goes to the element marked `data-autofocus`, and back on close; a click beside it
 * does not close it, which would lose what was typed.
 */
export function DetailsDialog({
  open,
  onClose,
  title,
  description,
  children,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  description: ReactNode;
  children: ReactNode;
}) {
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
          className="dialog dialog--details"
          onInteractOutside={(event) => event.preventDefault()}
          onOpenAutoFocus={(event) => {
            focus.remember();
            event.preventDefault();
            (event.currentTarget as HTMLElement).querySelector<HTMLElement>('[data-autofocus]')?.focus();
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
