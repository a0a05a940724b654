import { describe, expect, it } from 'vitest';
import type { BucketListState } from '../../stores/accounts-slice';
import { buildTreeRows } from './tree-rows';
import { sampleAccount } from '../../test-support/sample-accounts';

const accounts = [
  sampleAccount({ id: 'a', name: 'Alpha', endpoint: 'http://a' }),
  sampleAccount({ id: 'b', name: 'Beta', endpoint: 'http://b' }),
];
const ready = (...names: string[]): BucketListState => ({
  status: 'ready',
  buckets: names.map((name) => ({ name, createdAt: null })),
  error: null,
});

describe('buildTreeRows', () => {
  it('lists accounts at level 1 and their buckets at level 2 with positions, hiding collapsed children', () => {
    const rows = buildTreeRows(accounts, { a: ready('apples', 'bananas'), b: ready('cherries') }, { b: true });
    expect(rows.map((r) => [r.kind, r.level, r.position, r.setSize])).toEqual([
      ['account', 1, 1, 2],
      ['bucket', 2, 1, 2],
      ['bucket', 2, 2, 2],
      ['account', 1, 2, 2],
    ]);
  });

  it('shows a failure above the last known buckets, and "No buckets" for an empty account', () => {
    const failed: BucketListState = {
      status: 'error',
      buckets: [{ name: 'old', createdAt: null }],
      error: { code: 'network', message: 'Unreachable' },
    };
    const result = buildTreeRows(accounts, { a: failed, b: ready() }, {});
    expect(result.map((r) => (r.kind === 'message' ? `${r.tone}:${r.text}` : r.kind))).toEqual([
      'account',
      'error:Unreachable',
      'bucket',
      'account',
      'empty:No buckets',
    ]);
    // The account's notes offer what to do: reconnect (Try again, Edit account), or create a bucket.
    expect(result.filter((r) => r.kind === 'message').map((r) => r.kind === 'message' && r.offers)).toEqual([
      'reconnect',
      'create-bucket',
    ]);
  });

  it('keeps row ids unique whatever the account ids contain', () => {
    const tricky = [
      sampleAccount({ id: 'x:y', name: 'One', endpoint: '' }),
      sampleAccount({ id: 'x', name: 'Two', endpoint: '' }),
    ];
    const result = buildTreeRows(tricky, { 'x:y': ready('z'), x: ready('y:z') }, {});
    expect(new Set(result.map((r) => r.id)).size).toBe(result.length);
  });

  it('nests listed folders under expanded buckets and folders, with failures and a note when incomplete', () => {
    const key = (prefix: string) => JSON.stringify(['a', 'apples', prefix]);
    const rows = buildTreeRows(
      accounts,
      { a: ready('apples') },
      { b: true },
      {
        children: {
          [key('')]: {
            status: 'ready',
            folders: [
              { kind: 'folder', key: 'red/', name: 'red' },
              { kind: 'folder', key: 'green/', name: 'green' },
            ],
            error: null,
            incomplete: true,
          },
          [key('red/')]: {
            status: 'error',
            folders: [],
            error: { code: 'network', message: 'Lost' },
            incomplete: false,
          },
        },
        expanded: { [key('')]: true, [key('red/')]: true },
      },
    );
    expect(rows.map((r) => [r.kind, r.level, r.position, r.setSize, r.kind === 'message' ? r.text : ''])).toEqual([
      ['account', 1, 1, 2, ''],
      ['bucket', 2, 1, 1, ''],
      ['folder', 3, 1, 3, ''],
      ['message', 4, 1, 1, 'Lost'],
      ['folder', 3, 2, 3, ''],
      ['message', 3, 3, 3, 'More folders: open this folder to see them all'],
      ['account', 1, 2, 2, ''],
    ]);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  });
});
