import { describe, expect, it } from 'vitest';
import type { ActivityEntry } from '../../../shared/activity';
import { activityCsv, activityJson, csvField } from './activity-export';

/** A strict RFC 4180 reader, to check that what was written reads back as it was. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += c;
  }
  return rows;
}

const awkward: ActivityEntry = {
  id: 'e1',
  at: '2026-12-02T21:00:00.000Z',
  accountId: 'a1',
  accountName: 'Home, "lab"',
  kind: 'delete',
  channel: 'objects.delete',
  what: 'Delete a,b.txt and "quoted".txt and line\nbreak.txt from photos',
  bucket: 'photos',
  result: 'failed',
  resultText: '=HYPERLINK("http://x") failed',
  ref: 'op',
};

describe('activity CSV', () => {
  it('quotes fields with commas, quotes and line breaks, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rlf')).toBe('"cr\rlf"');
    expect(csvField(' padded ')).toBe('" padded "');
    expect(csvField('')).toBe('');
  });

  it('keeps a formula-looking field as text', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-2,3')).toBe(`"'-2,3"`);
  });

  it('reads back to the same fields, one record per entry', () => {
    const rows = parseCsv(activityCsv([awkward, { ...awkward, id: 'e2', what: 'Upload x.txt to b' }]));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual([
      'time',
      'ended',
      'account',
      'account id',
      'kind',
      'what',
      'bucket',
      'result',
      'result text',
      'channel',
      'id',
    ]);
    expect(rows[1]).toEqual([
      awkward.at,
      '',
      'Home, "lab"',
      'a1',
      'delete',
      awkward.what,
      'photos',
      'failed',
      `'${awkward.resultText}`,
      'objects.delete',
      'e1',
    ]);
    expect(rows[2]?.[5]).toBe('Upload x.txt to b');
  });

  it('writes JSON that parses back to the entries', () => {
    expect(JSON.parse(activityJson([awkward]))).toEqual([awkward]);
  });
});
