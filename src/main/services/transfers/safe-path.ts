import { createHash } from 'node:crypto';
import { lstat, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { numberedName } from '../../../shared/names';

/** Which file-name rules apply: POSIX (Linux, macOS) or Windows, which forbids far more. */
export type PathRules = 'posix' | 'win32';

/** A key's path made safe to write under a folder, or why it cannot be. */
export type SafeRelativePath = { ok: true; segments: string[]; reasons: string[] } | { ok: false; reason: string };

/**
 * Names Windows reserves for devices, with or without an extension ("con.txt" too), and with
 * spaces before the extension, which Windows drops ("nul .txt"). CONIN$ and CONOUT$ are the
 * console's input and output.
 */
const reservedOnWindows = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³]) *(\..*)?$/i;
/** Characters Windows refuses in a file name (and control characters). */
// eslint-disable-next-line no-control-regex
const illegalOnWindows = /[<>:"|?*\u0000-\u001f]/;
/**
 * Bidirectional formatting characters: invisible, they reorder what a name shows, so
 * "invoice\u202Efdp.exe" reads as "invoiceexe.pdf" (CVE-2021-42574, "Trojan Source").
 * LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI; LRM, RLM; and the Arabic letter mark.
 */
const bidiControls = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
/** Most file systems allow 255 bytes (ext4, btrfs) or 255 UTF-16 units (NTFS, APFS) per name. */
const MAX_NAME_LENGTH = 255;
/** A name shortened to fit keeps at least this much of itself before its hash. */
const MIN_SHORTENED_LENGTH = 24;
/**
 * Room kept below the path limit for what downloads add to a name: the temporary file's
 * ".<name>.<8 hex>.s3fm-part" (20 more) and a "keep both" number (" (9999)").
 */
const PATH_RESERVE = 32;

/** The length that counts against a limit: UTF-8 bytes on POSIX, UTF-16 units on Windows. */
function lengthOf(text: string, rules: PathRules): number {
  return rules === 'win32' ? text.length : Buffer.byteLength(text);
}

/** The longest start of `text` (whole code points) no longer than `limit`. */
function truncate(text: string, limit: number, rules: PathRules): string {
  let kept = '';
  let length = 0;
  for (const char of text) {
    const size = lengthOf(char, rules);
    if (length + size > limit) break;
    kept += char;
    length += size;
  }
  return kept;
}

/**
 * A name cut to `limit`, still telling names apart: its start, "~" and 8 hex of the SHA-256 of
 * `original` (the key's segment), then its extension (".pdf" keeps opening with the right app).
 */
function shortenName(name: string, original: string, limit: number, rules: PathRules): string {
  const hash = `~${createHash('sha256').update(original).digest('hex').slice(0, 8)}`;
  const extension = /\.[^.\s]{1,16}$/.exec(name)?.[0] ?? '';
  const base = extension ? name.slice(0, -extension.length) : name;
  const room = Math.max(0, limit - lengthOf(hash, rules) - lengthOf(extension, rules));
  return `${truncate(base, room, rules)}${hash}${extension}`;
}

/**
 * Maps the path of an object below the downloaded folder ("photos/2024/a.jpg") to path
 * segments that stay inside the target folder and are legal file names: '..' becomes '_',
 * empty and '.' segments (a leading '/', '//') are dropped, backslashes, NUL and bidirectional
 * controls become '_', trailing dots and spaces become '_' (Windows drops them, so such names
 * cannot be kept on Windows, SMB or exFAT, and a trailing space hides a name's real end), and
 * under Windows rules reserved names and <>:"|?* are replaced too. A name longer than file
 * systems allow is shortened with a hash, keeping its extension. `reasons` says what was
 * changed, for the note a person reads.
 */
export function safeRelativePath(path: string, rules: PathRules): SafeRelativePath {
  const reasons = new Set<string>();
  const segments: string[] = [];
  const parts = path.split('/');
  parts.forEach((segment, index) => {
    if (segment === '' || segment === '.') {
      if (index === 0 && segment === '') reasons.add("a leading '/' was removed");
      else if (index < parts.length - 1 || segment === '.') reasons.add("empty or '.' parts were removed");
      return;
    }
    if (segment === '..') {
      reasons.add("'..' became '_'");
      segments.push('_');
      return;
    }
    let name = segment;
    if (name.includes('\\')) {
      reasons.add("backslashes became '_'");
      name = name.replace(/\\/g, '_');
    }
    if (name.includes('\0')) {
      reasons.add("NUL characters became '_'");
      name = name.replace(/\0/g, '_');
    }
    if (bidiControls.test(name)) {
      reasons.add("invisible text-direction characters became '_'");
      name = name.replace(bidiControls, '_');
    }
    if (rules === 'win32' && illegalOnWindows.test(name)) {
      reasons.add("characters Windows does not allow (<>:\"|?*) became '_'");
      name = name.replace(new RegExp(illegalOnWindows.source, 'g'), '_');
    }
    if (/[. ]$/.test(name)) {
      reasons.add("a trailing dot or space became '_'");
      name = name.replace(/[. ]+$/, (tail) => '_'.repeat(tail.length));
    }
    if (rules === 'win32' && reservedOnWindows.test(name)) {
      reasons.add(`"${name}" is a name Windows reserves, so it got a leading '_'`);
      name = `_${name}`;
    }
    if (lengthOf(name, rules) > MAX_NAME_LENGTH) {
      reasons.add(`a name longer than ${MAX_NAME_LENGTH} bytes was shortened (a hash keeps it apart)`);
      name = shortenName(name, segment, MAX_NAME_LENGTH, rules);
    }
    segments.push(name);
  });
  if (segments.length === 0) return { ok: false, reason: 'Its key has no part that can be used as a file name.' };
  return { ok: true, segments, reasons: [...reasons] };
}

/** The file-name rules of the system the app runs on. */
export function currentPathRules(): PathRules {
  return process.platform === 'win32' ? 'win32' : 'posix';
}

/**
 * The longest whole path (less one, for the terminating NUL) the system handles well:
 * MAX_PATH on Windows (Explorer and most programs still stop there), PATH_MAX on macOS
 * (1,024) and Linux (4,096).
 */
export function maxPathLength(rules: PathRules, platform: NodeJS.Platform = process.platform): number {
  if (rules === 'win32') return 259;
  return platform === 'darwin' ? 1023 : 4095;
}

/**
 * Makes a download's path under `folder` fit the system's path limit (with room for the
 * temporary file and a "keep both" number): the longest names are shortened, with a hash,
 * until it fits. Refused when even short names cannot fit (the folder's own path is too long).
 */
export function fitPathLength(
  folder: string,
  segments: readonly string[],
  rules: PathRules,
  limit: number = maxPathLength(rules),
): SafeRelativePath {
  const fitted = [...segments];
  const total = () =>
    lengthOf(resolve(folder), rules) + fitted.reduce((sum, name) => sum + 1 + lengthOf(name, rules), 0);
  let shortened = false;
  for (let excess = total() + PATH_RESERVE - limit; excess > 0; excess = total() + PATH_RESERVE - limit) {
    // The longest name that can still give something up ("~" and 8 hex stay).
    let longest = { index: -1, length: MIN_SHORTENED_LENGTH + 9 };
    fitted.forEach((name, index) => {
      const length = lengthOf(name, rules);
      if (length > longest.length) longest = { index, length };
    });
    if (longest.index < 0) {
      return {
        ok: false,
        reason: `Its path would be longer than this system allows (${limit}). Choose a folder with a shorter path.`,
      };
    }
    const target = Math.max(MIN_SHORTENED_LENGTH + 9, longest.length - excess);
    const original = segments.slice(0, longest.index + 1).join('/');
    fitted[longest.index] = shortenName(fitted[longest.index] ?? '', original, target, rules);
    shortened = true;
  }
  return {
    ok: true,
    segments: fitted,
    reasons: shortened ? [`the path was longer than this system allows (${limit}), so names were shortened`] : [],
  };
}

/** One planned local file of a batch (or a folder marker), and what the batch did to keep it apart. */
export interface DistinctPath {
  segments: string[];
  /** Set when another item of the batch wanted the same local name (or a folder of that name). */
  renamedFrom?: string;
}

/**
 * Keeps every file of one download batch in a file of its own: two keys that map to one local
 * path ("a\\b" and "a_b", or "A.txt" and "a.txt" where the file system ignores case, or "é" in
 * its two Unicode forms on macOS) would otherwise overwrite each other with "replace". The
 * second gets the next free "name (1).ext"; so does a file whose name a folder of the batch
 * needs. `foldCase`: the target file system ignores case (Windows, macOS, exFAT).
 */
export function distinctPaths(
  items: readonly { segments: readonly string[]; folderMarker: boolean }[],
  foldCase: boolean,
): DistinctPath[] {
  const fold = (segments: readonly string[]) => {
    const joined = segments.join('/');
    return foldCase ? joined.normalize('NFC').toLowerCase() : joined;
  };
  const folders = new Set<string>();
  const wanted = new Set<string>();
  for (const item of items) {
    for (let depth = 1; depth < item.segments.length; depth += 1) folders.add(fold(item.segments.slice(0, depth)));
    if (item.folderMarker) folders.add(fold(item.segments));
    else wanted.add(fold(item.segments));
  }
  const taken = new Set<string>();
  return items.map((item) => {
    if (item.folderMarker || item.segments.length === 0) return { segments: [...item.segments] };
    const path = fold(item.segments);
    if (!taken.has(path) && !folders.has(path)) {
      taken.add(path);
      return { segments: [...item.segments] };
    }
    const parent = item.segments.slice(0, -1);
    const name = item.segments.at(-1) ?? '';
    for (let n = 1; ; n += 1) {
      const candidate = [...parent, numberedName(name, n)];
      const key = fold(candidate);
      if (taken.has(key) || folders.has(key) || wanted.has(key)) continue;
      taken.add(key);
      return { segments: candidate, renamedFrom: item.segments.join('/') };
    }
  });
}

/**
 * Whether the file system holding `path` (or its nearest existing folder) ignores case: the
 * same entry answers to the name with its letters' case swapped. Asked without writing
 * anything; undefined when no existing name has letters to swap.
 */
export async function ignoresCase(path: string): Promise<boolean | undefined> {
  for (let current = resolve(path); ; current = dirname(current)) {
    const name = basename(current);
    const swapped = [...name].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
    const here = await lstat(current).catch(() => undefined);
    if (here && swapped !== name) {
      const other = await lstat(join(dirname(current), swapped)).catch(() => undefined);
      return other !== undefined && other.ino === here.ino && other.dev === here.dev;
    }
    if (dirname(current) === current) return undefined;
  }
}

/**
 * Joins safe segments under a folder and checks the result is inside it (resolved, it must
 * begin with the folder's path): the last guard, whatever the mapping above missed. Undefined
 * when outside.
 */
export function pathInside(folder: string, segments: readonly string[]): string | undefined {
  const root = resolve(folder);
  const target = resolve(root, ...segments);
  // Built from `root` itself, a path inside begins with it and a separator: a comparison of
  // strings, where path.relative resolved both again (it ran for every file of a batch, twice).
  // A name that differs from the folder's only in case is refused, as outside.
  const below = root.endsWith(sep) ? root : `${root}${sep}`;
  return target.length > below.length && target.startsWith(below) ? target : undefined;
}

/** Whether `target` is `root` or below it (both absolute and resolved). */
export function isWithin(root: string, target: string): boolean {
  const rel = relative(root, target);
  return !(rel === '..' || rel.startsWith(`..${'/'}`) || rel.startsWith('..\\') || isAbsolute(rel));
}

/**
 * The real path of `path` with symbolic links resolved, also when its last parts do not exist
 * yet: the real path of its nearest existing folder, and the rest as written. A download
 * creates only folders and files below it, never links, so this is where it will write.
 */
export async function realPathAllowingMissing(path: string): Promise<string> {
  const missing: string[] = [];
  for (let current = resolve(path); ; current = dirname(current)) {
    try {
      return join(await realpath(current), ...missing.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(current) === current) throw error;
      missing.push(basename(current));
    }
  }
}
