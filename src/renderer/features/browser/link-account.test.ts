import { describe, expect, it } from 'vitest';
import { chooseLinkAccount } from './link-account';

const lists: Record<string, string[] | undefined> = {
  work: ['reports', 'shared'],
  home: ['photos', 'shared'],
  minio: undefined,
};
const facts = (bucket: string, currentAccountId: string | null = null, accountIds = ['work', 'home', 'minio']) => ({
  accountIds,
  bucketsOf: (id: string) => lists[id],
  currentAccountId,
  bucket,
});

describe('chooseLinkAccount', () => {
  it('opens in the one account that lists the bucket', () => {
    expect(chooseLinkAccount(facts('photos'))).toEqual({ kind: 'open', accountId: 'home' });
    expect(chooseLinkAccount(facts('photos', 'work'))).toEqual({ kind: 'open', accountId: 'home' });
  });

  it('stays in the current account when it lists the bucket', () => {
    expect(chooseLinkAccount(facts('shared', 'work'))).toEqual({ kind: 'open', accountId: 'work' });
  });

  it('asks which when several accounts list the bucket', () => {
    expect(chooseLinkAccount(facts('shared'))).toEqual({
      kind: 'ask',
      accountIds: ['work', 'home'],
      reason: 'several',
    });
  });

  it('asks among all accounts when none lists it, unless there is only one', () => {
    expect(chooseLinkAccount(facts('elsewhere', 'work'))).toEqual({
      kind: 'ask',
      accountIds: ['work', 'home', 'minio'],
      reason: 'none',
    });
    expect(chooseLinkAccount(facts('elsewhere', null, ['minio']))).toEqual({ kind: 'open', accountId: 'minio' });
    expect(chooseLinkAccount(facts('elsewhere', null, []))).toEqual({ kind: 'no-accounts' });
  });
});
