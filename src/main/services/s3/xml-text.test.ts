import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeXmlText } from './xml-text';

describe('decodeXmlText', () => {
  test("decodes an ETag's quotes as Go (&#34;) and AWS (&quot;) write them, beside other entities", () => {
    expect(decodeXmlText('&#34;d41d8cd98f00b204e9800998ecf8427e&#34;')).toBe('"d41d8cd98f00b204e9800998ecf8427e"');
    expect(decodeXmlText('&quot;abc-2&quot;')).toBe('"abc-2"');
    expect(decodeXmlText('&#34;a&amp;b&#39;&lt;&#x1F600;&#34;')).toBe('"a&b\'<😀"');
  });

  test('an escaped ampersand before "#34;" stays text: "&amp;#34;" is the five characters "&#34;"', () => {
    expect(decodeXmlText('&amp;#34;')).toBe('&#34;');
    expect(decodeXmlText('&amp;quot;&#34;')).toBe('&quot;"');
  });

  test('an entity left open or unknown makes the text unreadable, quotes or not', () => {
    expect(decodeXmlText('&#34;abc&#34')).toBeUndefined();
    expect(decodeXmlText('&#34;a & b&#34;')).toBeUndefined();
    expect(decodeXmlText('&#34;&nbsp;&#34;')).toBeUndefined();
  });

  test('reads back any text escaped with numbered or named quotes', () => {
    const escape = (text: string, quote: string) =>
      text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': quote })[c] as string);
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(decodeXmlText(escape(text, '&#34;'))).toBe(text);
        expect(decodeXmlText(escape(text, '&quot;'))).toBe(text);
      }),
    );
  });
});
