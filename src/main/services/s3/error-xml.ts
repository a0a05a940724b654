/** The five named XML entities; numeric ones (&#39;, &#x27;, as Go's encoder writes them) are decoded by number. */
const namedEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * The text of an element in an S3 error body (`<Error><Code>…</Code><Message>…</Message>`),
 * its entities decoded; undefined where the body has none (or is not XML).
 */
export function errorXmlText(xml: string, element: 'Code' | 'Message' | 'RequestId'): string | undefined {
  const found = new RegExp(`<${element}>([^<]*)</${element}>`).exec(xml)?.[1];
  return found?.replace(/&(?:#x([0-9a-fA-F]+)|#(\d+)|(amp|lt|gt|quot|apos));/g, (whole, hex, dec, name) => {
    if (name) return namedEntities[name as string] ?? whole;
    const point = hex ? parseInt(hex as string, 16) : Number(dec);
    return point <= 0x10ffff ? String.fromCodePoint(point) : whole;
  });
}
