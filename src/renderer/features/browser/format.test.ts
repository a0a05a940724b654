import { describe, expect, it } from 'vitest';
import { countOf, fileIcon, formatSize, formatStorageClass } from './format';

describe('formatSize', () => {
  it('writes sizes as people read them', () => {
    expect(formatSize(0)).toBe('0 B');
    expect(formatSize(512)).toBe('512 B');
    expect(formatSize(1023)).toBe('1023 B');
    expect(formatSize(1024)).toBe('1 KiB');
    expect(formatSize(1536)).toBe('1.5 KiB');
    expect(formatSize(12 * 1024 + 300)).toBe('12 KiB');
    expect(formatSize(1024 * 1024 - 1)).toBe('1 MiB');
    expect(formatSize(5.25 * 1024 ** 3)).toBe('5.3 GiB');
    expect(formatSize(-1)).toBe('');
  });
});

describe('formatStorageClass', () => {
  it('uses the console names and keeps unknown classes as sent', () => {
    expect(formatStorageClass('STANDARD_IA')).toBe('Standard-IA');
    expect(formatStorageClass('COLD')).toBe('COLD');
    expect(formatStorageClass(null)).toBe('');
  });
});

describe('fileIcon', () => {
  it('picks an icon by extension, ignoring case', () => {
    expect(fileIcon('photo.JPG')).toBe('file-image');
    expect(fileIcon('report.pdf')).toBe('file-text');
    expect(fileIcon('backup.tar.gz')).toBe('file-archive');
    expect(fileIcon('.env')).toBe('file');
    expect(fileIcon('README')).toBe('file');
  });
});

describe('countOf', () => {
  it('writes a count with its noun', () => {
    expect(countOf(1, 'item')).toBe('1 item');
    expect(countOf(3000, 'item')).toMatch(/^3.000 items$/);
  });
});
