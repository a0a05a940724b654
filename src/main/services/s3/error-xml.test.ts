import { describe, expect, test } from 'vitest';
import { errorXmlText } from './error-xml';

describe('errorXmlText', () => {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The key &#39;a &amp; b&#39; is &quot;gone&quot; &#x2014; &lt;sic&gt;</Message><RequestId>18EE</RequestId></Error>';

  test('reads the code, the message with named and numeric entities decoded, and the request id', () => {
    expect(errorXmlText(body, 'Code')).toBe('NoSuchKey');
    expect(errorXmlText(body, 'Message')).toBe('The key \'a & b\' is "gone" \u2014 <sic>');
    expect(errorXmlText(body, 'RequestId')).toBe('18EE');
  });

  test('is undefined for an empty body, HTML, or a missing element', () => {
    expect(errorXmlText('', 'Code')).toBeUndefined();
    expect(errorXmlText('<html><body>Bad Gateway</body></html>', 'Code')).toBeUndefined();
    expect(errorXmlText('<Error><Code>SlowDown</Code></Error>', 'Message')).toBeUndefined();
  });
});
