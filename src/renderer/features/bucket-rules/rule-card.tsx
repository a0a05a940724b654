import type { ReactNode } from 'react';
import { TextField } from '../../components/form-field';

/** What a rule section's form is given: where it is, the value the service holds, and what to call with a save's answer. */
export interface RuleFormProps<T> {
  accountId: string;
  bucket: string;
  /** The value as the service holds it now. */
  current: T;
  readOnly: boolean;
  /** Called with what a save read back, so the form starts again from it. */
  onSaved: (saved: T) => void;
}

/**
 * One rule of a list (a CORS or lifecycle rule): a list item named "CORS rule 2", its title with
 * the rule's id when it has one, a Remove button (not when read-only), then its fields.
 */
export function RuleCard({
  name,
  ruleId,
  readOnly,
  onRemove,
  children,
}: {
  /** "CORS rule 2": the item's accessible name and the Remove button's. */
  name: string;
  ruleId: string;
  readOnly: boolean;
  onRemove: () => void;
  children: ReactNode;
}) {
  return (
    <li className="rule-card" aria-label={name}>
      <div className="rule-card__head">
        <h4 className="rule-card__title">{ruleId ? `${name}: ${ruleId}` : name}</h4>
        {readOnly ? null : (
          <button type="button" className="button button--small" onClick={onRemove} aria-label={`Remove ${name}`}>
            Remove
          </button>
        )}
      </div>
      {children}
    </li>
  );
}

/** The keys of a draft whose values are typed text. */
type TextKeys<D> = { [K in keyof D]: D[K] extends string ? K : never }[keyof D];

/**
 * A text field bound to one field of a rule's draft: shows `draft[field]` and reports a change as
 * `{ [field]: text }`. Numeric fields get the numeric keyboard; none is autocompleted.
 */
export function DraftTextField<D, K extends TextKeys<D>>({
  draft,
  field,
  label,
  hint,
  placeholder,
  numeric = false,
  readOnly,
  onChange,
}: {
  draft: D;
  field: K;
  label: string;
  hint?: string;
  placeholder?: string;
  numeric?: boolean;
  readOnly: boolean;
  onChange: (patch: Partial<D>) => void;
}) {
  return (
    <TextField
      label={label}
      autoComplete="off"
      {...(numeric ? { inputMode: 'numeric' as const } : {})}
      {...(placeholder !== undefined ? { placeholder } : {})}
      value={draft[field] as string}
      readOnly={readOnly}
      hint={hint}
      onValueChange={(text) => onChange({ [field]: text } as unknown as Partial<D>)}
    />
  );
}
