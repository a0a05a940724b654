import type { ReactNode } from 'react';
import type { Availability } from '../../../shared/details';
import type { Result } from '../../../shared/result';
import { SettingForm } from '../bucket-settings/setting-form';

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
  return (
    <SettingForm read={read} readKey={readKey} what={what}>
      {(value, onSaved) =>
        value.available ? (
          children(value.value, (saved) => onSaved({ available: true, value: saved }))
        ) : (
          <p className="callout callout--note">{value.reason}</p>
        )
      }
    </SettingForm>
  );
}
