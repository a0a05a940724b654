import { sizeUnits, type SizeUnit } from './link-text';

/** What a size limit field shows and reports. */
interface SizeLimitFieldProps {
  /** The input's id; the error and hint take it as their prefix. */
  id: string;
  label: string;
  /** The unit menu's accessible name. */
  unitLabel: string;
  amount: string;
  unit: SizeUnit;
  onAmountChange(amount: string): void;
  onUnitChange(unit: SizeUnit): void;
  /** Why the amount is refused, shown under it in place of the hint. */
  error: string | null;
  hint?: string;
  /** Focused when its dialog opens. */
  autoFocus?: boolean;
}

/**
 * A form-grid row for the largest file a POST form takes: an amount and its binary unit, the
 * error or hint tied to the input (the upload link tab and the drop box dialog share it).
 */
export function SizeLimitField(props: SizeLimitFieldProps) {
  const { id, error, hint } = props;
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <>
      <label className="form-label" htmlFor={id}>
        {props.label}
      </label>
      <div className="form-control">
        <div className="form-inline">
          <input
            id={id}
            {...(props.autoFocus ? { 'data-autofocus': true } : {})}
            type="number"
            min="0"
            step="any"
            className="input share-size__amount"
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy}
            value={props.amount}
            onChange={(event) => props.onAmountChange(event.target.value)}
          />
          <select
            className="input select share-size__unit"
            aria-label={props.unitLabel}
            value={props.unit}
            onChange={(event) => props.onUnitChange(event.target.value as SizeUnit)}
          >
            {sizeUnits.map((u) => (
              <option key={u.unit} value={u.unit}>
                {u.unit}
              </option>
            ))}
          </select>
        </div>
        {error ? (
          <p id={`${id}-error`} className="field-error">
            {error}
          </p>
        ) : hint ? (
          <p id={`${id}-hint`} className="field-hint">
            {hint}
          </p>
        ) : null}
      </div>
    </>
  );
}
