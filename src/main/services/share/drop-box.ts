import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { whyUnavailable } from '../../../shared/capabilities';
import type { ParsedInput } from '../../../shared/contract';
import type { DropBoxCors, DropBoxLink, ShareLink } from '../../../shared/share';
import { AppFailure } from '../app-failure';
import type { DesktopIntegration } from '../service-context';
import { addDropBoxCorsRule, checkDropBoxCors, preflightFromPage } from './bucket-cors';
import { presignPost, type Signing } from './presign';
import { formatSize, lifetime, type ShareLinkDependencies } from './share-links';
import { DATA_URL_MAX_CHARS, uploadPageDataUrl, uploadPageFileName, uploadPageHtml } from './upload-page';

/** How many pages made this session are kept for "Save page…" (each a few kilobytes). */
const PAGES_KEPT = 20;

/** What drop boxes are made with: the share links' dependencies, and the desktop's save dialog where there is one. */
export interface DropBoxDependencies extends ShareLinkDependencies {
  desktop: DesktopIntegration | undefined;
  /** The CORS preflight a browser would send (passed in so tests can answer it). */
  preflight?: (postUrl: string) => Promise<boolean | undefined>;
}

/** Where the files go, in words for the page and the notes. */
function whereText(bucket: string, prefix: string): string {
  return prefix === '' ? `the storage bucket “${bucket}”` : `the folder “${prefix}” of the storage bucket “${bucket}”`;
}

/**
 * Whether a URL points at this computer or a local network. Chromium (Local Network Access)
 * lets a page from a data: link, which is no secure context, reach only public addresses;
 * a page opened from a file may still reach local ones.
 */
export function isLocalAddress(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.local') ||
    host === '::1' ||
    /^(127|10)\./.test(host) ||
    /^192\.168\./.test(host) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(host) ||
    /^169\.254\./.test(host) ||
    /^f[cd][0-9a-f]{2}:/.test(host) ||
    /^fe80:/.test(host)
  );
}

/** The bucket's POST URL (signing is local: no request is sent). */
async function postUrlOf(presigner: S3Client, bucket: string): Promise<string> {
  const { url } = await presignPost(presigner, {
    bucket,
    keyPrefix: '',
    maxSizeBytes: 1,
    expiresInSeconds: 60,
    acl: 'private',
  });
  return url;
}

/**
 * Drop boxes: a POST policy for a folder with its upload page, whether the bucket's CORS lets
 * that page upload (and adding the rule it needs), and saving the page in the desktop app.
 */
export function createDropBoxes(deps: DropBoxDependencies) {
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;
  const preflight = deps.preflight ?? preflightFromPage;
  /** The pages made this session, by link id, newest last. */
  const pages = new Map<string, DropBoxLink['page']>();
  /** Buckets (account and name) whose service answered that it takes no bucket CORS rules, with what it said. */
  const noBucketRules = new Map<string, string>();

  async function cors(accountId: string, bucket: string): Promise<DropBoxCors> {
    const presigner = await deps.presigner(accountId, bucket, { shareHost: true });
    const client = await deps.client(accountId, bucket);
    return checkDropBoxCors(
      client,
      bucket,
      await postUrlOf(presigner, bucket),
      noBucketRules.get(`${accountId} ${bucket}`),
      {
        preflight,
      },
    );
  }

  return {
    /** A drop box for a folder: the policy, the page, its data: URL where short enough, and the CORS check. */
    async make(input: ParsedInput<'share.dropBox'>): Promise<DropBoxLink> {
      const { accountId, bucket, prefix, maxSizeBytes, expiresInSeconds } = input;
      const settings = await deps.settingsOf(accountId);
      const lacking = whyUnavailable(await deps.capabilities(accountId, bucket), 'postPolicy');
      if (lacking) {
        throw new AppFailure(
          'not-supported',
          `${lacking} A drop box needs them: make an upload link for one file instead.`,
        );
      }
      const presigner = await deps.presigner(accountId, bucket, { shareHost: true });
      const signing: Signing = { signingDate: now(), expiresInSeconds };
      const life = await lifetime(presigner, signing);
      const { url, fields } = await presignPost(presigner, {
        bucket,
        keyPrefix: prefix,
        maxSizeBytes,
        expiresInSeconds,
        anyContentType: true,
        acl: 'private',
      });
      // The page sets the key per file; everything else is the signed policy and its scope.
      const { key: _key, ...pageFields } = fields;
      const where = whereText(bucket, prefix);
      const html = uploadPageHtml({
        url,
        fields: pageFields,
        keyPrefix: prefix,
        where,
        maxSizeBytes,
        expiresAt: life.expiresAt,
      });
      const page = { html, fileName: uploadPageFileName(bucket, prefix) };
      const data = uploadPageDataUrl(html);
      const id = newId();
      pages.set(id, page);
      for (const old of pages.keys()) if (pages.size > PAGES_KEPT) pages.delete(old);
      const link: DropBoxLink = {
        id,
        kind: 'post',
        bucket,
        key: prefix,
        url,
        ...life,
        notes: [
          `Anyone with the page can upload files of up to ${formatSize(maxSizeBytes)} into ${where} until it expires, without an account; a file keeps its own name and replaces a file of that name there.`,
          ...life.notes,
        ],
        createdAt: signing.signingDate.toISOString(),
        page,
        dataUrl: data.url,
        dataUrlNote:
          data.url !== null
            ? 'The link is the whole page (a data: link): the recipient pastes it into the address bar of a browser. Most browsers do not open such links when clicked in mail or chat.' +
              (isLocalAddress(url)
                ? ' This service is on a local address, which browsers do not let a page from a data: link reach: send the saved page instead.'
                : '')
            : `As a link the page would be ${data.length.toLocaleString('en-US')} characters, over the ${DATA_URL_MAX_CHARS.toLocaleString('en-US')} that mail and chat keep: save the page and send it as a file.`,
        cors: await cors(accountId, bucket),
      };
      // The list keeps the link without its page; the fields stay so a session token keeps it off the disk.
      const { page: _page, dataUrl: _dataUrl, dataUrlNote: _note, cors: _cors, ...listed } = link;
      await deps.history.add([{ ...listed, fields: pageFields } as ShareLink]);
      deps.logger.info('drop box made', { maxSizeBytes, expiresInSeconds, viaShareHost: settings.shareHost !== '' });
      return link;
    },

    /** Whether the bucket's CORS lets the page upload. */
    cors: (input: ParsedInput<'share.dropBoxCors'>): Promise<DropBoxCors> => cors(input.accountId, input.bucket),

    /** Adds the page's CORS rule to the bucket (keeping its other rules), then checks again. */
    async allowCors(input: ParsedInput<'share.allowDropBoxCors'>): Promise<DropBoxCors> {
      const { accountId, bucket } = input;
      try {
        await addDropBoxCorsRule(await deps.client(accountId, bucket), bucket);
      } catch (error) {
        if (error instanceof AppFailure && error.code === 'not-supported') {
          noBucketRules.set(`${accountId} ${bucket}`, error.message);
        }
        throw error;
      }
      deps.logger.info('drop box CORS rule added', { accountId });
      return cors(accountId, bucket);
    },

    /** Saves a page made this session with the desktop app's save dialog. */
    async save(input: ParsedInput<'share.saveDropBoxPage'>, fromDesktop: boolean): Promise<{ saved: string | null }> {
      const choose = deps.desktop?.chooseSavePath?.bind(deps.desktop);
      if (!fromDesktop || !choose) {
        throw new AppFailure(
          'not-supported',
          'Saving with a dialog works in the desktop app; a browser downloads the page.',
        );
      }
      const page = pages.get(input.linkId);
      if (!page)
        throw new AppFailure('invalid-input', 'That page was made in an earlier session: make the drop box again.');
      const path = await choose('Save the upload page', page.fileName, {
        name: 'Web page',
        extensions: ['html'],
      });
      if (path === null) return { saved: null };
      await writeFile(path, page.html, 'utf8');
      return { saved: path };
    },
  };
}

/** The drop boxes' interface. */
export type DropBoxes = ReturnType<typeof createDropBoxes>;
