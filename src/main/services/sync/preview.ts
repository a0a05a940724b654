import type { SyncAction, SyncRow, SyncSideState, SyncTotal } from '../../../shared/sync';
import { localChanged, remoteChanged, type BaselineEntry } from './baseline';
import { classifyPath, TIME_SLACK_MS, type CompareSettings, type PathFacts, type SideFacts } from './compare';
import type { LineWriter } from './line-files';
import type { LocalFile } from './local-tree';
import { mergeByPath } from './merge-join';
import type { RemoteObject } from './remote-tree';

/** What a comparison reads and how it decides. */
export interface PreviewInputs {
  local: AsyncIterable<LocalFile>;
  remote: AsyncIterable<RemoteObject>;
  base: AsyncIterable<BaselineEntry>;
  settings: CompareSettings;
  /**
   * Whether a plain ETag is the MD5 of the bytes (capability model): `md5` decides both ways;
   * `unknown` only proves equality (an encrypted object's ETag may be no MD5), so a mismatch
   * falls back to size and time; `opaque` never hashes.
   */
  etagRule: 'md5' | 'opaque' | 'unknown';
  /** The MD5 (hex) of a local file, read as a stream. */
  md5Of: (path: string) => Promise<string>;
  /** Why a remote path cannot be a local file here (a name the file system refuses); undefined if it can. */
  noLocalName: (path: string) => string | undefined;
  /** Called every so many paths with how many were compared. */
  progress?: (compared: number) => void;
  signal?: AbortSignal;
}

/** What a comparison found; its rows went to the writer in path order. */
export interface PreviewCounts {
  rows: number;
  totals: Record<SyncAction, SyncTotal>;
  same: number;
  baseline: boolean;
  localFiles: number;
  remoteObjects: number;
  /** The indices of the conflict rows, so they can be listed apart. */
  conflicts: number[];
}

/** A plain MD5 ETag (32 hex digits): a multipart ("…-N") or opaque ETag is not a digest of the bytes. */
const plainMd5 = /^[0-9a-f]{32}$/;

const sideOf = (facts: { size: number; mtimeMs: number }, extra: Partial<SyncSideState> = {}): SyncSideState => ({
  size: facts.size,
  modified: new Date(facts.mtimeMs).toISOString(),
  ...extra,
});

/**
 * Compares both sides path by path in one pass (a merge-join of the sorted local walk, the
 * bucket's pages and the last sync's record) and writes a row for each path that is not the
 * same on both sides. Equal content is told by MD5 where the object's ETag is one (hashing the
 * file only when sizes match and the last sync cannot vouch for it), else by size and time (the
 * object not older than the file).
 */
export async function comparePaths(inputs: PreviewInputs, writer: LineWriter): Promise<PreviewCounts> {
  const actions: SyncAction[] = ['upload', 'download', 'replace', 'delete', 'conflict', 'skip'];
  const totals = Object.fromEntries(actions.map((action) => [action, { count: 0, bytes: 0 }])) as Record<
    SyncAction,
    SyncTotal
  >;
  const counts: PreviewCounts = {
    rows: 0,
    totals,
    same: 0,
    baseline: false,
    localFiles: 0,
    remoteObjects: 0,
    conflicts: [],
  };
  const upload = inputs.settings.direction === 'upload';
  let compared = 0;
  const merged = mergeByPath<{ local: LocalFile; remote: RemoteObject; base: BaselineEntry }>({
    local: inputs.local,
    remote: inputs.remote,
    base: inputs.base,
  });
  for await (const { path, local, remote, base } of merged) {
    inputs.signal?.throwIfAborted();
    compared += 1;
    if (compared % 500 === 0) inputs.progress?.(compared);
    if (base) counts.baseline = true;
    if (!local && !remote) continue;
    if (local) counts.localFiles += 1;
    if (remote) counts.remoteObjects += 1;
    let md5: string | undefined;
    let equal: boolean | undefined;
    const unchanged = base !== undefined && !localChanged(local, base) && !remoteChanged(remote, base);
    if (local && remote) {
      if (unchanged) equal = true;
      else if (local.size !== remote.size) equal = false;
      else {
        if (inputs.etagRule !== 'opaque' && plainMd5.test(remote.etag)) md5 = await inputs.md5Of(path);
        if (md5 === remote.etag) equal = true;
        else if (md5 !== undefined && inputs.etagRule === 'md5') equal = false;
        else equal = local.mtimeMs <= remote.mtimeMs + TIME_SLACK_MS;
      }
    }
    const sourceFacts: SideFacts | undefined = upload ? local : remote;
    const targetFacts: SideFacts | undefined = upload ? remote : local;
    const facts: PathFacts = {
      ...(sourceFacts ? { source: sourceFacts } : {}),
      ...(targetFacts ? { target: targetFacts } : {}),
      ...(equal !== undefined ? { equal } : {}),
      ...(base
        ? {
            since: {
              sourceChanged: upload ? localChanged(local, base) : remoteChanged(remote, base),
              targetChanged: upload ? remoteChanged(remote, base) : localChanged(local, base),
            },
          }
        : {}),
    };
    let verdict = classifyPath(facts, inputs.settings);
    if (verdict.kind === 'same') {
      counts.same += 1;
      continue;
    }
    if (verdict.kind === 'kept') continue;
    const unnamed = !upload && remote && verdict.action !== 'delete' ? inputs.noLocalName(path) : undefined;
    if (unnamed) verdict = { kind: 'row', action: 'skip', reason: unnamed, ticked: false, tickable: false };
    const row: SyncRow = {
      index: counts.rows,
      path,
      action: verdict.action,
      reason: verdict.reason,
      ticked: verdict.ticked,
      tickable: verdict.tickable,
      ...(local ? { local: sideOf(local, md5 ? { md5 } : {}) } : {}),
      ...(remote ? { remote: sideOf(remote, { etag: remote.etag }) } : {}),
    };
    await writer.add(row);
    if (row.action === 'conflict') counts.conflicts.push(row.index);
    counts.rows += 1;
    const total = totals[verdict.action];
    total.count += 1;
    const sized = verdict.action === 'delete' ? (upload ? remote : local) : upload ? local : remote;
    total.bytes += sized?.size ?? 0;
  }
  inputs.progress?.(compared);
  return counts;
}
