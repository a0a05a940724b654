import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileName, fileSize, tarArchive } from './seed-folder';

describe('the benchmark folder', () => {
  it('names 100,000 files uniquely, in five kinds, each short enough for a tar header under its folder', () => {
    const names = Array.from({ length: 100_000 }, (_, i) => fileName(i));

    expect(new Set(names).size).toBe(100_000);
    expect(names.slice(0, 5)).toEqual([
      'IMG_20240102_080000.jpg',
      'scan-000001.pdf',
      'export_2024-01-02_000002.csv',
      'Meeting notes 000003.docx',
      'données-brutes-000004.json',
    ]);
    expect(Math.max(...names.map((name) => Buffer.byteLength(`big-folder/${name}`)))).toBeLessThanOrEqual(100);
    expect(names.filter((name) => name.toLocaleLowerCase().includes('scan-04'))).toHaveLength(2000);
  });

  it('gives small bodies of 64 bytes to about 2 KB', () => {
    const sizes = Array.from({ length: 10_000 }, (_, i) => fileSize(i));
    expect(Math.min(...sizes)).toBe(64);
    expect(Math.max(...sizes)).toBeLessThan(2064);
  });
});

describe('tarArchive', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes an archive that GNU tar lists and extracts byte for byte, accents and spaces included', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'bench-tar-'));
    const files = [
      { name: 'big-folder/données-brutes-000004.json', body: Buffer.from('{"a":1}\n') },
      { name: 'big-folder/Meeting notes 000003.docx', body: Buffer.alloc(0) },
      { name: 'big-folder/exactly-512.bin', body: Buffer.alloc(512, 7) },
      { name: 'big-folder/odd.bin', body: Buffer.alloc(1000, 1) },
    ];
    const archive = tarArchive(files);
    const file = path.join(dir, 'a.tar');
    writeFileSync(file, archive);

    const listed = execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).trim().split('\n');
    execFileSync('tar', ['-xf', file, '-C', dir]);

    expect(archive.length % 512).toBe(0);
    expect(listed).toEqual(files.map((f) => f.name));
    for (const { name, body } of files) expect(readFileSync(path.join(dir, name)).equals(body)).toBe(true);
  });

  it('refuses a name that does not fit a ustar header', () => {
    expect(() => tarArchive([{ name: 'x'.repeat(101), body: Buffer.alloc(1) }])).toThrow(/over 100 bytes/);
  });
});
