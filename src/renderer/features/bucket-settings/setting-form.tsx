import { Fragment, type ReactNode } from 'react';
import type { Result } from '../../../shared/result';
import { SettingBody } from './section-parts';
import { useSetting } from './use-setting';

/**
 * A section's setting read from the service and its form: "Reading …", the read's error with
 * Try again, else the form for the value. The form is made anew (keyed by the value) when a save
 * reads back something else, so its fields start from what the service now holds.
 */
export function SettingForm<T>({
  read,
  readKey,
  what,
  children,
}: {
  /** Reads the setting (`bucketSettings.policy`, say). */
  read: () => Promise<Result<T>>;
  /** Reads again when it changes: the account and bucket. */
  readKey: string;
  /** "the bucket policy", for "Reading the bucket policy…". */
  what: string;
  /** The form for the value, and what to call with what a save read back. */
  children: (current: T, onSaved: (saved: T) => void) => ReactNode;
}) {
  const setting = useSetting(read, readKey);
  return (
    <SettingBody loaded={setting.loaded} what={what} onRetry={setting.reload}>
      {(value) => <Fragment key={JSON.stringify(value)}>{children(value, setting.set)}</Fragment>}
    </SettingBody>
  );
}
