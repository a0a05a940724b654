import { createHash } from 'node:crypto';
import { UPLOAD_PAGE_SCRIPT, UPLOAD_PAGE_STYLE } from './upload-page-script';

/** What the drop box's upload page needs: where to POST, the signed policy's fields, and its limits. */
export interface UploadPageSettings {
  /** The bucket's POST URL. */
  url: string;
  /**
   * The form fields S3 checks: the policy, its signature and the credential scope (with a
   * session token where the credentials are temporary). Never the secret key: it never reaches
   * this module. The `key` field is left out: the page sets it to the prefix plus each file's name.
   */
  fields: Record<string, string>;
  keyPrefix: string;
  /** Where files go, in words for the recipient ("the folder photos/2026/ of holiday"). */
  where: string;
  maxSizeBytes: number;
  /** ISO 8601: when the policy expires. */
  expiresAt: string;
}

/**
 * The longest data: URL the app offers to copy, in characters. Browsers take far longer URLs
 * (Chromium 2 MiB), but a link is pasted into mail and chat, which cut or refuse long text
 * (Slack keeps 40,000 characters of a message, Teams about 28,000): 32,000 fits the first and
 * most, and a page with a short folder name is about 16,000 as a link.
 */
export const DATA_URL_MAX_CHARS = 32_000;

/** Escapes text for HTML content and attribute values. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Escapes text for an attribute value in double quotes (single quotes stay readable, as in a CSP). */
function escapeAttribute(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that is safe inside a <script> element: no "</script>", no "<!--", no line separators that end strings. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A CSP source for inline text: its SHA-256, so only this exact script and style run. */
function hashSource(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * The drop box's upload page: one HTML file with its style and script inline and nothing
 * loaded from anywhere, so it works opened from a file or a data: URL. Its Content-Security-Policy
 * lets it talk only to the bucket's origin, and run only its own script (by hash).
 */
export function uploadPageHtml(settings: UploadPageSettings): string {
  const json = scriptSafeJson(settings);
  const origin = new URL(settings.url).origin;
  const csp = [
    "default-src 'none'",
    `script-src ${hashSource(UPLOAD_PAGE_SCRIPT)}`,
    `style-src ${hashSource(UPLOAD_PAGE_STYLE)}`,
    `connect-src ${origin}`,
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    '<title>Upload files</title>',
    `<style>${UPLOAD_PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    '<h1>Upload files</h1>',
    `<p>Files you upload here go to <span id="where">${escapeHtml(settings.where)}</span>. You need no account.</p>`,
    '<p id="limits" class="muted"></p>',
    '<p id="closed" class="closed" role="alert" hidden>This upload link has expired. Ask the person who sent it for a new one.</p>',
    '<div id="zone" class="zone">',
    '<p>Drop files here, or</p>',
    '<label for="picker">Choose files to upload</label>',
    '<input id="picker" type="file" multiple>',
    '</div>',
    '<p id="summary" class="muted" role="status" aria-live="polite"></p>',
    '<ul id="files" aria-label="Files"></ul>',
    '</main>',
    `<script type="application/json" id="drop-box-settings">${json}</script>`,
    `<script>${UPLOAD_PAGE_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The page as a data: URL (UTF-8, base64), or null where it is longer than DATA_URL_MAX_CHARS. */
export function uploadPageDataUrl(html: string): { url: string | null; length: number } {
  const url = `data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`;
  return { url: url.length <= DATA_URL_MAX_CHARS ? url : null, length: url.length };
}

/** A file name for the saved page: "upload-to-<folder or bucket>.html", with only safe characters. */
export function uploadPageFileName(bucket: string, keyPrefix: string): string {
  const trimmed = keyPrefix.replace(/\/+$/, '');
  const last = trimmed.slice(trimmed.lastIndexOf('/') + 1) || bucket;
  const safe = last
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 60);
  return `upload-to-${safe || 'bucket'}.html`;
}
