import { describe, expect, it } from 'vitest';
import { countOf, lastSegment, numberedName, parentOf } from './names';

describe('key names', () => {
  it('numbers copies kept beside the original', () => {
    expect(numberedName('report.pdf', 1)).toBe('report (1).pdf');
    expect(numberedName('archive.tar.gz', 2)).toBe('archive.tar (2).gz');
    expect(numberedName('README', 1)).toBe('README (1)');
    expect(numberedName('.env', 1)).toBe('.env (1)');
    expect(numberedName('photos/', 3)).toBe('photos (3)/');
  });

  it('splits keys into folder and last segment', () => {
    expect(lastSegment('a/b/c.txt')).toBe('c.txt');
    expect(lastSegment('a/b/')).toBe('b/');
    expect(parentOf('a/b/c.txt')).toBe('a/b/');
    expect(parentOf('a/b/')).toBe('a/');
    expect(parentOf('c.txt')).toBe('');
  });
});

describe('countOf', () => {
  it('says 1 object and 2 objects', () => {
    expect(countOf(1, 'object')).toBe('1 object');
    expect(countOf(0, 'object')).toBe('0 objects');
    expect(countOf(2, 'object or version', 'objects and versions')).toBe('2 objects and versions');
  });
});
