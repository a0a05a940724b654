import fc from 'fast-check';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { schemaArbitrary } from '../../../test/schema-arbitrary';
import { requests } from '../../shared/contract';
import { largestRequestFrame, maxJsonBytes, maxRequestFrameBytes, UNBOUNDED_FIELD_BUDGET } from './request-size';
import { WS_MAX_PAYLOAD } from './ws-host';

/**
 * Fields whose size the schema does not bound by itself, each counted as UNBOUNDED_FIELD_BUDGET
 * (64 KiB) or, for trimmed strings, at its limit after trimming. Why each is safe:
 * - metadata: a record, but its refine caps keys and values at 2 KB in all (S3's own limit);
 * - folder and item names: no `max`, but a refine caps them at 255 bytes;
 * - the SSE-C key: a regex of exactly 44 characters;
 * - the account form's trimmed fields: bounded after trim; whitespace around them is not counted;
 * - `draft.*`: the account draft is not strict, so unknown keys are accepted and dropped.
 * A new field here fails this test: give it a `max`, or add it with its reason.
 */
const accountDraftFields = [
  'draft.name',
  'draft.accessKeyId',
  'draft.profile',
  'draft.region',
  'draft.endpoint',
  'draft.shareHost',
  'draft.rootBucket',
  'draft.caCertFile',
  'draft.trustedCertificatePem',
  'draft.*',
];
const expectedAssumptions: Record<string, string[]> = {
  'accounts.save': accountDraftFields,
  'accounts.test': accountDraftFields,
  'transfers.upload': ['options.metadata'],
  'details.editObjects': ['edit.metadata'],
  'objects.rename': ['newName'],
  'folders.create': ['name'],
  // A bookmark's name is trimmed before its length is checked, as a folder's name is.
  'bookmarks.add': ['name'],
  'bookmarks.rename': ['name'],
  'sse.setKey': ['key'],
};

describe('maxJsonBytes', () => {
  it('counts 6 bytes per character of a string (a control character is \\u0001 in JSON)', () => {
    expect(maxJsonBytes(z.string().max(10))).toEqual({ bytes: 62, assumed: [] });
    expect(JSON.stringify('\u0001'.repeat(10)).length).toBe(62);
    expect(maxJsonBytes(z.string().uuid())).toEqual({ bytes: 38, assumed: [] });
  });

  it('adds up arrays, strict objects, enums and numbers', () => {
    const schema = z
      .object({
        keys: z.array(z.string().max(3)).max(2),
        mode: z.enum(['copy', 'move']),
        n: z.number().int().min(0).max(999),
      })
      .strict();
    const worst = { keys: ['\u0001\u0001\u0001', '\u0001\u0001\u0001'], mode: 'copy', n: 999 };
    const bound = maxJsonBytes(schema);
    expect(bound.assumed).toEqual([]);
    expect(JSON.stringify(worst).length).toBeLessThanOrEqual(bound.bytes);
  });

  it('names the fields it cannot bound from the schema alone', () => {
    const schema = z.object({
      free: z.string(),
      meta: z.record(z.string(), z.string()),
      trimmed: z.string().trim().max(5),
    });
    const bound = maxJsonBytes(schema);
    expect(bound.assumed).toEqual(['free', 'meta', 'trimmed', '*']);
    expect(bound.bytes).toBeGreaterThan(3 * UNBOUNDED_FIELD_BUDGET);
  });
});

describe('the contract’s request frames', () => {
  it('are bounded by the schemas except for the listed fields', () => {
    const assumed = Object.fromEntries(
      Object.entries(requests)
        .map(([channel, spec]) => [channel, maxRequestFrameBytes(channel, spec.input).assumed] as const)
        .filter(([, paths]) => paths.length > 0),
    );
    expect(assumed).toEqual(expectedAssumptions);
  });

  it('all fit the WebSocket frame limit, which is the largest of them rounded up to a MiB', () => {
    const largest = largestRequestFrame(requests);
    expect(WS_MAX_PAYLOAD).toBeGreaterThanOrEqual(largest.bytes);
    expect(WS_MAX_PAYLOAD - largest.bytes).toBeLessThan(1024 * 1024);
    console.log(
      `largest request frame: ${largest.channel}, ${(largest.bytes / 1024 / 1024).toFixed(1)} MiB; ` +
        `frame limit ${WS_MAX_PAYLOAD / 1024 / 1024} MiB`,
    );
  });

  it('is an upper bound of every valid input fast-check finds, channel by channel', () => {
    const hints = { strings: ['launch', 'a-bucket', 'http://127.0.0.1:9/', '00000000-0000-4000-8000-000000000000'] };
    let valid = 0;
    for (const [channel, spec] of Object.entries(requests)) {
      const bound = maxRequestFrameBytes(channel, spec.input).bytes;
      fc.assert(
        fc.property(schemaArbitrary(spec.input, hints), (input) => {
          if (!spec.input.safeParse(input).success) return;
          valid += 1;
          expect(
            Buffer.byteLength(JSON.stringify({ id: Number.MAX_SAFE_INTEGER, channel, input })),
          ).toBeLessThanOrEqual(bound);
        }),
        { numRuns: 40 },
      );
    }
    expect(valid).toBeGreaterThan(100);
    // 40 inputs for each of about 60 channels, some with arrays of 10,000 long strings: about 8 s
    // on two busy cores, past the default 5 s.
  }, 60_000);
});
