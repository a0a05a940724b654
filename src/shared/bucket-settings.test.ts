import { describe, expect, it } from 'vitest';
import { bucketTagSetSchema, effectivePublicAccess, switchesTurnedOff } from './bucket-settings';

/** The messages a tag set is refused with (none where it passes). */
function refusals(tags: { key: string; value: string }[]): string[] {
  const checked = bucketTagSetSchema.safeParse(tags);
  return checked.success ? [] : checked.error.issues.map((issue) => issue.message);
}

describe("S3's rules for bucket tags", () => {
  it('take 50 tags of S3 characters, keys up to 128 and values up to 256, empty values included', () => {
    const fifty = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: i === 0 ? '' : 'v' }));
    expect(refusals(fifty)).toEqual([]);
    expect(refusals([{ key: 'Ünïcode key_1.:/=+-@ ', value: 'x'.repeat(256) }])).toEqual([]);
  });

  it('refuse a 51st tag, a repeated key, an empty or long key, a long value, other characters and the aws: prefix', () => {
    const many = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    expect(refusals(many)).toEqual(['A bucket can have at most 50 tags.']);
    expect(
      refusals([
        { key: 'a', value: '1' },
        { key: 'a', value: '2' },
      ]),
    ).toEqual(['Each tag key may appear only once.']);
    expect(refusals([{ key: '', value: '1' }])).toEqual(['A tag key cannot be empty.']);
    expect(refusals([{ key: 'k'.repeat(129), value: '1' }])).toEqual(['A tag key has at most 128 characters.']);
    expect(refusals([{ key: 'k', value: 'v'.repeat(257) }])).toEqual(['A tag value has at most 256 characters.']);
    expect(refusals([{ key: 'a*b', value: 'c' }])).toEqual([
      'A tag key may contain letters, digits, spaces and _ . : / = + - @.',
    ]);
    expect(refusals([{ key: 'AWS:cost', value: 'c' }])).toEqual([
      'A tag key cannot start with "aws:": AWS keeps that prefix for its own tags.',
    ]);
  });
});

describe('which Block Public Access switches a change turns off', () => {
  const on = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };
  it('names the switches on before and off after, and none where there was no configuration', () => {
    expect(switchesTurnedOff(on, { ...on, blockPublicPolicy: false, ignorePublicAcls: false })).toEqual([
      'ignorePublicAcls',
      'blockPublicPolicy',
    ]);
    expect(switchesTurnedOff(null, { ...on, blockPublicAcls: false })).toEqual([]);
    expect(switchesTurnedOff({ ...on, blockPublicAcls: false }, on)).toEqual([]);
  });
});

describe('Block Public Access in effect for a bucket', () => {
  it("is on where the account's or the bucket's switch is on, saying which; none set is all off", () => {
    const on = {
      blockPublicAcls: true,
      ignorePublicAcls: false,
      blockPublicPolicy: true,
      restrictPublicBuckets: false,
    };
    const bucket = {
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: false,
      restrictPublicBuckets: false,
    };
    expect(effectivePublicAccess(bucket, on)).toEqual({
      blockPublicAcls: 'account and bucket',
      ignorePublicAcls: 'bucket',
      blockPublicPolicy: 'account',
      restrictPublicBuckets: 'off',
    });
    expect(Object.values(effectivePublicAccess(null, null))).toEqual(['off', 'off', 'off', 'off']);
  });
});
