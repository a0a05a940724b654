import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, parse, resolve, sep } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  distinctPaths,
  fitPathLength,
  ignoresCase,
  maxPathLength,
  pathInside,
  realPathAllowingMissing,
  safeRelativePath,
} from './safe-path';

const segments = (path: string, rules: 'posix' | 'win32' = 'posix') => {
  const safe = safeRelativePath(path, rules);
  return safe.ok ? safe.segments.join('/') : `refused: ${safe.reason}`;
};

describe('safe local paths for keys', () => {
  test('ordinary paths are kept as they are, with no note', () => {
    expect(safeRelativePath('photos/2024/a.jpg', 'posix')).toEqual({
      ok: true,
      segments: ['photos', '2024', 'a.jpg'],
      reasons: [],
    });
    expect(segments('folder/')).toBe('folder');
  });

  test("'..' becomes '_', so a key never climbs out", () => {
    expect(segments('../x')).toBe('_/x');
    expect(segments('a/../../b')).toBe('a/_/_/b');
    expect(segments('..')).toBe('_');
    expect(safeRelativePath('../x', 'posix')).toMatchObject({ reasons: ["'..' became '_'"] });
  });

  test("a leading '/', empty and '.' segments are dropped", () => {
    expect(segments('/abs')).toBe('abs');
    expect(segments('//etc/passwd')).toBe('etc/passwd');
    expect(segments('a//b/./c')).toBe('a/b/c');
    expect(safeRelativePath('/abs', 'posix')).toMatchObject({ reasons: ["a leading '/' was removed"] });
    expect(segments('/')).toMatch(/^refused/);
    expect(segments('./.')).toMatch(/^refused/);
  });

  test("backslashes and NUL become '_' everywhere (a drive letter cannot start a path)", () => {
    expect(segments('C:\\x')).toBe('C:_x');
    expect(segments('..\\..\\windows')).toBe('.._.._windows');
    expect(segments('a\0b')).toBe('a_b');
  });

  test('Windows rules: reserved names, trailing dots and spaces, <>:"|?* and control characters', () => {
    expect(segments('C:\\x', 'win32')).toBe('C__x');
    expect(segments('con.txt', 'win32')).toBe('_con.txt');
    expect(segments('dir/NUL', 'win32')).toBe('dir/_NUL');
    expect(segments('lpt1.log', 'win32')).toBe('_lpt1.log');
    expect(segments('console.txt', 'win32')).toBe('console.txt');
    expect(segments('name. ', 'win32')).toBe('name__');
    expect(segments('a<b>c:"d|e?f*g', 'win32')).toBe('a_b_c__d_e_f_g');
    expect(segments('tab\there', 'win32')).toBe('tab_here');
    // Legal on Linux and macOS: kept there.
    expect(segments('con.txt')).toBe('con.txt');
    expect(segments('2024-01-01T10:00:00.log')).toBe('2024-01-01T10:00:00.log');
  });

  test("Windows' console devices CONIN$ and CONOUT$ are reserved too, with or without an extension", () => {
    expect(segments('CONIN$', 'win32')).toBe('_CONIN$');
    expect(segments('dir/conout$.txt', 'win32')).toBe('dir/_conout$.txt');
    expect(segments('nul .txt', 'win32')).toBe('_nul .txt');
    expect(safeRelativePath('CONOUT$', 'win32')).toMatchObject({
      reasons: [`"CONOUT$" is a name Windows reserves, so it got a leading '_'`],
    });
    expect(segments('CONIN$x', 'win32')).toBe('CONIN$x');
  });

  test('trailing dots and spaces become _ under every rule set (Windows, SMB and exFAT drop them; a space hides the real end)', () => {
    expect(segments('report.pdf ')).toBe('report.pdf_');
    expect(segments('dots...')).toBe('dots___');
    expect(segments('folder. /x')).toBe('folder__/x');
    expect(segments('...')).toBe('___');
    expect(safeRelativePath('a. ', 'posix')).toMatchObject({ reasons: ["a trailing dot or space became '_'"] });
    expect(segments('.hidden')).toBe('.hidden');
  });

  test('bidirectional controls (Trojan Source) become _, so a name shows what it is', () => {
    expect(segments('invoice\u202Efdp.exe')).toBe('invoice_fdp.exe');
    for (const control of [
      '\u202A',
      '\u202B',
      '\u202C',
      '\u202D',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
      '\u200E',
      '\u200F',
    ]) {
      expect(segments(`a${control}b/c${control}d`)).toBe('a_b/c_d');
    }
    expect(safeRelativePath('x\u2067y', 'win32')).toMatchObject({
      reasons: ["invisible text-direction characters became '_'"],
    });
    // Letters of right-to-left scripts are names like any other.
    expect(segments('שלום.txt')).toBe('שלום.txt');
  });

  test('names longer than 255 bytes are shortened with a hash, keeping their extension', () => {
    const long = `${'x'.repeat(300)}.pdf`;
    const safe = safeRelativePath(`a/${long}`, 'posix');
    expect(safe.ok).toBe(true);
    if (!safe.ok) return;
    const name = safe.segments[1] ?? '';
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
    expect(name).toMatch(/^x+~[0-9a-f]{8}\.pdf$/);
    expect(safe.reasons).toEqual(['a name longer than 255 bytes was shortened (a hash keeps it apart)']);
    // Two long names with the same start stay apart.
    const other = safeRelativePath(`a/${'x'.repeat(301)}.pdf`, 'posix');
    expect(other.ok && other.segments[1]).not.toBe(name);
    // The same key always gets the same name (a resumed download finds its file).
    expect(safeRelativePath(`a/${long}`, 'posix')).toEqual(safe);
    // Multi-byte characters are never cut in half.
    const accents = safeRelativePath('é'.repeat(200), 'posix');
    expect(accents.ok && accents.segments[0]).toMatch(/^é+~[0-9a-f]{8}$/);
    expect(accents.ok && Buffer.byteLength(accents.segments[0] ?? '')).toBeLessThanOrEqual(255);
    // Windows counts UTF-16 units: 200 accented letters fit there.
    expect(segments('é'.repeat(200), 'win32')).toBe('é'.repeat(200));
    expect(segments(`a/${'x'.repeat(255)}`)).toBe(`a/${'x'.repeat(255)}`);
  });

  test('the joined path is checked to be inside the folder', () => {
    const root = resolve('/tmp/target');
    expect(pathInside(root, ['a', 'b.txt'])).toBe(join(root, 'a', 'b.txt'));
    // Whatever slipped through the mapping is caught here.
    expect(pathInside(root, ['..', 'x'])).toBeUndefined();
    expect(pathInside(root, ['a', '..', '..', 'x'])).toBeUndefined();
    expect(pathInside(root, ['/etc/passwd'])).toBeUndefined();
    expect(pathInside(root, [])).toBeUndefined();
    expect(pathInside(root, ['..target-sibling'])).toBe(join(root, '..target-sibling'));
    // A sibling whose name begins with the folder's is outside it.
    expect(pathInside(root, ['..', `${basename(root)}-sibling`, 'x'])).toBeUndefined();
    expect(pathInside(`${root}${sep}`, ['a'])).toBe(join(root, 'a'));
    // The file system's root holds everything below it.
    expect(pathInside(parse(root).root, ['a', 'b'])).toBe(join(parse(root).root, 'a', 'b'));
  });

  test('paths longer than the system allows are shortened, longest names first, keeping extensions', () => {
    expect(maxPathLength('win32')).toBe(259);
    expect(maxPathLength('posix', 'darwin')).toBe(1023);
    expect(maxPathLength('posix', 'linux')).toBe(4095);
    const folder = resolve('/downloads');
    const segments = ['a'.repeat(200), 'b'.repeat(200), 'short', `${'c'.repeat(150)}.txt`];
    expect(fitPathLength(folder, segments, 'posix', 4095)).toEqual({ ok: true, segments, reasons: [] });
    const fitted = fitPathLength(folder, segments, 'posix', 300);
    expect(fitted.ok).toBe(true);
    if (!fitted.ok) return;
    const total = folder.length + fitted.segments.reduce((sum, name) => sum + 1 + name.length, 0);
    // Room is kept for the temporary file's and a "keep both" number's extra characters.
    expect(total).toBeLessThanOrEqual(300 - 32);
    expect(fitted.segments[2]).toBe('short');
    expect(fitted.segments[3]).toMatch(/\.txt$/);
    expect(fitted.reasons).toEqual(['the path was longer than this system allows (300), so names were shortened']);
    // A folder whose own path is too long leaves no room: refused, with what to do.
    expect(fitPathLength(`/${'d'.repeat(290)}`, ['x.txt'], 'posix', 300)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/shorter path/),
    });
  });

  test('two keys of one batch never get one local file: the second is numbered', () => {
    const items = (...paths: string[]) => paths.map((path) => ({ segments: path.split('/'), folderMarker: false }));
    // "a\\b" and "a_b" both map to a_b.
    const same = distinctPaths(items('x/a_b', 'x/a_b', 'x/other'), false);
    expect(same.map((item) => item.segments.join('/'))).toEqual(['x/a_b', 'x/a_b (1)', 'x/other']);
    expect(same[1]?.renamedFrom).toBe('x/a_b');
    expect(same[0]?.renamedFrom).toBeUndefined();
    // Case and Unicode form count only where the file system ignores them.
    const cased = items('A.txt', 'a.txt', 'caf\u00e9', 'cafe\u0301');
    expect(distinctPaths(cased, false).map((item) => item.segments.join('/'))).toEqual([
      'A.txt',
      'a.txt',
      'caf\u00e9',
      'cafe\u0301',
    ]);
    expect(distinctPaths(cased, true).map((item) => item.segments.join('/'))).toEqual([
      'A.txt',
      'a (1).txt',
      'caf\u00e9',
      'cafe\u0301 (1)',
    ]);
    // A number another key wants is not taken; a file named like a folder of the batch moves aside.
    expect(distinctPaths(items('r.txt', 'r.txt', 'r (1).txt'), false).map((i) => i.segments.join('/'))).toEqual([
      'r.txt',
      'r (2).txt',
      'r (1).txt',
    ]);
    expect(distinctPaths(items('d', 'd/inside.txt'), false).map((i) => i.segments.join('/'))).toEqual([
      'd (1)',
      'd/inside.txt',
    ]);
  });

  test('whether a file system ignores case is asked of the folder, without writing', async () => {
    const folder = await mkdtemp(join(tmpdir(), 's3fm-Case-'));
    try {
      // Linux's tmp is case-sensitive; a folder still to be made is judged by its parent.
      const expected = process.platform === 'linux' ? false : undefined;
      if (expected !== undefined) {
        expect(await ignoresCase(folder)).toBe(expected);
        expect(await ignoresCase(join(folder, 'not', 'yet'))).toBe(expected);
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  test('real paths resolve links, also below folders that do not exist yet', async () => {
    const folder = await mkdtemp(join(tmpdir(), 's3fm-real-'));
    try {
      await mkdir(join(folder, 'inside'));
      await symlink(tmpdir(), join(folder, 'out'));
      const real = await realPathAllowingMissing(folder);
      expect(await realPathAllowingMissing(join(folder, 'inside', 'new', 'deeper'))).toBe(
        join(real, 'inside', 'new', 'deeper'),
      );
      expect(await realPathAllowingMissing(join(folder, 'out', 'x'))).toBe(
        join(await realPathAllowingMissing(tmpdir()), 'x'),
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
