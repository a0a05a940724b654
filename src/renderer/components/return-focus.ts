import { useRef } from 'react';

/**
 * Returns focus to where it was when a Radix dialog opened. Radix returns it to the dialog's
 * Trigger, and ours open from menus, the sidebar and the store without one. Pass `remember` to
 * onOpenAutoFocus and `restore` to onCloseAutoFocus; `fallback` says where focus goes when that
 * element is gone (a removed account's row).
 */
export function useReturnFocus(fallback: () => HTMLElement | null) {
  const previous = useRef<HTMLElement | null>(null);
  return {
    remember(): void {
      // Called before the dialog moves focus: the active element is still the one outside it.
      previous.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    },
    restore(event: Event): void {
      event.preventDefault();
      // Radix gives focus back a tick after a dialog closes: by then a dialog may have opened
      // again (an upload's dialog closes while it checks names, and opens again to ask), and
      // its focused button keeps the focus.
      if (document.activeElement?.closest('[role="dialog"], [role="alertdialog"]')) return;
      const target = previous.current?.isConnected ? previous.current : fallback();
      previous.current = null;
      target?.focus();
    },
  };
}

/** Where focus goes when what had it is gone: the sidebar tree's tab stop, else the sidebar's first button. */
export function sidebarFocusTarget(): HTMLElement | null {
  return (
    document.querySelector<HTMLElement>('[role="tree"] [role="treeitem"][tabindex="0"]') ??
    document.querySelector<HTMLElement>('nav[aria-label="Accounts and buckets"] button')
  );
}
