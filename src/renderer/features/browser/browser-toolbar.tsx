import { Toolbar, Tooltip } from 'radix-ui';
import { Icon, type IconName } from '../../components/icon';
import type { BrowserCommand, BrowserCommands } from './browser-commands';

/**
 * The toolbar above the file list: a Radix toolbar (one Tab stop, arrow keys inside). A
 * button that cannot act is aria-disabled, not disabled: it stays reachable, and its tooltip
 * says why.
 */
export function BrowserToolbar({ commands }: { commands: BrowserCommands }) {
  return (
    <Toolbar.Root className="toolbar" aria-label="File actions">
      <ToolbarButton label="Upload" icon="upload" command={commands.upload} ellipsis />
      <ToolbarButton label="New folder" icon="folder-plus" command={commands.newFolder} />
      <ToolbarButton label="Download" icon="download" command={commands.download} ellipsis />
      <Toolbar.Separator className="toolbar__separator" />
      <ToolbarButton label="Copy link" icon="link" command={commands.copyLink} ellipsis secondary />
      <ToolbarButton label="Copy to" icon="copy" command={commands.copy} ellipsis secondary />
      <ToolbarButton label="Move to" icon="folder-move" command={commands.move} ellipsis secondary />
      <ToolbarButton label="Rename" icon="pencil" command={commands.rename} ellipsis secondary />
      <ToolbarButton label="Delete" icon="trash" command={commands.delete} />
      <div className="toolbar__spacer" />
      <ToolbarButton label="Refresh" icon="refresh" command={commands.refresh} secondary />
    </Toolbar.Root>
  );
}

function ToolbarButton({
  label,
  icon,
  command,
  ellipsis = false,
  secondary = false,
}: {
  label: string;
  icon: IconName;
  command: BrowserCommand;
  /** Shows "…" after the label: it asks something before acting. The accessible name stays the plain label. */
  ellipsis?: boolean;
  /** Drops its visible label first when the list is narrow (the tooltip and accessible name keep it). */
  secondary?: boolean;
}) {
  const disabled = command.disabledReason !== null;
  return (
    <Tooltip.Root>
      <Tooltip.Trigger asChild>
        <Toolbar.Button
          className={secondary ? 'toolbar-button toolbar-button--secondary' : 'toolbar-button'}
          aria-label={label}
          aria-disabled={disabled || undefined}
          aria-description={command.disabledReason ?? undefined}
          onClick={command.run}
        >
          <Icon name={icon} />
          <span aria-hidden="true">
            {label}
            {ellipsis ? '…' : ''}
          </span>
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
