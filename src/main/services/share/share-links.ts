import { randomUUID } from 'node:crypto';
import { GetObjectAclCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { AccountSettings } from '../../../shared/accounts';
import { whyUnavailable, type ServiceCapabilities } from '../../../shared/capabilities';
import type { ParsedInput } from '../../../shared/contract';
import { lastSegment } from '../../../shared/names';
import type { ObjectUrls, PostPolicyLink, ShareLink } from '../../../shared/share';
import { AppFailure } from '../app-failure';
import { availability } from '../capabilities/availability';
import { inParallel } from '../details/in-parallel';
import { ALL_USERS_URI } from '../details/object-details';
import { needsCustomerKey } from '../details/sse-c';
import type { Logger } from '../logging/logger';
import { attachmentDisposition, htmlFormFor, presignGet, presignPost, presignPut, type Signing } from './presign';
import type { ShareHistory } from './share-history';

/** Notes a person reads beside a link. */
export const shareNotes = {
  credentialsExpireFirst:
    'This link stops working when the temporary credentials it was signed with expire, before the expiry you chose.',
  credentialsExpiryUnknown:
    'Signed with temporary credentials (a session token): the link stops working when they expire, which may be before the expiry you chose.',
  customerKey:
    'This object is encrypted with a customer key (SSE-C). A link cannot carry that key, so opening it fails: share a copy without SSE-C instead.',
  missing: 'There is no object at this key (yet): the link answers "not found" until there is one.',
} as const;

/** A link that would set an ACL on a service without ACLs would be refused on use: say so now. */
function refuseAclWithout(model: ServiceCapabilities, acl: string): void {
  const lacking = acl === 'private' ? undefined : whyUnavailable(model, 'acl');
  if (lacking) throw new AppFailure('not-supported', `${lacking} Choose "private" for the upload's access.`);
}

/** How many HEADs (to spot SSE-C objects) run at once while links are made. */
const HEADS_IN_PARALLEL = 8;

/** What the share links are made with; passed in so tests can fix the clock. */
export interface ShareLinkDependencies {
  /** A client that only signs, for the share-links host where `shareHost` and one is set. */
  presigner(accountId: string, bucket: string, options: { shareHost: boolean }): Promise<S3Client>;
  /** The account's ordinary client for a bucket (HEAD, ACL). */
  client(accountId: string, bucket: string): Promise<S3Client>;
  settingsOf(accountId: string): Promise<AccountSettings>;
  /** What the service (this bucket) can do: POST forms and ACLs are offered only where it can. */
  capabilities(accountId: string, bucket: string): Promise<ServiceCapabilities>;
  history: ShareHistory;
  logger: Logger;
  now?: () => Date;
  newId?: () => string;
  /**
   * Whether a URL answers an anonymous HEAD: true (2xx), false (401, 403), or undefined where
   * it tells nothing (no answer, an untrusted certificate, another status).
   */
  anonymousHead?: (url: string) => Promise<boolean | undefined>;
}

/** An anonymous HEAD with Node's fetch (5 s at most). */
async function fetchAnonymousHead(url: string): Promise<boolean | undefined> {
  try {
    const response = await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(5_000) });
    if (response.ok) return true;
    if (response.status === 401 || response.status === 403) return false;
    return undefined;
  } catch {
    return undefined;
  }
}

/** Whether credentials are temporary, and when they expire where that is known. */
export async function credentialsLifetime(client: S3Client): Promise<{ temporary: boolean; expiresAt?: Date }> {
  const identity = await client.config.credentials();
  return {
    temporary: identity.sessionToken !== undefined || identity.expiration !== undefined,
    ...(identity.expiration ? { expiresAt: identity.expiration } : {}),
  };
}

/** When a link stops working, and why then, with the notes that explain it. */
export type LinkLifetime = Pick<ShareLink, 'expiresAt' | 'limitedBy' | 'notes'>;

/** A link's lifetime: its own expiry, or the credentials' where they expire first. */
export async function lifetime(client: S3Client, signing: Signing): Promise<LinkLifetime> {
  const own = new Date(signing.signingDate.getTime() + signing.expiresInSeconds * 1000);
  const credentials = await credentialsLifetime(client);
  if (credentials.expiresAt && credentials.expiresAt < own) {
    return {
      expiresAt: credentials.expiresAt.toISOString(),
      limitedBy: 'credentials',
      notes: [shareNotes.credentialsExpireFirst],
    };
  }
  return {
    expiresAt: own.toISOString(),
    limitedBy: 'expiry',
    notes: credentials.temporary && !credentials.expiresAt ? [shareNotes.credentialsExpiryUnknown] : [],
  };
}

/** Printable ASCII: what a header value (signed into a link) may hold. */
function checkHeaderValue(value: string | undefined, what: string): void {
  if (value !== undefined && !/^[\x20-\x7e]*$/.test(value)) {
    throw new AppFailure('invalid-input', `The ${what} may contain only printable ASCII characters.`);
  }
}

/** Refuses folders: a link gives one object. */
function checkNotFolder(key: string): void {
  if (key.endsWith('/')) {
    throw new AppFailure('invalid-input', `${key} is a folder: a link gives one file. Select files to share.`);
  }
}

/** A size for a sentence: "10 MiB", "512 bytes". */
export function formatSize(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB'];
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  let value = bytes;
  let unit = 'bytes';
  for (const next of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
}

/** Share links: presigned GET, PUT and POST, the plain URLs of an object, and the list of links made. */
export function createShareLinks(deps: ShareLinkDependencies) {
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;
  const anonymousHead = deps.anonymousHead ?? fetchAnonymousHead;

  /** Keeps the links in the list and logs that they were made (never their URLs: they carry signatures). */
  async function record<T extends ShareLink>(links: T[], viaShareHost: boolean): Promise<T[]> {
    await deps.history.add(links);
    deps.logger.info('share links made', { kind: links[0]?.kind, count: links.length, viaShareHost });
    return links;
  }

  return {
    /** Download links, one per key; an SSE-C or missing object gets a note, not a failure of the batch. */
    async getLinks(input: ParsedInput<'share.getLinks'>): Promise<ShareLink[]> {
      const { accountId, bucket, keys, expiresInSeconds, options } = input;
      keys.forEach(checkNotFolder);
      checkHeaderValue(options.contentType, 'content type');
      const settings = await deps.settingsOf(accountId);
      const presigner = await deps.presigner(accountId, bucket, { shareHost: true });
      const client = await deps.client(accountId, bucket);
      const signing: Signing = { signingDate: now(), expiresInSeconds };
      const life = await lifetime(presigner, signing);
      const createdAt = signing.signingDate.toISOString();
      const links: ShareLink[] = new Array<ShareLink>(keys.length);
      await inParallel(keys, HEADS_IN_PARALLEL, async (key, index) => {
        const name = options.downloadName?.trim() || lastSegment(key);
        const url = await presignGet(
          presigner,
          {
            bucket,
            key,
            versionId: options.versionId,
            contentDisposition: options.forceDownload ? attachmentDisposition(name) : undefined,
            contentType: options.contentType || undefined,
          },
          signing,
        );
        const notes = [...life.notes];
        // A HEAD that fails for another reason (no permission to HEAD) does not stop the link.
        const needsKey = await needsCustomerKey(client, { bucket, key, versionId: options.versionId }).catch(
          () => false as const,
        );
        if (needsKey === true) notes.push(shareNotes.customerKey);
        if (needsKey === 'missing') notes.push(shareNotes.missing);
        links[index] = { id: newId(), kind: 'get', bucket, key, url, ...life, notes, createdAt };
      });
      return record(links, settings.shareHost !== '');
    },

    /** An upload link for one key; the headers the uploader must send are in its notes. */
    async putLink(input: ParsedInput<'share.putLink'>): Promise<ShareLink> {
      const { accountId, bucket, key, expiresInSeconds, options } = input;
      checkNotFolder(key);
      checkHeaderValue(options.contentType, 'content type');
      const settings = await deps.settingsOf(accountId);
      refuseAclWithout(await deps.capabilities(accountId, bucket), options.acl);
      const presigner = await deps.presigner(accountId, bucket, { shareHost: true });
      const signing: Signing = { signingDate: now(), expiresInSeconds };
      const life = await lifetime(presigner, signing);
      const { url, requiredHeaders } = await presignPut(
        presigner,
        { bucket, key, contentType: options.contentType || undefined, acl: options.acl },
        signing,
      );
      const headers = Object.entries(requiredHeaders).map(([name, value]) => `${name}: ${value}`);
      const notes = [
        `Anyone with this link can upload to ${key} (replacing what is there) until it expires, with an HTTP PUT of the file's bytes.`,
        ...(headers.length > 0
          ? [`The upload must send these headers, exactly as shown, or it is refused: ${headers.join('; ')}.`]
          : []),
        ...life.notes,
      ];
      const [link] = await record(
        [{ id: newId(), kind: 'put', bucket, key, url, ...life, notes, createdAt: signing.signingDate.toISOString() }],
        settings.shareHost !== '',
      );
      return link as ShareLink;
    },

    /** A presigned POST policy with a ready-to-use HTML form; not-supported where the service has no POST uploads. */
    async postPolicy(input: ParsedInput<'share.postPolicy'>): Promise<PostPolicyLink> {
      const { accountId, bucket, keyPrefix, maxSizeBytes, expiresInSeconds, contentType, acl } = input;
      checkHeaderValue(contentType, 'content type');
      const settings = await deps.settingsOf(accountId);
      const model = await deps.capabilities(accountId, bucket);
      const lacking = whyUnavailable(model, 'postPolicy');
      if (lacking) throw new AppFailure('not-supported', `${lacking} Make an upload link (presigned PUT) instead.`);
      refuseAclWithout(model, acl);
      const presigner = await deps.presigner(accountId, bucket, { shareHost: true });
      const signing: Signing = { signingDate: now(), expiresInSeconds };
      const life = await lifetime(presigner, signing);
      const { url, fields } = await presignPost(presigner, {
        bucket,
        keyPrefix,
        maxSizeBytes,
        expiresInSeconds,
        contentType: contentType || undefined,
        acl,
      });
      const where = keyPrefix === '' ? `anywhere in ${bucket}` : `under ${keyPrefix} in ${bucket}`;
      const notes = [
        `Anyone with this form can upload files of up to ${formatSize(maxSizeBytes)} ${where} until it expires; a file keeps its own name.`,
        ...life.notes,
      ];
      const link: PostPolicyLink = {
        id: newId(),
        kind: 'post',
        bucket,
        key: keyPrefix,
        url,
        ...life,
        notes,
        createdAt: signing.signingDate.toISOString(),
        fields,
        htmlForm: htmlFormFor(url, fields),
      };
      await record([link], settings.shareHost !== '');
      return link;
    },

    /**
     * The s3:// URI, the plain URL (the address a presigned link has, for the share-links host
     * where one is set, without its signature), and whether anyone may read it: what an
     * anonymous request gets where it tells, else what the ACL says (null where there is none).
     */
    async urls(input: ParsedInput<'share.urls'>): Promise<ObjectUrls> {
      const { accountId, bucket, key } = input;
      const presigner = await deps.presigner(accountId, bucket, { shareHost: true });
      const signed = new URL(await getSignedUrl(presigner, new GetObjectCommand({ Bucket: bucket, Key: key })));
      signed.search = '';
      const publicUrl = signed.toString();
      const client = await deps.client(accountId, bucket);
      const [acl, anonymous] = await Promise.all([
        availability('ACLs', async () => {
          const output = await client.send(new GetObjectAclCommand({ Bucket: bucket, Key: key }));
          return (output.Grants ?? []).some(
            (grant) =>
              grant.Grantee?.URI === ALL_USERS_URI &&
              (grant.Permission === 'READ' || grant.Permission === 'FULL_CONTROL'),
          );
        }),
        anonymousHead(publicUrl),
      ]);
      const publiclyReadable = anonymous ?? (acl.available ? acl.value : null);
      return { s3Uri: `s3://${bucket}/${key}`, publicUrl, publiclyReadable };
    },

    /** The links made so far, newest first. */
    history: (): Promise<ShareLink[]> => deps.history.list(),
    /** Forgets the links made so far. */
    clearHistory: async (): Promise<{ cleared: number }> => ({ cleared: await deps.history.clear() }),
  };
}

/** The share links' interface. */
export type ShareLinks = ReturnType<typeof createShareLinks>;
