import { describe, expect, it } from 'vitest';
import type { ObjectDetails } from '../../../shared/details';
import {
  editFormOf,
  editProblems,
  isValidEdit,
  isValidTags,
  objectEditOf,
  tagProblems,
  tagsOf,
  type EditFormValues,
} from './edit-form';
import { newRow } from '../../components/key-value-rows';

const details: ObjectDetails = {
  bucket: 'b',
  key: 'docs/report.pdf',
  size: 10,
  lastModified: '2026-01-01T00:00:00.000Z',
  etag: '"abc"',
  contentType: 'application/pdf',
  storageClass: 'STANDARD',
  versionId: null,
  encryption: { algorithm: null, kmsKeyId: null, customerKey: false },
  checksum: null,
  metadata: { owner: 'ana' },
  cacheControl: 'max-age=60',
  contentDisposition: null,
  contentEncoding: null,
  contentLanguage: null,
  expires: null,
  tags: { available: true, value: [] },
  acl: { available: false, reason: 'Not supported.' },
};

function withHeaders(form: EditFormValues, headers: Partial<EditFormValues['headers']>): EditFormValues {
  return { ...form, headers: { ...form.headers, ...headers } };
}

describe('the edit form of one object', () => {
  it("starts from the object's values and sends only what changed", () => {
    const initial = editFormOf(details);
    expect(initial.headers.contentType).toBe('application/pdf');
    expect(initial.metadata.map((r) => [r.key, r.value])).toEqual([['owner', 'ana']]);
    expect(objectEditOf(initial, initial, false)).toEqual({});

    const changed = {
      ...withHeaders(initial, { contentType: 'text/plain', cacheControl: '' }),
      metadata: [...initial.metadata, newRow('reviewed-by', 'bo')],
    };
    expect(objectEditOf(initial, changed, false)).toEqual({
      contentType: 'text/plain',
      // Cleared: sent as '' so that main removes it.
      cacheControl: '',
      metadata: { owner: 'ana', 'reviewed-by': 'bo' },
    });
  });

  it('sends Expires as ISO 8601, and a storage class only when it changed', () => {
    const initial = editFormOf(details);
    const changed = { ...withHeaders(initial, { expires: '2030-01-01T00:00:00Z' }), storageClass: 'STANDARD' as const };
    expect(objectEditOf(initial, changed, false)).toEqual({ expires: '2030-01-01T00:00:00.000Z' });
    expect(objectEditOf(initial, { ...initial, storageClass: 'STANDARD_IA' }, false)).toEqual({
      storageClass: 'STANDARD_IA',
    });
  });

  it('refuses a metadata key with a space or an accent, and keys given twice', () => {
    const initial = editFormOf(details);
    const spaced = newRow('my key', 'x');
    const accented = newRow('clé', 'x');
    const twice = newRow('Owner', 'y');
    const problems = editProblems({ ...initial, metadata: [...initial.metadata, spaced, accented, twice] });
    expect(problems.rows[spaced.id]).toBe(
      'A metadata key may contain only ASCII letters, digits and - _ . (no spaces or accents).',
    );
    expect(problems.rows[accented.id]).toMatch(/no spaces or accents/);
    expect(problems.rows[twice.id]).toMatch(/already in the list/);
    expect(isValidEdit(problems)).toBe(false);
  });

  it('ignores a blank row, refuses metadata over 2 KiB and an unreadable date', () => {
    const initial = editFormOf(details);
    expect(isValidEdit(editProblems({ ...initial, metadata: [...initial.metadata, newRow()] }))).toBe(true);
    const big = editProblems({ ...initial, metadata: [newRow('a', 'x'.repeat(2048))] });
    expect(big.metadata).toBe('User metadata is limited to 2 KiB in all.');
    expect(editProblems(withHeaders(initial, { expires: 'next tuesday' })).headers.expires).toMatch(/date and time/);
    const accented = editProblems(withHeaders(initial, { contentDisposition: 'attachment; filename="é.pdf"' }));
    expect(accented.headers.contentDisposition).toBe(
      'Content-Disposition may contain only printable ASCII characters.',
    );
    expect(isValidEdit(accented)).toBe(false);
  });
});

describe('the edit form of several objects', () => {
  it('sends what was filled in, and metadata only when asked to replace it', () => {
    const initial = editFormOf(null);
    const filled = { ...withHeaders(initial, { cacheControl: 'no-cache' }), metadata: [newRow('team', 'web')] };
    expect(objectEditOf(initial, filled, true)).toEqual({ cacheControl: 'no-cache' });
    expect(objectEditOf(initial, { ...filled, replaceMetadata: true }, true)).toEqual({
      cacheControl: 'no-cache',
      metadata: { team: 'web' },
    });
  });
});

describe('tag lists', () => {
  it('accepts up to 10 tags and refuses the 11th', () => {
    const ten = Array.from({ length: 10 }, (_, i) => newRow(`k${i}`, `v${i}`));
    expect(isValidTags(tagProblems(ten))).toBe(true);
    const eleven = tagProblems([...ten, newRow('k10', 'v')]);
    expect(eleven.set).toBe('An object can have at most 10 tags.');
    expect(isValidTags(eleven)).toBe(false);
  });

  it('points at the row with a bad key, and leaves blank rows out', () => {
    const bad = newRow('a#b', 'x');
    const problems = tagProblems([newRow('ok', '1'), newRow(), bad]);
    expect(problems.rows[bad.id]).toMatch(/letters, digits, spaces/);
    expect(tagsOf([newRow('ok', '1'), newRow()])).toEqual([{ key: 'ok', value: '1' }]);
    expect(tagProblems([newRow('a', '1'), newRow('a', '2')]).set).toBe('Each tag key may appear only once.');
  });
});
