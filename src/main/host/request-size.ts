import type { z } from 'zod';

/**
 * The most bytes one UTF-16 code unit can take in JSON.stringify's output: a control character
 * or a lone surrogate becomes `\u001f` / `\udc00`. A key of 1,024 such characters is valid for
 * the schemas, so this, not UTF-8's 3, is what a bound must count.
 */
export const MAX_JSON_BYTES_PER_CODE_UNIT = 6;

/**
 * What a field the schema does not bound by itself is counted as: a record, a string with no
 * `max` (bounded only in a refinement), an object that accepts unknown keys. The contract's test
 * (request-size.test.ts) lists every such field with the reason it stays well below this.
 */
export const UNBOUNDED_FIELD_BUDGET = 64 * 1024;

/** The longest JSON text of any number (`-1.7976931348623157e+308`, `-9007199254740991`). */
const LONGEST_NUMBER = 24;

/** An upper bound of a value's JSON size, and the fields counted by assumption rather than by the schema. */
export interface SizeBound {
  bytes: number;
  /** Paths (`draft.name`, `edit.metadata`) counted with UNBOUNDED_FIELD_BUDGET or at their size after a transform. */
  assumed: string[];
}

// The parts of zod 4's schema definitions this reads (`schema._zod.def`, documented for tools
// that walk schemas: https://zod.dev/packages/core). Loose on purpose: only shape matters here.
interface CheckDef {
  check: string;
  maximum?: number;
  value?: number;
  format?: string;
}
interface SchemaDef {
  type: string;
  checks?: { _zod: { def: CheckDef } }[];
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  innerType?: z.ZodType;
  in?: z.ZodType;
  entries?: Record<string, string | number>;
  values?: unknown[];
  items?: z.ZodType[];
  rest?: z.ZodType | null;
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

function checksOf(def: SchemaDef): CheckDef[] {
  return (def.checks ?? []).map((check) => check._zod.def);
}

function lastMaximum(checks: readonly CheckDef[]): number | undefined {
  const limits = checks.filter((check) => check.check === 'max_length').map((check) => check.maximum ?? Infinity);
  return limits.length === 0 ? undefined : Math.min(...limits);
}

function stringBound(def: SchemaDef, path: string): SizeBound {
  const checks = checksOf(def);
  // Fixed formats whose text is plain ASCII: a UUID is always 36 characters.
  if (checks.some((check) => check.check === 'string_format' && check.format === 'uuid')) {
    return { bytes: 38, assumed: [] };
  }
  const max = lastMaximum(checks);
  if (max === undefined) return { bytes: UNBOUNDED_FIELD_BUDGET, assumed: [path] };
  const bytes = max * MAX_JSON_BYTES_PER_CODE_UNIT + 2;
  // trim() runs before the length check, so whitespace around the value is not limited by it.
  const transformedFirst = checks.findIndex((check) => check.check === 'overwrite');
  const limitedAt = checks.findIndex((check) => check.check === 'max_length');
  return transformedFirst >= 0 && transformedFirst < limitedAt ? { bytes, assumed: [path] } : { bytes, assumed: [] };
}

function numberBound(def: SchemaDef): SizeBound {
  const checks = checksOf(def);
  const integer = checks.some((check) => check.check === 'number_format' && /int/.test(check.format ?? ''));
  const limits = checks
    .filter((check) => check.check === 'less_than' || check.check === 'greater_than')
    .map((check) => Math.abs(check.value ?? Infinity));
  if (!integer || limits.length < 2) return { bytes: LONGEST_NUMBER, assumed: [] };
  return { bytes: Math.max(...limits.map((limit) => String(-Math.ceil(limit)).length)), assumed: [] };
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? 'null');
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function combine(parts: readonly SizeBound[], extra: number): SizeBound {
  return {
    bytes: parts.reduce((sum, part) => sum + part.bytes, extra),
    assumed: parts.flatMap((part) => part.assumed),
  };
}

function largest(parts: readonly SizeBound[]): SizeBound {
  const bytes = Math.max(0, ...parts.map((part) => part.bytes));
  return { bytes, assumed: [...new Set(parts.flatMap((part) => part.assumed))] };
}

/**
 * An upper bound of the bytes of JSON.stringify(value) for any value `schema` accepts, read from
 * the schema's own limits (string and array `max`, number ranges, enums, strict objects). Zod
 * types the contract does not use count as unbounded (UNBOUNDED_FIELD_BUDGET), listed in `assumed`.
 */
export function maxJsonBytes(schema: z.ZodType, path = ''): SizeBound {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return stringBound(def, path);
    case 'number':
    case 'int':
      return numberBound(def);
    case 'boolean':
      return { bytes: 5, assumed: [] };
    case 'null':
    case 'undefined':
      return { bytes: 4, assumed: [] };
    case 'enum':
      return { bytes: Math.max(...Object.values(def.entries ?? {}).map(jsonBytes)), assumed: [] };
    case 'literal':
      return { bytes: Math.max(...(def.values ?? []).map(jsonBytes)), assumed: [] };
    case 'optional':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return maxJsonBytes(def.innerType as z.ZodType, path);
    case 'nullable':
      return largest([maxJsonBytes(def.innerType as z.ZodType, path), { bytes: 4, assumed: [] }]);
    case 'pipe':
      // What arrives is checked first by `in`; `out` sees `in`'s result, not the text sent.
      return maxJsonBytes(def.in as z.ZodType, path);
    case 'union':
      return largest((def.options ?? []).map((option) => maxJsonBytes(option, path)));
    case 'array': {
      const max = lastMaximum(checksOf(def));
      if (max === undefined) return { bytes: UNBOUNDED_FIELD_BUDGET, assumed: [path] };
      const element = maxJsonBytes(def.element as z.ZodType, `${path}[]`);
      // `[` `]` and a comma after each element but the last.
      return { bytes: 2 + max * (element.bytes + 1), assumed: element.assumed };
    }
    case 'tuple': {
      const items = (def.items ?? []).map((item, index) => maxJsonBytes(item, `${path}[${index}]`));
      if (def.rest) return { bytes: UNBOUNDED_FIELD_BUDGET, assumed: [path] };
      return combine(items, 2 + items.length);
    }
    case 'object': {
      const fields = Object.entries(def.shape ?? {}).map(([key, value]) => {
        const bound = maxJsonBytes(value, join(path, key));
        // `"key":value,`
        return { bytes: jsonBytes(key) + 2 + bound.bytes, assumed: bound.assumed };
      });
      const strict = def.catchall !== undefined && defOf(def.catchall).type === 'never';
      // A non-strict object accepts (and strips) keys it does not know, so those are unbounded.
      const unknownKeys = strict ? [] : [{ bytes: UNBOUNDED_FIELD_BUDGET, assumed: [join(path, '*')] }];
      return combine([...fields, ...unknownKeys], 2);
    }
    default:
      // record, map, set, any, unknown, lazy, transform, custom…: nothing in the schema bounds them.
      return { bytes: UNBOUNDED_FIELD_BUDGET, assumed: [path] };
  }
}

/** The bound of one request frame's JSON: `{"id":…,"channel":"…","input":…}`, the browser client's shape. */
export function maxRequestFrameBytes(channel: string, input: z.ZodType): SizeBound {
  const bound = maxJsonBytes(input);
  // The id is a safe integer; the channel name is plain ASCII.
  const envelope = '{"id":,"channel":,"input":}'.length + LONGEST_NUMBER + jsonBytes(channel);
  return { bytes: envelope + bound.bytes, assumed: bound.assumed };
}

/** The largest request frame any channel of `requests` accepts, and which channel it is. */
export function largestRequestFrame(requests: Record<string, { input: z.ZodType }>): SizeBound & { channel: string } {
  let best = { channel: '', bytes: 0, assumed: [] as string[] };
  for (const [channel, spec] of Object.entries(requests)) {
    const bound = maxRequestFrameBytes(channel, spec.input);
    if (bound.bytes > best.bytes) best = { channel, ...bound };
  }
  return best;
}
