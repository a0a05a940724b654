import { DropdownMenu, Toolbar, Tooltip } from 'radix-ui';
import { useRef, type ReactNode } from 'react';
import { useFittingCount } from '../../components/fitting-count';
import { Icon, type IconName } from '../../components/icon';
import type { BrowserCommand, BrowserCommands } from './browser-commands';

/** One control of the toolbar, shown as a button while it fits and as an item of "More actions" when not. */
interface ToolbarItem {
  id: string;
  label: string;
  icon: IconName;
  command: BrowserCommand;
  /** Shows "…" after the label: it asks something before acting. The accessible name stays the plain label. */
  ellipsis?: boolean;
  /** Drops its visible label first when the list is narrow (the tooltip and accessible name keep it). */
  secondary?: boolean;
  /** A thin line before it, between groups of actions. */
  separatorBefore?: boolean;
  /** Pushed to the far end of the toolbar. */
  atEnd?: boolean;
  /** A toggle's state (aria-pressed, a checkbox item in "More actions"); absent for a plain button. */
  pressed?: boolean;
}

/** The toolbar's items, in order: the first ones stay longest when the list gets narrow. */
function toolbarItems(commands: BrowserCommands): ToolbarItem[] {
  // Shown while deleted files are, beside the toggle: what can be done with them.
  const deletedItems: ToolbarItem[] = commands.showDeleted.pressed
    ? [
        { id: 'undelete', label: 'Undelete', icon: 'undo', command: commands.undelete },
        {
          id: 'delete-for-good',
          label: 'Delete for good',
          icon: 'trash',
          command: commands.deleteForGood,
          ellipsis: true,
          secondary: true,
        },
      ]
    : [];
  return [
    { id: 'upload', label: 'Upload', icon: 'upload', command: commands.upload, ellipsis: true },
    { id: 'new-folder', label: 'New folder', icon: 'folder-plus', command: commands.newFolder },
    { id: 'download', label: 'Download', icon: 'download', command: commands.download, ellipsis: true },
    {
      id: 'copy-link',
      label: 'Copy link',
      icon: 'link',
      command: commands.copyLink,
      ellipsis: true,
      secondary: true,
      separatorBefore: true,
    },
    { id: 'drop-box', label: 'Drop box', icon: 'upload', command: commands.dropBox, ellipsis: true, secondary: true },
    { id: 'sync', label: 'Sync', icon: 'refresh', command: commands.sync, ellipsis: true, secondary: true },
    { id: 'copy', label: 'Copy to', icon: 'copy', command: commands.copy, ellipsis: true, secondary: true },
    { id: 'move', label: 'Move to', icon: 'folder-move', command: commands.move, ellipsis: true, secondary: true },
    { id: 'rename', label: 'Rename', icon: 'pencil', command: commands.rename, ellipsis: true, secondary: true },
    { id: 'delete', label: 'Delete', icon: 'trash', command: commands.delete },
    {
      id: 'show-deleted',
      label: 'Show deleted files',
      icon: 'history',
      command: commands.showDeleted,
      pressed: commands.showDeleted.pressed,
      secondary: true,
      atEnd: true,
    },
    ...deletedItems,
    { id: 'refresh', label: 'Refresh', icon: 'refresh', command: commands.refresh, secondary: true },
  ];
}

/**
 * The toolbar above the file list: a Radix toolbar (one Tab stop, arrow keys inside). A button
 * that cannot act is aria-disabled, not disabled: it stays reachable, and its tooltip says why.
 * In a narrow list the buttons first drop their labels (components.css), then the last ones move
 * into a "More actions" menu: nothing is clipped or hidden without a way to reach it.
 */
export function BrowserToolbar({ commands }: { commands: BrowserCommands }) {
  const items = toolbarItems(commands);
  const rowRef = useRef<HTMLDivElement>(null);
  const measureRef = useRef<HTMLDivElement>(null);
  const fitting = useFittingCount(rowRef, measureRef, items.map((item) => item.id).join(' '));
  const shown = items.slice(0, fitting);
  const overflow = items.slice(fitting);
  return (
    <Toolbar.Root ref={rowRef} className="toolbar" aria-label="File actions">
      {shown.map((item) => (
        <ToolbarSlot key={item.id} item={item}>
          <ToolbarButton item={item} />
        </ToolbarSlot>
      ))}
      {overflow.length > 0 ? <MoreActions items={overflow} /> : null}
      {/* Every item laid out once more, unseen, so each is measured as it would show. */}
      <div ref={measureRef} className="toolbar__measure" aria-hidden="true" inert>
        {items.map((item) => (
          <span key={item.id} className="toolbar__measured">
            {item.separatorBefore ? <span className="toolbar__separator" /> : null}
            <span className={buttonClass(item)}>
              <ButtonFace item={item} />
            </span>
          </span>
        ))}
        <span className="toolbar-button">
          <Icon name="more" />
        </span>
      </div>
    </Toolbar.Root>
  );
}

/** An item with the separator that goes before it, if any. */
function ToolbarSlot({ item, children }: { item: ToolbarItem; children: ReactNode }) {
  return (
    <>
      {item.separatorBefore ? <Toolbar.Separator className="toolbar__separator" /> : null}
      {children}
    </>
  );
}

function buttonClass(item: ToolbarItem): string {
  return ['toolbar-button', item.secondary ? 'toolbar-button--secondary' : '', item.atEnd ? 'toolbar-button--end' : '']
    .filter(Boolean)
    .join(' ');
}

function ButtonFace({ item }: { item: ToolbarItem }) {
  return (
    <>
      <Icon name={item.icon} />
      <span aria-hidden="true">
        {item.label}
        {item.ellipsis ? '…' : ''}
      </span>
    </>
  );
}

function ToolbarButton({ item }: { item: ToolbarItem }) {
  const { command, label, pressed } = item;
  const disabled = command.disabledReason !== null;
  return (
    <Tooltip.Root>
      <Tooltip.Trigger asChild>
        <Toolbar.Button
          className={buttonClass(item)}
          aria-label={label}
          aria-disabled={disabled || undefined}
          aria-pressed={pressed}
          aria-description={command.disabledReason ?? undefined}
          onClick={command.run}
        >
          <ButtonFace item={item} />
        </Toolbar.Button>
      </Tooltip.Trigger>
      <Tooltip.Portal>
        <Tooltip.Content className="tooltip" side="bottom" sideOffset={6} collisionPadding={8}>
          {command.disabledReason ?? label}
        </Tooltip.Content>
      </Tooltip.Portal>
    </Tooltip.Root>
  );
}

/** The button at the end of a narrow toolbar: a menu of the items that do not fit, disabled where they cannot act. */
function MoreActions({ items }: { items: ToolbarItem[] }) {
  return (
    <DropdownMenu.Root modal={false}>
      <Tooltip.Root>
        <Tooltip.Trigger asChild>
          <DropdownMenu.Trigger asChild>
            <Toolbar.Button className="toolbar-button toolbar-button--end" aria-label="More actions">
              <Icon name="more" />
            </Toolbar.Button>
          </DropdownMenu.Trigger>
        </Tooltip.Trigger>
        <Tooltip.Portal>
          <Tooltip.Content className="tooltip" side="bottom" sideOffset={6} collisionPadding={8}>
            More actions
          </Tooltip.Content>
        </Tooltip.Portal>
      </Tooltip.Root>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          className="menu"
          align="end"
          sideOffset={4}
          collisionPadding={8}
          aria-label="More actions"
        >
          {items.map((item) =>
            item.pressed !== undefined ? (
              <DropdownMenu.CheckboxItem
                key={item.id}
                className="menu__item"
                checked={item.pressed}
                disabled={item.command.disabledReason !== null}
                onSelect={item.command.run}
              >
                <Icon name={item.icon} className="menu__icon" />
                {item.label}
              </DropdownMenu.CheckboxItem>
            ) : (
              <DropdownMenu.Item
                key={item.id}
                className={
                  item.id === 'delete' || item.id === 'delete-for-good' ? 'menu__item menu__item--danger' : 'menu__item'
                }
                disabled={item.command.disabledReason !== null}
                onSelect={item.command.run}
              >
                <Icon name={item.icon} className="menu__icon" />
                {item.label}
                {item.ellipsis ? '…' : ''}
              </DropdownMenu.Item>
            ),
          )}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
