import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { pathInside, safeRelativePath } from './safe-path';

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

  test('names longer than file systems allow are refused', () => {
    expect(segments(`a/${'x'.repeat(256)}`)).toMatch(/^refused: .*255 bytes/);
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
  });
});
