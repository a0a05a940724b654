import { decodeXmlText } from './xml-text';

/**
 * The text of an element in an S3 error body (`<Error><Code>…</Code><Message>…</Message>`),
 * its entities decoded (as written where one is not XML's); undefined where the body has none
 * (or is not XML).
 */
export function errorXmlText(xml: string, element: 'Code' | 'Message' | 'RequestId'): string | undefined {
  const found = new RegExp(`<${element}>([^<]*)</${element}>`).exec(xml)?.[1];
  return found === undefined ? undefined : (decodeXmlText(found) ?? found);
}
