import fc from 'fast-check';
import type { z } from 'zod';

// Arbitraries (fast-check) derived from zod 4 schemas, generically: for any channel's input they
// produce values at the edges of each field (empty, exactly min and max, one past max, odd
// characters, the wrong type) as well as random ones, so a fuzz needs nothing per channel.

/** Strings the fuzz should sometimes use as they are: ids that reach real code paths. */
export interface ArbitraryHints {
  /** Tried for any string field (an account id that exists, a bucket that exists, a reachable URL…). */
  strings: readonly string[];
  /**
   * Short strings only (at most 16 characters): for the elements of the longest arrays, so that
   * 10,000 keys make a frame of a few hundred KB rather than 250 MB. The largest frames are
   * tested on their own (ws-host.test.ts).
   */
  small?: boolean;
  /** false: no arrays at their maximum length (for thousands of requests at once, where each would cost ~50 ms). */
  longArrays?: boolean;
}

// The parts of zod 4's definitions read here (see src/main/host/request-size.ts).
interface CheckDef {
  check: string;
  minimum?: number;
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
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  entries?: Record<string, string | number>;
  values?: unknown[];
}

const defOf = (schema: z.ZodType): SchemaDef => (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
const checksOf = (def: SchemaDef): CheckDef[] => (def.checks ?? []).map((check) => check._zod.def);

function lengthLimits(def: SchemaDef): { min: number; max: number | undefined } {
  const checks = checksOf(def);
  const mins = checks.filter((c) => c.check === 'min_length').map((c) => c.minimum ?? 0);
  const maxes = checks.filter((c) => c.check === 'max_length').map((c) => c.maximum ?? Infinity);
  return { min: Math.max(0, ...mins), max: maxes.length === 0 ? undefined : Math.min(...maxes) };
}

/** Characters that break careless code: NUL, a lone surrogate, RTL override, path and URL specials, an emoji. */
const oddCharacters = [
  '\u0000',
  '\ud800',
  '\u202e',
  '/',
  '\\',
  '..',
  '%2e',
  '\r\n',
  '"',
  '💥',
  'é',
  ' ',
  '{',
  '__proto__',
];

function stringArbitrary(def: SchemaDef, hints: ArbitraryHints): fc.Arbitrary<unknown> {
  const checks = checksOf(def);
  if (checks.some((c) => c.check === 'string_format' && c.format === 'uuid')) {
    return fc.oneof(fc.uuid(), fc.constant('00000000-0000-0000-0000-00000000000g'), fc.string({ maxLength: 40 }));
  }
  const { min, max } = lengthLimits(def);
  const limit = hints.small ? Math.min(max ?? 16, 16) : (max ?? 300);
  const filled = (length: number) =>
    fc.constantFrom('a', 'é', '\u0001', '💥').map((c) => c.repeat(length).slice(0, length));
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: Math.min(limit + 1, 40) }) },
    { weight: 2, arbitrary: fc.constantFrom(...hints.strings) },
    { weight: 1, arbitrary: fc.constantFrom('', ...oddCharacters) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom(...oddCharacters), { maxLength: 8 }).map((p) => p.join('')) },
    { weight: 1, arbitrary: filled(min) },
    { weight: 1, arbitrary: filled(Math.max(0, min - 1)) },
    { weight: 1, arbitrary: filled(limit) },
    { weight: 1, arbitrary: filled(limit + 1) },
  );
}

function numberArbitrary(def: SchemaDef): fc.Arbitrary<unknown> {
  const checks = checksOf(def);
  const low = checks.find((c) => c.check === 'greater_than')?.value ?? -1e9;
  const high = checks.find((c) => c.check === 'less_than')?.value ?? 1e9;
  return fc.oneof(
    fc.constantFrom(low, high, low - 1, high + 1, 0, -0, 0.5, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e308),
    fc.integer({ min: Math.max(Math.ceil(low), -2_147_483_648), max: Math.min(Math.floor(high), 2_147_483_647) }),
    fc.double({ noNaN: false }),
  );
}

function arrayArbitrary(def: SchemaDef, hints: ArbitraryHints): fc.Arbitrary<unknown> {
  const element = schemaArbitrary(def.element as z.ZodType, hints);
  const smallElement = schemaArbitrary(def.element as z.ZodType, { ...hints, small: true });
  const { min, max } = lengthLimits(def);
  // The longest arrays repeat one (small) element: 10,000 generated one by one would only be slower.
  const repeated = (length: number) =>
    (length > 100 ? smallElement : element).map((value) => Array.from({ length }, () => value));
  const edges = [repeated(min), repeated(Math.max(0, min - 1))];
  if (max !== undefined && hints.longArrays !== false) edges.push(repeated(max), repeated(max + 1));
  return fc.oneof({ weight: 4, arbitrary: fc.array(element, { maxLength: 5 }) }, ...edges);
}

function objectArbitrary(def: SchemaDef, hints: ArbitraryHints): fc.Arbitrary<unknown> {
  const shape = def.shape ?? {};
  const fields = Object.fromEntries(Object.entries(shape).map(([key, value]) => [key, schemaArbitrary(value, hints)]));
  const whole = fc.record(fields, { requiredKeys: [] });
  const complete = fc.record(fields);
  const withExtra = fc
    .tuple(complete, fc.constantFrom('extra', '__proto__', 'constructor', 'toString'), fc.jsonValue())
    .map(([value, key, extra]) => {
      const copy: Record<string, unknown> = { ...(value as object) };
      Object.defineProperty(copy, key, { value: extra, enumerable: true, configurable: true, writable: true });
      return copy;
    });
  return fc.oneof(
    { weight: 4, arbitrary: complete },
    { weight: 1, arbitrary: whole },
    { weight: 1, arbitrary: withExtra },
  );
}

/**
 * An arbitrary for values at the edges of `schema` and around it: most are of the right shape
 * (so that handlers run), some break one rule (length, range, a missing or unknown key), and
 * some are any JSON at all.
 */
export function schemaArbitrary(schema: z.ZodType, hints: ArbitraryHints): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const shaped = ((): fc.Arbitrary<unknown> => {
    switch (def.type) {
      case 'string':
        return stringArbitrary(def, hints);
      case 'number':
      case 'int':
        return numberArbitrary(def);
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'enum':
        return fc.oneof(fc.constantFrom(...Object.values(def.entries ?? {})), fc.string({ maxLength: 12 }));
      case 'literal':
        return fc.constantFrom(...(def.values ?? [null]));
      case 'optional':
      case 'default':
      case 'prefault':
        return fc.option(schemaArbitrary(def.innerType as z.ZodType, hints), { nil: undefined });
      case 'nullable':
        return fc.option(schemaArbitrary(def.innerType as z.ZodType, hints), { nil: null });
      case 'readonly':
      case 'nonoptional':
      case 'catch':
        return schemaArbitrary(def.innerType as z.ZodType, hints);
      case 'pipe':
        return schemaArbitrary(def.in as z.ZodType, hints);
      case 'union':
        return fc.oneof(...(def.options ?? []).map((option) => schemaArbitrary(option, hints)));
      case 'array':
        return arrayArbitrary(def, hints);
      case 'object':
        return objectArbitrary(def, hints);
      case 'record':
        return fc.dictionary(
          // Not String(key): a key schema this file cannot read falls back to JSON values, and
          // String({ toString: 1 }) throws (a generated object may have a "toString" member).
          schemaArbitrary(def.keyType as z.ZodType, hints).map((key) =>
            typeof key === 'string' ? key : (JSON.stringify(key) ?? 'null'),
          ),
          schemaArbitrary(def.valueType as z.ZodType, hints),
          { maxKeys: 6 },
        );
      default:
        return fc.jsonValue();
    }
  })();
  return fc.oneof({ weight: 9, arbitrary: shaped }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) });
}
