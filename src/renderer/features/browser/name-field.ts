import { useState } from 'react';
import type { z } from 'zod';

/** Every distinct message a schema gives for a value, joined: all the problems at once, not one at a time. */
export function schemaProblems(schema: z.ZodType<string>, value: string): string | undefined {
  const result = schema.safeParse(value);
  if (result.success) return undefined;
  return [...new Set(result.error.issues.map((issue) => issue.message))].join(' ');
}

/**
 * A name typed in a dialog, checked with the same shared schema main applies. Its problem is
 * shown once the person has typed something, or after a submit attempt (so an empty field is
 * not scolded before anyone typed in it).
 */
export function useNameField(schema: z.ZodType<string>, initial = '', extraCheck?: (value: string) => string | null) {
  const [value, setValue] = useState(initial);
  const [touched, setTouched] = useState(false);
  const problem = schemaProblems(schema, value) ?? extraCheck?.(value) ?? undefined;
  return {
    value,
    /** The problem to show under the field, if any. */
    error: touched ? problem : undefined,
    valid: problem === undefined,
    change(next: string): void {
      setValue(next);
      setTouched(true);
    },
    /** Reveals the problem (a submit attempt); returns whether the value is valid. */
    check(): boolean {
      setTouched(true);
      return problem === undefined;
    },
  };
}
