/**
 * A copy between accounts keeps memory bounded: 256 MiB copied between two MinIO servers by a
 * child process through the app's queue peaks under 250 MB RSS, and lands with the source's
 * ETag. `npm run bench:cross-account` runs the same with 1 GiB (about a minute here).
 */
import { expect, test } from 'vitest';
import { measureCrossAccountCopy } from './cross-account-rss';

const MiB = 1024 * 1024;

test('a 256 MiB copy between accounts stays under 250 MB of RSS and lands byte for byte', async () => {
  const measured = await measureCrossAccountCopy(256 * MiB);
  console.log(
    `cross-account copy of 256 MiB: ${(measured.ms / 1000).toFixed(1)} s, RSS ${(measured.rssBeforeBytes / 1e6).toFixed(0)} MB before, peak ${(measured.peakRssBytes / 1e6).toFixed(0)} MB`,
  );
  expect(measured.targetEtag).toBe(measured.sourceEtag);
  expect(measured.transfer?.verifiedBy).toMatch(/^(md5|checksum)$/);
  expect(measured.peakRssBytes).toBeLessThan(250e6);
}, 180_000);
