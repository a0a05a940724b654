import { isAbsolute, relative, resolve } from 'node:path';

/** Which file-name rules apply: POSIX (Linux, macOS) or Windows, which forbids far more. */
export type PathRules = 'posix' | 'win32';

/** A key's path made safe to write under a folder, or why it cannot be. */
export type SafeRelativePath = { ok: true; segments: string[]; reasons: string[] } | { ok: false; reason: string };

/** Names Windows reserves for devices, with or without an extension ("con.txt" too). */
const reservedOnWindows = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
/** Characters Windows refuses in a file name (and control characters). */
// eslint-disable-next-line no-control-regex
const illegalOnWindows = /[<>:"|?*\u0000-\u001f]/;
/** Most file systems allow 255 bytes per name. */
const MAX_NAME_BYTES = 255;

/**
 * Maps the path of an object below the downloaded folder ("photos/2024/a.jpg") to path
 * segments that stay inside the target folder and are legal file names: '..' becomes '_',
 * empty and '.' segments (a leading '/', '//') are dropped, backslashes and NUL become '_',
 * and under Windows rules reserved names, trailing dots or spaces and <>:"|?* are replaced
 * too. `reasons` says what was changed, for the note a person reads.
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
    if (rules === 'win32') {
      if (illegalOnWindows.test(name)) {
        reasons.add("characters Windows does not allow (<>:\"|?*) became '_'");
        name = name.replace(new RegExp(illegalOnWindows.source, 'g'), '_');
      }
      if (/[. ]$/.test(name)) {
        reasons.add("a trailing dot or space became '_'");
        name = name.replace(/[. ]+$/, (tail) => '_'.repeat(tail.length));
      }
      if (reservedOnWindows.test(name)) {
        reasons.add(`"${name}" is a name Windows reserves, so it got a leading '_'`);
        name = `_${name}`;
      }
    }
    segments.push(name);
  });
  if (segments.length === 0) return { ok: false, reason: 'Its key has no part that can be used as a file name.' };
  const tooLong = segments.find((segment) => Buffer.byteLength(segment) > MAX_NAME_BYTES);
  if (tooLong !== undefined) {
    return {
      ok: false,
      reason: `The name "${tooLong.slice(0, 40)}…" is longer than file systems allow (${MAX_NAME_BYTES} bytes).`,
    };
  }
  return { ok: true, segments, reasons: [...reasons] };
}

/** The file-name rules of the system the app runs on. */
export function currentPathRules(): PathRules {
  return process.platform === 'win32' ? 'win32' : 'posix';
}

/**
 * Joins safe segments under a folder and checks the result is inside it (resolve, then
 * path.relative): the last guard, whatever the mapping above missed. Undefined when outside.
 */
export function pathInside(folder: string, segments: readonly string[]): string | undefined {
  const root = resolve(folder);
  const target = resolve(root, ...segments);
  const rel = relative(root, target);
  if (rel === '' || rel === '..' || rel.startsWith(`..${'/'}`) || rel.startsWith('..\\') || isAbsolute(rel)) {
    return undefined;
  }
  return target;
}
