import { AlertDialog } from 'radix-ui';
import type { ReactNode } from 'react';
import { publicAccessFlagWords, type PublicAccessBlockFlags } from '../../../shared/bucket-settings';
import type { Result } from '../../../shared/result';
import { ConfirmButtons, DialogError, useDialogAction } from '../../components/dialog-parts';
import { Icon } from '../../components/icon';
import { ConfirmDialog } from '../browser/dialog-frame';
import type { LoadedSetting } from './use-setting';

/**
 * A section's value once it is read: "Reading …" while it loads, the error with Try again where
 * the read failed, else the section's own content for the value.
 */
export function SettingBody<T>({
  loaded,
  what,
  onRetry,
  children,
}: {
  loaded: LoadedSetting<T>;
  /** "the bucket policy", for "Reading the bucket policy…". */
  what: string;
  onRetry: () => void;
  children: (value: T) => ReactNode;
}) {
  if (loaded.status === 'loading') {
    return (
      <p className="details__loading" role="status">
        <Icon name="spinner" className="icon--spin" />
        Reading {what}…
      </p>
    );
  }
  if (loaded.status === 'error') {
    return (
      <div className="callout callout--danger" role="alert">
        <Icon name="alert" />
        <div className="callout__body">
          <span>{loaded.error.message}</span>
          <button type="button" className="button button--small" onClick={onRetry}>
            Try again
          </button>
        </div>
      </div>
    );
  }
  return <>{children(loaded.value)}</>;
}

/** What an exposure confirmation is about: its title, the consequences in words, and the change. */
export interface Exposure {
  title: string;
  /** The sentence before the consequences; default: "This change could expose data in the bucket:". */
  lead?: string;
  /** One sentence per consequence: "Anyone on the internet can read objects under photos/". */
  consequences: string[];
  confirmLabel: string;
  busyLabel: string;
  /** Makes the change, confirmed; the dialog closes when it succeeds and shows the error where not. */
  apply: () => Promise<Result<unknown>>;
}

/**
 * The question before Block Public Access switches (a bucket's or the account's) are turned off:
 * one consequence per switch; `apply` saves confirmed, `done` takes what the save read back.
 */
export function switchesOffExposure<T>(
  turnedOff: readonly (keyof PublicAccessBlockFlags)[],
  words: { title: string; lead?: string; confirmLabel: string },
  apply: () => Promise<Result<T>>,
  done: (saved: T) => void,
): Exposure {
  return {
    ...words,
    consequences: turnedOff.map(
      (name) => `Turning off “${publicAccessFlagWords[name].label}”: ${publicAccessFlagWords[name].offConsequence}.`,
    ),
    busyLabel: 'Saving…',
    apply: async () => {
      const result = await apply();
      if (result.ok) done(result.value);
      return result;
    },
  };
}

/**
 * Asks before a change that could expose data (a public policy or ACL, a Block Public Access
 * switch turned off), naming each consequence. Cancel (focused first) changes nothing.
 */
export function ExposureConfirmation({ exposure, onClose }: { exposure: Exposure | null; onClose: () => void }) {
  return (
    <ConfirmDialog open={exposure !== null} onClose={onClose} title={exposure?.title ?? ''}>
      {exposure ? <ExposureQuestion exposure={exposure} onClose={onClose} /> : null}
    </ConfirmDialog>
  );
}

function ExposureQuestion({ exposure, onClose }: { exposure: Exposure; onClose: () => void }) {
  const { busy, error, run } = useDialogAction();
  return (
    <>
      <div className="dialog__body">
        <AlertDialog.Description asChild>
          <div className="dialog__text">
            <p>{exposure.lead ?? 'This change could expose data in the bucket:'}</p>
            <ul className="exposure-list">
              {exposure.consequences.map((consequence) => (
                <li key={consequence}>{consequence}</li>
              ))}
            </ul>
          </div>
        </AlertDialog.Description>
        <DialogError error={error} />
      </div>
      <ConfirmButtons
        busy={busy}
        label={exposure.confirmLabel}
        busyLabel={exposure.busyLabel}
        onConfirm={() => void run(exposure.apply, onClose)}
      />
    </>
  );
}

/** A section's Save button and what came of the last save: an error in words, or nothing. */
export function SaveRow({
  busy,
  label,
  busyLabel,
  onSave,
  children,
}: {
  busy: boolean;
  label: string;
  busyLabel: string;
  onSave: () => void;
  /** More buttons beside Save (Revert, Delete policy). */
  children?: ReactNode;
}) {
  return (
    <div className="settings-section__actions">
      <button
        type="button"
        className="button button--primary"
        aria-disabled={busy || undefined}
        onClick={() => (busy ? undefined : onSave())}
      >
        {busy ? busyLabel : label}
      </button>
      {children}
    </div>
  );
}
