import { Tooltip } from 'radix-ui';
import type { ButtonHTMLAttributes } from 'react';
import { Icon, type IconName } from './icon';

/** Props of IconButton: a label is required, because an icon alone has no accessible name. */
export interface IconButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'children' | 'aria-label'> {
  /** The accessible name, also shown as the tooltip. */
  label: string;
  icon: IconName;
  /** Spins the icon and sets aria-busy while the action runs, without disabling the button (focus stays put). */
  busy?: boolean;
  /**
   * Why the button cannot act now, or null when it can: it is then aria-disabled (still
   * focusable), and the reason is its description and what its tooltip shows, as the toolbar's.
   */
  disabledReason?: string | null;
}

/** A compact icon-only button with a Radix tooltip that repeats its accessible name for sighted users. */
export function IconButton({ label, icon, busy = false, disabledReason = null, className, ...rest }: IconButtonProps) {
  return (
    <Tooltip.Root>
      <Tooltip.Trigger asChild>
        <button
          type="button"
          {...rest}
          className={className ? `icon-button ${className}` : 'icon-button'}
          aria-label={label}
          aria-busy={busy || undefined}
          {...(disabledReason !== null ? { 'aria-disabled': true, 'aria-description': disabledReason } : {})}
        >
          <Icon name={icon} className={busy ? 'icon--spin' : undefined} />
        </button>
      </Tooltip.Trigger>
      <Tooltip.Portal>
        <Tooltip.Content className="tooltip" side="bottom" sideOffset={6} collisionPadding={8}>
          {disabledReason ?? label}
        </Tooltip.Content>
      </Tooltip.Portal>
    </Tooltip.Root>
  );
}
