import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AccountSettings } from '../../../shared/accounts';
import { capabilitiesFromSeed, capabilitySeeds } from '../../../shared/capabilities';
import { silentLogger } from '../logging/logger';
import { createPresigningClient } from '../s3/s3-client';
import { createDropBoxes } from './drop-box';
import { createShareHistory } from './share-history';

// "Save page…" in the desktop app: main writes only a page it made, where the person chose,
// and only for the desktop app's own window. The signing is local; no request is sent.

const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

async function dropBoxes(chosen: () => string | null) {
  const folder = await mkdtemp(join(tmpdir(), 's3fm-dropbox-unit-'));
  folders.push(folder);
  const client = createPresigningClient({
    endpoint: 'https://s3.example.com',
    region: 'eu-west-1',
    forcePathStyle: true,
    credentials,
  });
  const asked: string[] = [];
  const boxes = createDropBoxes({
    presigner: async () => client,
    client: async () => client,
    settingsOf: async () => ({ shareHost: '' }) as AccountSettings,
    capabilities: async () => capabilitiesFromSeed(capabilitySeeds.aws),
    history: createShareHistory(join(folder, 'share-links.json')),
    logger: silentLogger,
    preflight: async () => true,
    desktop: {
      chooseFolder: async () => null,
      chooseSavePath: async (_title, defaultName) => {
        asked.push(defaultName);
        return chosen();
      },
      reveal: () => undefined,
      notify: () => undefined,
      downloadsDir: () => folder,
      startDrag: () => undefined,
    },
  });
  return { boxes, folder, asked };
}

const input = { accountId: 'a', bucket: 'photos', prefix: 'inbox/', maxSizeBytes: 1024, expiresInSeconds: 600 };

describe('saving a drop box page', () => {
  it('writes the page main made where the person chose, offering its name', async () => {
    let target = '';
    const { boxes, folder, asked } = await dropBoxes(() => target);
    const link = await boxes.make(input);
    target = join(folder, 'chosen.html');
    expect(await boxes.save({ linkId: link.id }, true)).toEqual({ saved: target });
    expect(asked).toEqual(['upload-to-inbox.html']);
    const written = await readFile(target, 'utf8');
    expect(written).toBe(link.page.html);
    expect(written).not.toContain(credentials.secretAccessKey);
    expect(link.cors.state).toBe('allowed');
    expect(link.dataUrlNote).not.toContain('local address');
  });

  it('writes nothing when the person cancels, and refuses a browser and unknown pages', async () => {
    const { boxes } = await dropBoxes(() => null);
    const link = await boxes.make(input);
    expect(await boxes.save({ linkId: link.id }, true)).toEqual({ saved: null });
    await expect(boxes.save({ linkId: link.id }, false)).rejects.toMatchObject({ code: 'not-supported' });
    await expect(boxes.save({ linkId: 'made-before' }, true)).rejects.toMatchObject({ code: 'invalid-input' });
  });
});
