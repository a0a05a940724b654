import { ContextMenu, DropdownMenu } from 'radix-ui';
import type { ReactElement } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AccountSummary } from '../../../shared/accounts';
import { Icon } from '../../components/icon';
import { useAppStore } from '../../stores/app-store';
import { DropBoxMenuItem } from '../share/drop-box-menu-item';

/** Why a launch account offers no edit or remove. */
export const LAUNCH_ACCOUNT_REASON = 'Set by the environment the app was started with: change it there.';

/**
 * The actions an account's menus offer. Each first puts focus on the row, so that the dialog it
 * opens returns focus there when it closes (the menu item it was opened from is gone by then).
 */
function useAccountActions(account: AccountSummary, focusRow: () => void) {
  const { openAccountEditor, confirmAccountRemoval, openBrowserDialog } = useAppStore(
    useShallow((s) => ({
      openAccountEditor: s.openAccountEditor,
      confirmAccountRemoval: s.confirmAccountRemoval,
      openBrowserDialog: s.openBrowserDialog,
    })),
  );
  return {
    readOnly: account.origin === 'launch',
    createBucket: () => {
      focusRow();
      openBrowserDialog({ kind: 'create-bucket', accountId: account.id });
    },
    edit: () => {
      focusRow();
      openAccountEditor({ mode: 'edit', accountId: account.id });
    },
    remove: () => {
      focusRow();
      confirmAccountRemoval(account.id);
    },
  };
}

/**
 * Where focus goes when a menu closes: back to the row, unless the menu opened a dialog, which
 * has focus by then (Radix moves focus after a close on a timer, after the dialog mounted).
 */
function returnFocus(event: Event, focusRow: () => void): void {
  event.preventDefault();
  const { accountEditor, accountToRemove, browserDialog } = useAppStore.getState();
  if (accountEditor === null && accountToRemove === null && browserDialog === null) focusRow();
}

/** Props of AccountMenus. */
export interface AccountMenusProps {
  account: AccountSummary;
  /** The account's tree row (a treeitem). It receives the context menu; it must contain `actionsButton`. */
  children: (actionsButton: ReactElement) => ReactElement;
  /** Whether the "Account actions" menu is open: the tree opens it from the keyboard (Shift+F10, the Menu key). */
  menuOpen: boolean;
  onMenuOpenChange: (open: boolean) => void;
  /** Called when a pointer opens the context menu (the row selects its account, as file managers do). */
  onContextMenu: () => void;
  /** Focuses the row: where focus returns from the menus (not to the small button) and from their dialogs. */
  focusRow: () => void;
}

/**
 * An account row's two menus with the same items: a context menu (right-click) on the row,
 * and the "Account actions" menu of its visible button, which the keyboard reaches too.
 * Both menus' contents render outside the row, so their key presses never reach the tree.
 * For a launch account the items are disabled and the menu says why.
 */
export function AccountMenus({
  account,
  children,
  menuOpen,
  onMenuOpenChange,
  onContextMenu,
  focusRow,
}: AccountMenusProps) {
  const { readOnly, edit, remove, createBucket } = useAccountActions(account, focusRow);
  // Non-modal menus: a modal menu that opens a modal dialog can leave the page inert
  // (radix-ui/primitives#837), and a desktop context menu does not block the window anyway.
  const actionsButton = (
    <DropdownMenu.Trigger asChild>
      <button
        type="button"
        className="icon-button tree-row__actions"
        aria-label="Account actions"
        // Out of the Tab order: the tree has one tab stop; keyboard users open this menu with Shift+F10.
        tabIndex={-1}
        onDoubleClick={(event) => event.stopPropagation()}
      >
        <Icon name="more" />
      </button>
    </DropdownMenu.Trigger>
  );
  return (
    <DropdownMenu.Root modal={false} open={menuOpen} onOpenChange={onMenuOpenChange}>
      <ContextMenu.Root modal={false}>
        <ContextMenu.Trigger asChild onContextMenu={onContextMenu}>
          {children(actionsButton)}
        </ContextMenu.Trigger>
        <ContextMenu.Portal>
          <ContextMenu.Content
            className="menu"
            collisionPadding={8}
            aria-label={`Actions for ${account.name}`}
            onCloseAutoFocus={(event) => returnFocus(event, focusRow)}
          >
            {readOnly ? <ContextMenu.Label className="menu__note">{LAUNCH_ACCOUNT_REASON}</ContextMenu.Label> : null}
            <ContextMenu.Item className="menu__item" disabled={readOnly} onSelect={edit}>
              <Icon name="pencil" className="menu__icon" />
              Edit account…
            </ContextMenu.Item>
            <ContextMenu.Separator className="menu__separator" />
            <ContextMenu.Item className="menu__item menu__item--danger" disabled={readOnly} onSelect={remove}>
              <Icon name="trash" className="menu__icon" />
              Remove account…
            </ContextMenu.Item>
            <ContextMenu.Separator className="menu__separator" />
            <ContextMenu.Item className="menu__item" onSelect={createBucket}>
              <Icon name="bucket-plus" className="menu__icon" />
              Create bucket…
            </ContextMenu.Item>
          </ContextMenu.Content>
        </ContextMenu.Portal>
      </ContextMenu.Root>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          className="menu"
          align="start"
          sideOffset={4}
          collisionPadding={8}
          aria-label={`Actions for ${account.name}`}
          onCloseAutoFocus={(event) => returnFocus(event, focusRow)}
        >
          {readOnly ? <DropdownMenu.Label className="menu__note">{LAUNCH_ACCOUNT_REASON}</DropdownMenu.Label> : null}
          <DropdownMenu.Item className="menu__item" disabled={readOnly} onSelect={edit}>
            <Icon name="pencil" className="menu__icon" />
            Edit account…
          </DropdownMenu.Item>
          <DropdownMenu.Separator className="menu__separator" />
          <DropdownMenu.Item className="menu__item menu__item--danger" disabled={readOnly} onSelect={remove}>
            <Icon name="trash" className="menu__icon" />
            Remove account…
          </DropdownMenu.Item>
          <DropdownMenu.Separator className="menu__separator" />
          <DropdownMenu.Item className="menu__item" onSelect={createBucket}>
            <Icon name="bucket-plus" className="menu__icon" />
            Create bucket…
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

/** Props of BucketMenu. */
export interface BucketMenuProps {
  accountId: string;
  bucket: string;
  /** The bucket's tree row, which receives the context menu. */
  children: ReactElement;
  /** Called when the menu opens (the row selects its bucket, as file managers do). */
  onContextMenu: () => void;
  /** Focuses the row: where focus returns from the menu and its dialogs. */
  focusRow: () => void;
}

/**
 * A bucket row's context menu (right-click, the Menu key or Shift+F10): refresh, create a bucket, a
 * drop box, the bucket's settings, or delete it.
 */
export function BucketMenu({ accountId, bucket, children, onContextMenu, focusRow }: BucketMenuProps) {
  const { openBrowserDialog, refreshListing } = useAppStore(
    useShallow((s) => ({ openBrowserDialog: s.openBrowserDialog, refreshListing: s.refreshListing })),
  );
  const open = (dialog: Parameters<typeof openBrowserDialog>[0]) => {
    focusRow();
    openBrowserDialog(dialog);
  };
  return (
    <ContextMenu.Root modal={false}>
      <ContextMenu.Trigger asChild onContextMenu={onContextMenu}>
        {children}
      </ContextMenu.Trigger>
      <ContextMenu.Portal>
        <ContextMenu.Content
          className="menu"
          collisionPadding={8}
          aria-label={`Actions for ${bucket}`}
          onCloseAutoFocus={(event) => returnFocus(event, focusRow)}
        >
          <ContextMenu.Item className="menu__item" onSelect={refreshListing}>
            <Icon name="refresh" className="menu__icon" />
            Refresh
          </ContextMenu.Item>
          <ContextMenu.Item className="menu__item" onSelect={() => open({ kind: 'create-bucket', accountId })}>
            <Icon name="plus" className="menu__icon" />
            Create bucket…
          </ContextMenu.Item>
          <DropBoxMenuItem location={{ accountId, bucket, prefix: '' }} beforeOpen={focusRow} />
          <ContextMenu.Item
            className="menu__item"
            onSelect={() => open({ kind: 'bucket-settings', accountId, bucket })}
          >
            <Icon name="settings" className="menu__icon" />
            Bucket settings…
          </ContextMenu.Item>
          <ContextMenu.Separator className="menu__separator" />
          <ContextMenu.Item
            className="menu__item menu__item--danger"
            onSelect={() => open({ kind: 'delete-bucket', accountId, bucket })}
          >
            <Icon name="trash" className="menu__icon" />
            Delete bucket…
          </ContextMenu.Item>
        </ContextMenu.Content>
      </ContextMenu.Portal>
    </ContextMenu.Root>
  );
}
