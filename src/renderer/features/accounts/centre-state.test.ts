import { describe, expect, it } from 'vitest';
import type { BucketListState } from '../../stores/accounts-slice';
import { sampleAccount } from '../../test-support/sample-accounts';
import { centreStateOf, type CentreInput } from './centre-state';

const alpha = sampleAccount({ id: 'a', name: 'Alpha', endpoint: 'http://a' });
const beta = sampleAccount({ id: 'b', name: 'Beta', endpoint: 'http://b' });
const network = { code: 'network' as const, message: 'The service could not be reached.' };
const list = (status: BucketListState['status'], names: string[] = [], error = null): BucketListState => ({
  status,
  buckets: names.map((name) => ({ name, createdAt: null })),
  error,
});

const input = (fields: Partial<CentreInput>): CentreInput => ({
  accounts: [alpha],
  accountsStatus: 'ready',
  accountsError: null,
  bucketLists: {},
  selection: null,
  ...fields,
});

describe('centreStateOf', () => {
  it('loads, fails to read, or welcomes when there is no account', () => {
    expect(centreStateOf(input({ accounts: [], accountsStatus: 'loading' })).kind).toBe('loading-accounts');
    expect(centreStateOf(input({ accounts: [], accountsStatus: 'idle' })).kind).toBe('loading-accounts');
    expect(centreStateOf(input({ accounts: [], accountsStatus: 'error', accountsError: network }))).toEqual({
      kind: 'accounts-failed',
      error: network,
    });
    expect(centreStateOf(input({ accounts: [] })).kind).toBe('welcome');
  });

  it('follows the only account without a selection: connecting, failed, empty, or buckets to choose', () => {
    expect(centreStateOf(input({})).kind).toBe('connecting');
    expect(centreStateOf(input({ bucketLists: { a: list('loading') } })).kind).toBe('connecting');
    expect(centreStateOf(input({ bucketLists: { a: { ...list('error'), error: network } } }))).toEqual({
      kind: 'account-failed',
      account: alpha,
      error: network,
    });
    // Try again keeps the last error while it runs: that is connecting again.
    expect(centreStateOf(input({ bucketLists: { a: { ...list('loading'), error: network } } })).kind).toBe(
      'connecting',
    );
    expect(centreStateOf(input({ bucketLists: { a: list('ready') } })).kind).toBe('no-buckets');
    expect(centreStateOf(input({ bucketLists: { a: list('ready', ['x', 'y']) } }))).toEqual({
      kind: 'choose-bucket',
      account: alpha,
      bucketCount: 2,
    });
  });

  it('speaks of the selected account among several, and asks for one when none is selected', () => {
    const bucketLists = { a: list('ready', ['x']), b: { ...list('error'), error: network } };
    expect(centreStateOf(input({ accounts: [alpha, beta], bucketLists }))).toEqual({
      kind: 'choose-account',
      accountCount: 2,
      bucketCount: 1,
    });
    expect(centreStateOf(input({ accounts: [alpha, beta], bucketLists: { a: list('ready') } }))).toMatchObject({
      kind: 'choose-account',
      bucketCount: 0,
    });
    expect(
      centreStateOf(input({ accounts: [alpha, beta], bucketLists, selection: { kind: 'account', accountId: 'b' } })),
    ).toMatchObject({ kind: 'account-failed', account: beta });
  });
});
