import { useId, type InputHTMLAttributes, type ReactNode, type Ref, type SelectHTMLAttributes } from 'react';

/** What every labelled field shows around its control: a hint, and an error once there is one to show. */
interface FieldTextProps {
  /** The visible label, which is also the control's accessible name. */
  label: string;
  /** A short help text under the control (linked with aria-describedby). */
  hint?: ReactNode | undefined;
  /** The problem to show under the control; marks it aria-invalid. */
  error?: string | undefined;
}

/** The ids and ARIA attributes that tie a control to its hint and error. */
function useDescriptions(hint: ReactNode, error: string | undefined, explicitId: string | undefined) {
  const generated = useId();
  const id = explicitId ?? generated;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ');
  return {
    id,
    hintId,
    errorId,
    aria: {
      'aria-invalid': error ? true : undefined,
      'aria-describedby': describedBy || undefined,
    },
  };
}

function FieldNotes({
  hint,
  error,
  hintId,
  errorId,
}: Omit<FieldTextProps, 'label'> & { hintId: string; errorId: string }) {
  return (
    <>
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
    </>
  );
}

/** Props of TextField: the input's own attributes, plus a label, hint and error. */
export interface TextFieldProps
  extends FieldTextProps, Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'aria-invalid'> {
  value: string;
  onValueChange: (value: string) => void;
  inputRef?: Ref<HTMLInputElement> | undefined;
}

/**
 * A text input in a form grid row: its label on the left, the input with its error and hint on
 * the right. The error comes first so that it sits right under what it is about.
 */
export function TextField({
  label,
  hint,
  error,
  value,
  onValueChange,
  inputRef,
  className,
  id: explicitId,
  ...rest
}: TextFieldProps) {
  const { id, hintId, errorId, aria } = useDescriptions(hint, error, explicitId);
  return (
    <>
      <label htmlFor={id} className="form-label">
        {label}
      </label>
      <div className="form-control">
        <input
          ref={inputRef}
          type="text"
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          {...rest}
          {...aria}
          id={id}
          className={className ? `input ${className}` : 'input'}
          value={value}
          onChange={(event) => onValueChange(event.target.value)}
        />
        <FieldNotes hint={hint} error={error} hintId={hintId} errorId={errorId} />
      </div>
    </>
  );
}

/** Props of SelectField: the select's own attributes, plus a label, hint and error; options are its children. */
export interface SelectFieldProps
  extends FieldTextProps, Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange' | 'aria-invalid'> {
  value: string;
  onValueChange: (value: string) => void;
  children: ReactNode;
  selectRef?: Ref<HTMLSelectElement> | undefined;
}

/** A native select in a form grid row: native for its keyboard behaviour and its menu, which follows the OS. */
export function SelectField({
  label,
  hint,
  error,
  value,
  onValueChange,
  children,
  selectRef,
  id: explicitId,
  ...rest
}: SelectFieldProps) {
  const { id, hintId, errorId, aria } = useDescriptions(hint, error, explicitId);
  return (
    <>
      <label htmlFor={id} className="form-label">
        {label}
      </label>
      <div className="form-control">
        <select
          ref={selectRef}
          {...rest}
          {...aria}
          id={id}
          className="input select"
          value={value}
          onChange={(event) => onValueChange(event.target.value)}
        >
          {children}
        </select>
        <FieldNotes hint={hint} error={error} hintId={hintId} errorId={errorId} />
      </div>
    </>
  );
}

/** Props of CheckboxField. */
export interface CheckboxFieldProps
  extends FieldTextProps, Omit<InputHTMLAttributes<HTMLInputElement>, 'checked' | 'onChange' | 'type'> {
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  inputRef?: Ref<HTMLInputElement> | undefined;
}

/** A checkbox with its label beside it, in the control column of a form grid. */
export function CheckboxField({
  label,
  hint,
  error,
  checked,
  onCheckedChange,
  inputRef,
  id: explicitId,
  ...rest
}: CheckboxFieldProps) {
  const { id, hintId, errorId, aria } = useDescriptions(hint, error, explicitId);
  return (
    <div className="form-control form-control--wide">
      <div className="check">
        <input
          ref={inputRef}
          type="checkbox"
          {...rest}
          {...aria}
          id={id}
          checked={checked}
          onChange={(event) => onCheckedChange(event.target.checked)}
        />
        <label htmlFor={id}>{label}</label>
      </div>
      <div className="check__notes">
        <FieldNotes hint={hint} error={error} hintId={hintId} errorId={errorId} />
      </div>
    </div>
  );
}
