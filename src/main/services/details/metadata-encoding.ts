/**
 * User metadata travels as HTTP header values (x-amz-meta-*), which carry ASCII only. A value
 * with other characters is sent as an RFC 2047 encoded word (`=?UTF-8?B?…?=`), as the AWS
 * console and SDKs for other languages do, and decoded again for display.
 */

/** Printable ASCII (and tab): what a header value may hold as it is. */
const plainHeaderValue = /^[\t\x20-\x7e]*$/;

/** The value as it can be sent: itself when it is printable ASCII, else an RFC 2047 encoded word. */
export function encodeMetadataValue(value: string): string {
  if (plainHeaderValue.test(value)) return value;
  return `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** Decodes RFC 2047 encoded words (B and Q, UTF-8 only); anything else is returned as it is. */
export function decodeMetadataValue(value: string): string {
  return value.replace(/=\?UTF-8\?([BbQq])\?([^?]*)\?=/gi, (word, encoding: string, text: string) => {
    try {
      if (encoding.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
      const bytes = text
        .replace(/_/g, ' ')
        .replace(/=([0-9A-Fa-f]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    } catch {
      return word;
    }
  });
}
