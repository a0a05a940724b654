import { describe, expect, it } from 'vitest';
import {
  pickedFolderPath,
  pickFromDrop,
  pickFromInput,
  walkEntry,
  type DesktopFiles,
  type DirectoryEntryLike,
  type EntryLike,
  type FileEntryLike,
} from './local-files';

/** A file entry as Chromium gives it for a dropped file. */
function fileEntry(name: string, text: string): FileEntryLike {
  return { name, isFile: true, isDirectory: false, file: (success) => success(new File([text], name)) };
}

/** A folder entry whose reader answers in batches of `batch` (Chromium answers at most 100). */
function folderEntry(name: string, children: EntryLike[], batch = 2): DirectoryEntryLike {
  return {
    name,
    isFile: false,
    isDirectory: true,
    createReader() {
      let next = 0;
      return {
        readEntries(success) {
          const slice = children.slice(next, next + batch);
          next += slice.length;
          setTimeout(() => success(slice), 0);
        },
      };
    },
  };
}

async function texts(files: Array<{ relativePath: string; file: Blob }>) {
  return Object.fromEntries(await Promise.all(files.map(async (f) => [f.relativePath, await f.file.text()])));
}

describe('walking a dropped folder', () => {
  it('finds every file, however deep, reading each folder until its reader answers nothing', async () => {
    const album = folderEntry('album', [
      fileEntry('a.jpg', 'A'),
      fileEntry('b.jpg', 'B'),
      fileEntry('c.jpg', 'C'),
      folderEntry('2024', [fileEntry('d.jpg', 'D'), folderEntry('empty', [])]),
    ]);
    expect(await texts(await walkEntry(album))).toEqual({
      'album/a.jpg': 'A',
      'album/b.jpg': 'B',
      'album/c.jpg': 'C',
      'album/2024/d.jpg': 'D',
    });
  });

  it('turns a drop into files with their paths (web mode), a plain file by its name', async () => {
    const pick = await pickFromDrop(
      [
        { entry: folderEntry('docs', [fileEntry('x.txt', 'X')]), file: null },
        { entry: null, file: new File(['Y'], 'y.txt') },
      ],
      null,
    );
    expect(pick.kind).toBe('files');
    if (pick.kind === 'files') expect(await texts(pick.files)).toEqual({ 'docs/x.txt': 'X', 'y.txt': 'Y' });
  });

  it('turns a drop into paths on disk in Electron, leaving out items that have none', async () => {
    const desktop: DesktopFiles = { pathForFile: (file) => (file.name === 'web.txt' ? '' : `/home/me/${file.name}`) };
    const pick = await pickFromDrop(
      [
        { entry: null, file: new File([''], 'album') },
        { entry: null, file: new File(['a'], 'a.txt') },
        { entry: null, file: new File(['w'], 'web.txt') },
      ],
      desktop,
    );
    expect(pick).toEqual({ kind: 'paths', paths: ['/home/me/album', '/home/me/a.txt'] });
  });
});

describe('picked files', () => {
  /** A File as a folder picker gives it: with the path inside the picked folder. */
  const picked = (relativePath: string, text = '') =>
    Object.assign(new File([text], relativePath.split('/').pop() ?? ''), { webkitRelativePath: relativePath });

  it('keep their path inside a picked folder (web mode)', async () => {
    const pick = pickFromInput([picked('album/a.jpg', 'A'), picked('album/2024/b.jpg', 'B')], null);
    expect(pick.kind).toBe('files');
    if (pick.kind === 'files') expect(await texts(pick.files)).toEqual({ 'album/a.jpg': 'A', 'album/2024/b.jpg': 'B' });
    const plain = pickFromInput([Object.assign(new File(['P'], 'p.txt'), { webkitRelativePath: '' })], null);
    expect(plain.kind === 'files' && plain.files.map((f) => f.relativePath)).toEqual(['p.txt']);
  });

  it('become the picked folder’s path in Electron, once', () => {
    const desktop: DesktopFiles = {
      pathForFile: (file) =>
        `/home/me/pictures/${(file as unknown as { webkitRelativePath: string }).webkitRelativePath}`,
    };
    expect(pickFromInput([picked('album/a.jpg'), picked('album/2024/b.jpg')], desktop)).toEqual({
      kind: 'paths',
      paths: ['/home/me/pictures/album'],
    });
  });

  it('find the folder on Windows paths too', () => {
    expect(pickedFolderPath('C:\\Users\\me\\album\\2024\\b.jpg', 'album/2024/b.jpg')).toBe('C:\\Users\\me\\album');
    expect(pickedFolderPath('/a/b.txt', 'b.txt')).toBe('/a/b.txt');
  });
});
