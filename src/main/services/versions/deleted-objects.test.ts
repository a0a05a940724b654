import { describe, expect, it } from 'vitest';
import { createDeletedPicker } from './deleted-objects';
import type { VersionEntry } from './version-pages';

/** Entries of one key in S3's order (newest first): 'M' a delete marker, 'V' a version. */
function key(name: string, kinds: string): VersionEntry[] {
  return [...kinds].map((kind, i) => ({
    key: name,
    versionId: `${name}-${i}`,
    isDeleteMarker: kind === 'M',
    isLatest: i === 0,
    lastModified: new Date(Date.UTC(2026, 0, 1) - i * 1000),
    size: 1,
  }));
}

const ids = (targets: { VersionId?: string | undefined }[]) => targets.map((t) => t.VersionId);

describe('createDeletedPicker', () => {
  it('undelete takes the markers on top of deleted keys, even across pages, and leaves live keys alone', () => {
    const picker = createDeletedPicker('undelete');
    const [first, second] = [
      [...key('a', 'MV'), ...key('b', 'VM'), ...key('c', 'MM')],
      [...key('c', 'MMV').slice(2), ...key('d', 'M')],
    ];
    const one = picker.take(first ?? []);
    expect(ids(one.targets)).toEqual(['a-0']);
    expect(one.restored).toEqual(['a']);
    expect(one.files).toEqual(['a', 'c']);
    // c's two markers wait for the version on the next page; d has markers only.
    const two = picker.take(second ?? []);
    expect(ids(two.targets)).toEqual(['c-0', 'c-1']);
    expect(two.restored).toEqual(['c']);
    expect(picker.finish().noEarlier).toEqual(['d']);
  });

  it('purge takes every version and marker of deleted keys only', () => {
    const picker = createDeletedPicker('purge');
    const picked = picker.take([...key('a', 'MVV'), ...key('b', 'VMV')]);
    expect(ids(picked.targets)).toEqual(['a-0', 'a-1', 'a-2']);
    expect(picked.files).toEqual(['a']);
    expect(picker.finish()).toMatchObject({ targets: [], noEarlier: [] });
  });
});
