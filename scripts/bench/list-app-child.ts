/**
 * Lists one folder through the app's real services (createServices + the hosts' dispatch, as
 * the UI's `objects.list` requests go), page by page to the end, keeping every entry as the
 * renderer does. Run as its own process by run.ts so that its peak memory is its own.
 *
 * Input: BENCH_TARGET (JSON: endpoint, region, accessKeyId, secretAccessKey, bucket, prefix).
 * Output: one JSON line on stdout (see {@link AppListingResult}).
 */
import type { ListingPage } from '../../src/shared/objects';
import { servicesForLaunchAccount } from '../../test/services-for-launch-account';
import type { ListingTarget } from './peer-tools';
import { SLOW_ANSWER_MS } from './stats';

/** What the child reports. */
export interface AppListingResult {
  /** Milliseconds from the folder's first page request to its answer. */
  firstPageMs: number;
  /** Milliseconds from the first request to the last page. */
  allMs: number;
  entries: number;
  pages: number;
  /** Pages whose answer took SLOW_ANSWER_MS or more (MinIO waiting on its own listing). */
  slowPages: number;
  /** Resident memory after start-up and the warm-up request, before the listing. */
  rssBeforeBytes: number;
  /** The process's peak resident memory, at the end. */
  peakRssBytes: number;
}

async function main(): Promise<void> {
  const target = JSON.parse(process.env.BENCH_TARGET ?? 'null') as ListingTarget | null;
  if (!target) throw new Error('BENCH_TARGET is not set');
  const { services, call } = servicesForLaunchAccount(
    {
      endpoint: target.endpoint,
      region: target.region,
      accessKeyId: target.accessKeyId,
      secretAccessKey: target.secretAccessKey,
      server: 'minio',
    },
    target.caFile ? { caCertFile: target.caFile } : {},
  );
  // The UI has the bucket open (and its client made) before it opens a folder: so does this.
  const warm = await call('objects.list', { bucket: target.bucket, prefix: '', pageSize: 1 });
  if (!warm.ok) throw new Error(`warm-up listing failed: ${warm.error.message}`);
  const rssBeforeBytes = process.memoryUsage().rss;

  const kept: unknown[] = [];
  let token: string | undefined;
  let pages = 0;
  let firstPageMs = 0;
  let slowPages = 0;
  const started = performance.now();
  do {
    const asked = performance.now();
    const result = await call('objects.list', {
      bucket: target.bucket,
      prefix: target.prefix,
      recursive: false,
      ...(token ? { continuationToken: token } : {}),
    });
    if (!result.ok) throw new Error(`page ${pages + 1} failed: ${result.error.message}`);
    const page = result.value as ListingPage;
    if (pages === 0) firstPageMs = performance.now() - started;
    if (performance.now() - asked >= SLOW_ANSWER_MS) slowPages += 1;
    pages += 1;
    kept.push(...page.folders, ...page.files);
    token = page.nextToken ?? undefined;
  } while (token);
  const allMs = performance.now() - started;
  await services.dispose();

  const result: AppListingResult = {
    firstPageMs,
    allMs,
    entries: kept.length,
    pages,
    slowPages,
    rssBeforeBytes,
    // maxRSS is in KiB.
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
