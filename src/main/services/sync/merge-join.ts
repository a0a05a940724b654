import { compareKeys } from './key-order';

/** What one path has on each of the streams merged. */
export type Joined<T extends Record<string, { path: string }>> = { path: string } & { [K in keyof T]?: T[K] };

/**
 * Merges streams that are each sorted by path (S3's key order) into one stream of paths, each
 * with what every stream had for it: a merge-join, so no stream is held whole. A stream out of
 * order is an error (a service listing keys out of order would otherwise make a file look
 * missing and be deleted).
 */
export async function* mergeByPath<T extends Record<string, { path: string }>>(streams: {
  [K in keyof T]: AsyncIterable<T[K]>;
}): AsyncGenerator<Joined<T>> {
  const names = Object.keys(streams) as (keyof T)[];
  const iterators = names.map((name) => streams[name][Symbol.asyncIterator]());
  const heads: (T[keyof T] | undefined)[] = await Promise.all(iterators.map(async (it) => (await it.next()).value));
  const advance = async (index: number) => {
    const previous = heads[index]?.path;
    const next = (await iterators[index]?.next())?.value as T[keyof T] | undefined;
    if (next && previous !== undefined && compareKeys(previous, next.path) >= 0) {
      throw new Error(`The ${String(names[index])} listing is out of order at "${next.path}" (after "${previous}").`);
    }
    heads[index] = next;
  };
  try {
    for (;;) {
      let least: string | undefined;
      for (const head of heads)
        if (head && (least === undefined || compareKeys(head.path, least) < 0)) least = head.path;
      if (least === undefined) return;
      const joined = { path: least } as Joined<T>;
      const moving: number[] = [];
      heads.forEach((head, index) => {
        if (head?.path === least) {
          (joined as Record<keyof T, unknown>)[names[index] as keyof T] = head;
          moving.push(index);
        }
      });
      yield joined;
      await Promise.all(moving.map(advance));
    }
  } finally {
    await Promise.all(iterators.map((it) => it.return?.()));
  }
}
