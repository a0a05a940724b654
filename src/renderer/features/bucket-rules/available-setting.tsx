import { Fragment, type ReactNode } from 'react';
import type { Availability } from '../../../shared/details';
import type { Result } from '../../../shared/result';
import { SettingBody } from '../bucket-settings/section-parts';
import { useSetting } from '../bucket-settings/use-setting';

/**
 * A rule section's setting read from the service: "Reading …", the read's error with Try again,
 * the service's reason where it lacks the feature, else the section's form for the value. The
 * form is made anew (keyed by the value) when a save reads back something else, so its fields
 * start from what the service now holds.
 */
export function AvailableSetting<T>({
  read,
  readKey,
  what,
  children,
}: {
  /** Reads the setting (`cors.get`, say). */
  read: () => Promise<Result<Availability<T>>>;
  /** Reads again when it changes: the account and bucket. */
  readKey: string;
  /** "the CORS rules", for "Reading the CORS rules…". */
  what: string;
  /** The form for the value, and what to call with what a save read back. */
  children: (current: T, onSaved: (saved: T) => void) => ReactNode;
}) {
  const setting = useSetting(read, readKey);
  return (
    <SettingBody loaded={setting.loaded} what={what} onRetry={setting.reload}>
      {(value) =>
        value.available ? (
          <Fragment key={JSON.stringify(value.value)}>
            {children(value.value, (saved) => setting.set({ available: true, value: saved }))}
          </Fragment>
        ) : (
          <p className="callout callout--note">{value.reason}</p>
        )
      }
    </SettingBody>
  );
}
