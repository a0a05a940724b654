import { useId } from 'react';
import { expiryPresets } from '../../../shared/share';
import { durationUnits, expiryOf, type DurationUnit, type ExpiryChoice } from './expiry';

/**
 * "Expires after": the presets (15 minutes, 1 hour, 1 day, 7 days) and a custom amount and
 * unit. A custom lifetime is checked as it is typed, with the shared schema's words, and the
 * problem shows right under it (the dialog's button is disabled meanwhile).
 */
export function ExpiryChooser({ value, onChange }: { value: ExpiryChoice; onChange: (next: ExpiryChoice) => void }) {
  const id = useId();
  const { error } = expiryOf(value);
  const custom = value.preset === 'custom';
  const errorId = `${id}-error`;
  return (
    <>
      <span id={`${id}-label`} className="form-label">
        Expires after
      </span>
      <div className="form-control">
        <div role="radiogroup" aria-labelledby={`${id}-label`} className="expiry-presets">
          {expiryPresets.map((preset) => (
            <label key={preset.seconds} className="check">
              <input
                type="radio"
                name={`${id}-expiry`}
                checked={value.preset === preset.seconds}
                onChange={() => onChange({ ...value, preset: preset.seconds })}
              />
              <span>{preset.label}</span>
            </label>
          ))}
          <label className="check">
            <input
              type="radio"
              name={`${id}-expiry`}
              checked={custom}
              onChange={() => onChange({ ...value, preset: 'custom' })}
            />
            <span>Custom</span>
          </label>
        </div>
        {custom ? (
          <div className="form-inline expiry-custom">
            <input
              type="number"
              className="input expiry-custom__amount"
              aria-label="Custom lifetime"
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? errorId : undefined}
              step="any"
              value={value.amount}
              onChange={(event) => onChange({ ...value, amount: event.target.value })}
            />
            <select
              className="input select expiry-custom__unit"
              aria-label="Unit of the custom lifetime"
              value={value.unit}
              onChange={(event) => onChange({ ...value, unit: event.target.value as DurationUnit })}
            >
              {durationUnits.map((u) => (
                <option key={u.unit} value={u.unit}>
                  {u.label}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {custom && error ? (
          <p id={errorId} className="field-error" role="alert">
            {error}
          </p>
        ) : null}
        <p className="field-hint">At most 7 days: S3 signatures last no longer.</p>
      </div>
    </>
  );
}
