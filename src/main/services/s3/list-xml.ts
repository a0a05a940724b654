import { decodeXmlText } from './xml-text';

/** One object of a listing page, in the ListObjectsV2 output's names (what listObjectsPage reads). */
export interface ListedObject {
  Key: string;
  Size: number | undefined;
  LastModified: Date | undefined;
  ETag: string | undefined;
  StorageClass: string | undefined;
}

/** A ListObjectsV2 answer, in the SDK output's names (the fields listObjectsPage reads). */
export interface ListedPage {
  Contents: ListedObject[];
  CommonPrefixes: { Prefix: string }[];
  IsTruncated: boolean | undefined;
  NextContinuationToken: string | undefined;
}

/** Not a listing this reader takes: the caller hands the answer to the SDK instead. */
class Unreadable extends Error {}

/** An element's text with its entities decoded; throws Unreadable for an entity XML does not define. */
function decoded(raw: string): string {
  const text = decodeXmlText(raw);
  if (text === undefined) throw new Unreadable();
  return text;
}

/** The fields of one <Contents> as they are read. */
interface ObjectFields {
  Key?: string;
  Size?: string;
  LastModified?: string;
  ETag?: string;
  StorageClass?: string;
}

const OBJECT_FIELDS = new Set(['Key', 'Size', 'LastModified', 'ETag', 'StorageClass']);

function objectOf(fields: ObjectFields): ListedObject | undefined {
  if (fields.Key === undefined) return undefined;
  let size: number | undefined;
  if (fields.Size !== undefined) {
    if (!/^\d{1,16}$/.test(fields.Size)) throw new Unreadable();
    size = Number(fields.Size);
  }
  let modified: Date | undefined;
  if (fields.LastModified !== undefined) {
    modified = new Date(fields.LastModified);
    if (Number.isNaN(modified.getTime())) throw new Unreadable();
  }
  return {
    Key: fields.Key,
    Size: size,
    LastModified: modified,
    ETag: fields.ETag,
    StorageClass: fields.StorageClass,
  };
}

/**
 * Reads a ListObjectsV2 answer (`<ListBucketResult>`) in one pass over the text, for the fields
 * the file list shows. The SDK's own reader builds a tree of every element and then walks the
 * operation's schema over it: for a page of 1,000 keys that was about 15 ms of the main
 * process's CPU, most of what listing a big folder cost the app. Anything this reader does not
 * expect (another root, a DOCTYPE, a namespace prefix, an element repeated, an unknown entity,
 * an unclosed tag) makes it return undefined, and the caller has the SDK read the answer. Text
 * is kept as sent (entities and CDATA decoded, line ends normalized as XML does), keys made
 * only of spaces included.
 */
export function readListBucketResult(xml: string): ListedPage | undefined {
  try {
    return read(xml.includes('\r') ? xml.replace(/\r\n?/g, '\n') : xml);
  } catch (error) {
    if (error instanceof Unreadable) return undefined;
    throw error;
  }
}

function read(xml: string): ListedPage {
  const page: ListedPage = {
    Contents: [],
    CommonPrefixes: [],
    IsTruncated: undefined,
    NextContinuationToken: undefined,
  };
  /** Names of the open elements, the root first. */
  const open: string[] = [];
  /** The text of the innermost open element, in pieces (raw text decoded, CDATA as is). */
  let text: string[] = [];
  let object: ObjectFields | undefined;
  let prefix: string | undefined;
  let sawRoot = false;
  let truncated: string | undefined;
  let i = 0;
  const close = (name: string, value: string): void => {
    const depth = open.length;
    if (depth === 3 && open[1] === 'Contents' && object && OBJECT_FIELDS.has(name)) {
      const field = name as keyof ObjectFields;
      if (object[field] !== undefined) throw new Unreadable();
      object[field] = value;
    } else if (depth === 3 && open[1] === 'CommonPrefixes' && name === 'Prefix') {
      if (prefix !== undefined) throw new Unreadable();
      prefix = value;
    } else if (depth === 2 && name === 'Contents') {
      const listed = object && objectOf(object);
      if (listed) page.Contents.push(listed);
      object = undefined;
    } else if (depth === 2 && name === 'CommonPrefixes') {
      if (prefix !== undefined) page.CommonPrefixes.push({ Prefix: prefix });
      prefix = undefined;
    } else if (depth === 2 && name === 'IsTruncated') {
      if (truncated !== undefined) throw new Unreadable();
      truncated = value;
    } else if (depth === 2 && name === 'NextContinuationToken') {
      if (page.NextContinuationToken !== undefined) throw new Unreadable();
      page.NextContinuationToken = value;
    }
    open.pop();
  };
  for (;;) {
    const lt = xml.indexOf('<', i);
    if (lt === -1) {
      if (open.length > 0 || !sawRoot || xml.slice(i).trim() !== '') throw new Unreadable();
      break;
    }
    if (lt > i) {
      if (open.length === 0) {
        if (xml.slice(i, lt).trim() !== '') throw new Unreadable();
      } else {
        text.push(decoded(xml.slice(i, lt)));
      }
    }
    const next = xml.charCodeAt(lt + 1);
    if (next === 0x2f /* / */) {
      const gt = xml.indexOf('>', lt);
      if (gt === -1) throw new Unreadable();
      const name = xml.slice(lt + 2, gt).trim();
      if (open[open.length - 1] !== name) throw new Unreadable();
      close(name, text.length === 1 ? (text[0] as string) : text.join(''));
      text = [];
      i = gt + 1;
    } else if (next === 0x21 /* ! */) {
      if (xml.startsWith('<!--', lt)) {
        const end = xml.indexOf('-->', lt + 4);
        if (end === -1) throw new Unreadable();
        i = end + 3;
      } else if (xml.startsWith('<![CDATA[', lt) && open.length > 0) {
        const end = xml.indexOf(']]>', lt + 9);
        if (end === -1) throw new Unreadable();
        text.push(xml.slice(lt + 9, end));
        i = end + 3;
      } else {
        throw new Unreadable(); // a DOCTYPE (which could define entities) or a stray CDATA
      }
    } else if (next === 0x3f /* ? */) {
      const end = xml.indexOf('?>', lt + 2);
      if (end === -1) throw new Unreadable();
      i = end + 2;
    } else {
      const gt = tagEnd(xml, lt);
      const selfClosing = xml.charCodeAt(gt - 1) === 0x2f;
      const inner = xml.slice(lt + 1, selfClosing ? gt - 1 : gt);
      const name = /^[A-Za-z_][\w.-]*/.exec(inner)?.[0];
      // A prefixed name (s3:Key) or anything but attributes after the name is not expected here.
      if (name === undefined || (inner.length > name.length && !/^\s/.test(inner.slice(name.length)))) {
        throw new Unreadable();
      }
      if (open.length === 0) {
        if (sawRoot || name !== 'ListBucketResult') throw new Unreadable();
        sawRoot = true;
      } else if (inner.length > name.length && inner.slice(name.length).trim() !== '') {
        throw new Unreadable(); // attributes below the root
      }
      open.push(name);
      text = [];
      if (open.length === 2 && name === 'Contents') object = {};
      if (selfClosing) close(name, '');
      i = gt + 1;
    }
  }
  if (truncated !== undefined && truncated !== 'true' && truncated !== 'false') throw new Unreadable();
  page.IsTruncated = truncated === undefined ? undefined : truncated === 'true';
  return page;
}

/** Where a start tag ends: its '>', past any quoted attribute value (which may hold one). */
function tagEnd(xml: string, lt: number): number {
  let quote = 0;
  for (let i = lt + 1; i < xml.length; i++) {
    const c = xml.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) {
      quote = c;
    } else if (c === 0x3e) {
      return i;
    } else if (c === 0x3c) {
      break;
    }
  }
  throw new Unreadable();
}
