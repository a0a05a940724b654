import { chmod, lstat, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppFailure } from '../app-failure';

/** What a private folder is for, in the words of its refusals ("the spool folder … so dropped files are not kept there"). */
export interface PrivateFolderWords {
  /** The folder's name in a sentence: "spool folder". */
  name: string;
  /** What is not done when it is refused: "dropped files are not kept there". */
  refused: string;
  /** What to do again afterwards: "drop the files again". */
  retry: string;
}

const spoolWords: PrivateFolderWords = {
  name: 'spool folder',
  refused: 'dropped files are not kept there',
  retry: 'drop the files again',
};

/**
 * Makes `folder` (and its parents) exist as a private folder: a real folder, not a symbolic
 * link, owned by this process's user, with mode 0700 (tightened when it is looser). Refuses a
 * link or another user's folder, which could let someone else see or change the files.
 */
export async function ensurePrivateFolder(folder: string, words: PrivateFolderWords = spoolWords): Promise<void> {
  await mkdir(dirname(folder), { recursive: true, mode: 0o700 });
  try {
    await mkdir(folder, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const info = await lstat(folder);
  if (info.isSymbolicLink() || !info.isDirectory()) {
    throw new AppFailure(
      'access-denied',
      `The ${words.name} "${folder}" is ${info.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}, so ${words.refused}. Remove it, then ${words.retry}.`,
    );
  }
  // Windows has no uid or mode bits: the data folder's ACL (the person's profile) keeps it private.
  const uid = process.getuid?.();
  if (uid === undefined) return;
  if (info.uid !== uid) {
    throw new AppFailure(
      'access-denied',
      `The ${words.name} "${folder}" belongs to another user (uid ${info.uid}), so ${words.refused}. Remove it, then ${words.retry}.`,
    );
  }
  if ((info.mode & 0o077) !== 0) await chmod(folder, 0o700);
}
