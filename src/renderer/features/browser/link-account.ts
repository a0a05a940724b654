/** Which account opens a link: one to open it with, or the accounts to ask the person to pick from. */
export type LinkAccountChoice =
  | { kind: 'open'; accountId: string }
  | { kind: 'ask'; accountIds: string[]; reason: 'several' | 'none' }
  | { kind: 'no-accounts' };

/** What the choice is made from: the accounts in order, and the buckets each one listed (undefined: not listed yet). */
export interface LinkAccountFacts {
  accountIds: readonly string[];
  bucketsOf: (accountId: string) => readonly string[] | undefined;
  /** The account being browsed: a path typed while in it stays in it when it has the bucket. */
  currentAccountId: string | null;
  bucket: string;
}

/**
 * Picks the account a link (or a typed path) opens in: the current account if it lists the
 * bucket; else the one account that lists it; several that do, or none (with more than one
 * account), are asked about, because guessing would open the wrong service's bucket of that
 * name. A single account opens it even unlisted: it may see the bucket without ListBuckets.
 */
export function chooseLinkAccount({
  accountIds,
  bucketsOf,
  currentAccountId,
  bucket,
}: LinkAccountFacts): LinkAccountChoice {
  if (accountIds.length === 0) return { kind: 'no-accounts' };
  if (currentAccountId !== null && bucketsOf(currentAccountId)?.includes(bucket)) {
    return { kind: 'open', accountId: currentAccountId };
  }
  const holders = accountIds.filter((id) => bucketsOf(id)?.includes(bucket));
  if (holders.length === 1 && holders[0] !== undefined) return { kind: 'open', accountId: holders[0] };
  if (holders.length > 1) return { kind: 'ask', accountIds: holders, reason: 'several' };
  if (accountIds.length === 1 && accountIds[0] !== undefined) return { kind: 'open', accountId: accountIds[0] };
  return { kind: 'ask', accountIds: [...accountIds], reason: 'none' };
}
