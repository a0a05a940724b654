import type { StateCreator } from 'zustand';
import { isParseError, parseLocationInput, type ParsedLocation } from '../../shared/s3-location';
import { chooseLinkAccount } from '../features/browser/link-account';
import type { AppState } from './app-state';
import type { BrowserLocation } from './selection-slice';

/**
 * The file browser's dialog that is open, and what it is about. Only that: what is typed
 * in a dialog stays in the dialog's own state.
 */
export type BrowserDialog =
  | { kind: 'new-folder'; location: BrowserLocation }
  | { kind: 'rename'; location: BrowserLocation; key: string }
  | { kind: 'delete'; location: BrowserLocation; keys: string[] }
  | {
      kind: 'transfer';
      mode: 'copy' | 'move';
      location: BrowserLocation;
      items: string[];
      /** Where the dialog starts (rows dropped on a tab or a bookmark); absent: the items' own folder. */
      target?: { bucket: string; prefix: string };
    }
  | {
      kind: 'transfer-across';
      mode: 'copy' | 'move';
      location: BrowserLocation;
      items: string[];
      /** Where the dialog starts (rows dropped on a tab or a bookmark of another account); absent: its first choice. */
      target?: BrowserLocation;
    }
  | { kind: 'create-bucket'; accountId: string }
  | { kind: 'delete-bucket'; accountId: string; bucket: string }
  | { kind: 'versions'; location: BrowserLocation; key: string }
  /** An s3:// link or typed path whose bucket several accounts list, or none: which account opens it. */
  | { kind: 'choose-account'; link: string; target: ParsedLocation; accountIds: string[]; reason: 'several' | 'none' }
  | { kind: 'delete-for-good'; location: BrowserLocation; keys: string[] }
  /** Folder sync between a local folder and the folder shown. */
  | { kind: 'sync'; location: BrowserLocation }
  /** The bucket settings view, at one of its sections (features/bucket-settings/sections.ts) or the first. */
  | { kind: 'bucket-settings'; accountId: string; bucket: string; section?: string };

/** Which file browser dialog is open. */
export interface BrowserDialogsSlice {
  browserDialog: BrowserDialog | null;
  openBrowserDialog: (dialog: BrowserDialog) => void;
  closeBrowserDialog: () => void;
  /**
   * Opens an s3:// link, a typed path, an AWS console address or an S3 URL in the account that
   * has its bucket, or asks which (the choose-account dialog). Returns what is wrong with the
   * text, in words, or null when it opened or asked.
   */
  openLink: (text: string) => string | null;
  /**
   * Rows dropped on a tab or a bookmark: opens "Copy to" (or "Move to") with that folder filled
   * in, or "Copy to another account" where the tab or bookmark is of another account, so
   * conflicts and options are asked as for the menu commands. Returns why it cannot, in words, or null.
   */
  dropItems: (
    items: { location: BrowserLocation; keys: string[] },
    target: BrowserLocation,
    mode: 'copy' | 'move',
  ) => string | null;
}

/** Creates the file browser dialogs slice. */
export function createBrowserDialogsSlice(): StateCreator<AppState, [], [], BrowserDialogsSlice> {
  return (set, get) => ({
    browserDialog: null,
    openBrowserDialog: (browserDialog) => set({ browserDialog }),
    closeBrowserDialog: () => set({ browserDialog: null }),
    dropItems(items, target, mode) {
      if (items.keys.length === 0) return null;
      if (items.location.accountId !== target.accountId) {
        // Another account's tab or bookmark: the bytes pass through the app (transfers.copyAcross).
        set({ browserDialog: { kind: 'transfer-across', mode, location: items.location, items: items.keys, target } });
        return null;
      }
      if (items.location.bucket === target.bucket && items.location.prefix === target.prefix) {
        return 'These items are in that folder already.';
      }
      set({
        browserDialog: {
          kind: 'transfer',
          mode,
          location: items.location,
          items: items.keys,
          target: { bucket: target.bucket, prefix: target.prefix },
        },
      });
      return null;
    },
    openLink(text) {
      const target = parseLocationInput(text);
      if (isParseError(target)) return target.error;
      const { accounts, bucketLists, selection } = get();
      const choice = chooseLinkAccount({
        accountIds: accounts.map((account) => account.id),
        bucketsOf: (id) => {
          const list = bucketLists[id];
          return list && list.status !== 'idle' ? list.buckets.map((bucket) => bucket.name) : undefined;
        },
        currentAccountId: selection?.accountId ?? null,
        bucket: target.bucket,
      });
      switch (choice.kind) {
        case 'no-accounts':
          return 'Add an account first: a path is opened in one of your accounts.';
        case 'open':
          void get().openPath(choice.accountId, target);
          return null;
        case 'ask':
          set({
            browserDialog: {
              kind: 'choose-account',
              link: text.trim(),
              target,
              accountIds: choice.accountIds,
              reason: choice.reason,
            },
          });
          return null;
      }
    },
  });
}
