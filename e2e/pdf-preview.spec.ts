import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Page } from '@playwright/test';
import { freshBucket } from '../test/s3-fixtures';
import { expect, test } from './fixtures';
import { filesOf, rowOf, sidebarOf } from './ui';

const detailsOf = (page: Page) => page.getByRole('complementary', { name: 'Details' });

/** The extension id of Chromium's built-in PDF viewer: its frame appears when a PDF renders. */
const PDF_VIEWER = 'chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/';

/** A one-page PDF that says HELLO PDF, written out by hand (offsets computed). */
function smallPdf(): Buffer {
  const stream = 'BT /F1 36 Tf 20 100 Td (HELLO PDF) Tj ET';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let text = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(text.length);
    text += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = text.length;
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  text += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(text, 'latin1');
}

/**
 * The PDF preview renders in Chromium's viewer from a URL that pins application/pdf and
 * inline, in a frame without storage of its own (credentialless). The frame has no sandbox
 * attribute: Chromium blocks its PDF viewer in any sandboxed frame (see object-preview.tsx).
 */
test('a PDF previews in the panel from a URL that pins its type, in a credentialless frame', async ({
  page,
  webApp,
  s3,
  s3Client,
}) => {
  const bucket = await freshBucket(s3);
  try {
    await s3Client.send(
      new PutObjectCommand({
        Bucket: bucket.name,
        Key: 'report.pdf',
        Body: smallPdf(),
        ContentType: 'application/pdf',
      }),
    );
    await page.goto(webApp.url);
    await sidebarOf(page).getByRole('treeitem', { name: bucket.name, exact: true }).click();
    await expect(filesOf(page).getByRole('heading', { name: bucket.name })).toBeVisible();
    await rowOf(page, 'report.pdf').click();
    await detailsOf(page).getByRole('button', { name: 'Preview' }).click();

    const frame = detailsOf(page).locator('iframe[title="Preview of report.pdf"]');
    await expect(frame).toBeVisible();
    expect(await frame.getAttribute('credentialless')).toBe('');
    expect(await frame.getAttribute('sandbox')).toBeNull();
    const url = new URL((await frame.getAttribute('src')) ?? '');
    expect(url.searchParams.get('response-content-type')).toBe('application/pdf');
    expect(url.searchParams.get('response-content-disposition')).toBe('inline');
    // Chromium's PDF viewer took the frame: the document rendered as a PDF.
    await expect.poll(() => page.frames().some((f) => f.url().startsWith(PDF_VIEWER)), { timeout: 15_000 }).toBe(true);
  } finally {
    await bucket.cleanup();
  }
});
