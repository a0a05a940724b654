import type { z } from 'zod';

/** Items typed as one text ("a, b" or one per line) as a list, blanks dropped. */
export function listOf(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** A whole number typed in a field, undefined where the field is empty, NaN where it is not a number. */
export function numberOf(text: string): number | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : Number(trimmed);
}

/**
 * The first problem a schema finds in a list of rules, in words, naming the rule
 * ("Rule 2: Choose at least one method."), or undefined where the list is valid.
 */
export function firstRuleProblem(schema: z.ZodType, rules: unknown[]): string | undefined {
  const checked = schema.safeParse(rules);
  if (checked.success) return undefined;
  const issue = checked.error.issues[0];
  if (!issue) return 'Some rules are not valid.';
  const index = typeof issue.path[0] === 'number' ? issue.path[0] : undefined;
  return index === undefined ? issue.message : `Rule ${index + 1}: ${issue.message}`;
}
