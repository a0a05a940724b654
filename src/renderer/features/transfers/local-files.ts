import type { LocalFile, UploadPick } from '../../stores/transfers-slice';

/** What the Electron preload offers for files: a dropped or picked file's path on disk. */
export interface DesktopFiles {
  pathForFile(file: File): string;
}

/** The preload's file helper in Electron; null in a browser (web mode). */
export function desktopFiles(): DesktopFiles | null {
  return typeof window !== 'undefined' ? (window.s3fmFiles ?? null) : null;
}

/** The parts of FileSystemEntry that a walk needs (so tests can give plain objects). */
export interface EntryLike {
  name: string;
  isFile: boolean;
  isDirectory: boolean;
}

/** A file entry: reads its File. */
export interface FileEntryLike extends EntryLike {
  file(success: (file: File) => void, failure?: (error: unknown) => void): void;
}

/** A folder entry: lists its children in batches until a batch comes back empty. */
export interface DirectoryEntryLike extends EntryLike {
  createReader(): { readEntries(success: (entries: EntryLike[]) => void, failure?: (error: unknown) => void): void };
}

/** One dropped item, taken out of the DataTransfer while the drop event lasts (later it is empty). */
export interface DroppedItem {
  entry: EntryLike | null;
  file: File | null;
}

/** Takes the dropped items out of a DataTransfer; must run inside the drop event's handler. */
export function takeDroppedItems(dataTransfer: DataTransfer): DroppedItem[] {
  const items: DroppedItem[] = [];
  for (const item of Array.from(dataTransfer.items)) {
    if (item.kind !== 'file') continue;
    items.push({ entry: item.webkitGetAsEntry?.() ?? null, file: item.getAsFile() });
  }
  // Some sources give files without items.
  if (items.length === 0) for (const file of Array.from(dataTransfer.files)) items.push({ entry: null, file });
  return items;
}

const readFile = (entry: FileEntryLike) =>
  new Promise<File>((resolve, reject) => entry.file(resolve, (error) => reject(toError(error))));

const readBatch = (reader: ReturnType<DirectoryEntryLike['createReader']>) =>
  new Promise<EntryLike[]>((resolve, reject) => reader.readEntries(resolve, (error) => reject(toError(error))));

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Every file under an entry, with its path from the dropped item's own name down
 * ("album/2024/a.jpg"), so a dropped folder keeps its structure. Empty folders add nothing.
 */
export async function walkEntry(entry: EntryLike, parent = ''): Promise<LocalFile[]> {
  const path = parent === '' ? entry.name : `${parent}/${entry.name}`;
  if (entry.isFile) return [{ relativePath: path, file: await readFile(entry as FileEntryLike) }];
  if (!entry.isDirectory) return [];
  const reader = (entry as DirectoryEntryLike).createReader();
  const files: LocalFile[] = [];
  // readEntries answers at most 100 entries at a time (Chromium): read until it answers none.
  for (let batch = await readBatch(reader); batch.length > 0; batch = await readBatch(reader)) {
    for (const child of batch) files.push(...(await walkEntry(child, path)));
  }
  return files;
}

/**
 * What a drop uploads: in Electron each item's path on disk (main walks folders itself); in a
 * browser every file with its relative path, folders walked here.
 */
export async function pickFromDrop(items: readonly DroppedItem[], desktop: DesktopFiles | null): Promise<UploadPick> {
  if (desktop) {
    const paths = items.map((item) => (item.file ? desktop.pathForFile(item.file) : '')).filter((p) => p !== '');
    return { kind: 'paths', paths };
  }
  const files: LocalFile[] = [];
  for (const item of items) {
    if (item.entry) files.push(...(await walkEntry(item.entry)));
    else if (item.file) files.push({ relativePath: item.file.name, file: item.file });
  }
  return { kind: 'files', files };
}

/** A picked file: a File with the path inside the picked folder (empty from a plain file picker). */
export interface PickedFile {
  name: string;
  webkitRelativePath: string;
}

/**
 * The folder a folder picker chose, on disk: a file's path with its path inside the folder taken
 * off, keeping the folder's own name ("/home/a/album/x/y.jpg" with "album/x/y.jpg" → "/home/a/album").
 */
export function pickedFolderPath(filePath: string, relativePath: string): string {
  const below = relativePath.split('/').length - 1;
  let path = filePath;
  for (let i = 0; i < below; i++) path = path.replace(/[\\/][^\\/]*$/, '');
  return path;
}

/** What a file or folder picker uploads (the files of one `<input type=file>` change). */
export function pickFromInput<F extends Blob & PickedFile>(
  files: readonly F[],
  desktop: DesktopFiles | null,
): UploadPick {
  if (desktop) {
    const paths = files.map((file) => {
      const path = desktop.pathForFile(file as unknown as File);
      return file.webkitRelativePath ? pickedFolderPath(path, file.webkitRelativePath) : path;
    });
    return { kind: 'paths', paths: [...new Set(paths.filter((p) => p !== ''))] };
  }
  return { kind: 'files', files: files.map((file) => ({ relativePath: file.webkitRelativePath || file.name, file })) };
}

/** Tells whether a drag carries files from outside (not text, not a row of the list). */
export function carriesFiles(dataTransfer: DataTransfer | null): boolean {
  return dataTransfer !== null && Array.from(dataTransfer.types).includes('Files');
}
