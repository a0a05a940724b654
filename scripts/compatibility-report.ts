/**
 * Writes docs/compatibility.md from the last run of the compatibility suite
 * (test/compatibility/, results in test-results/compatibility.json): a matrix of journey ×
 * service with ✓, ✗ and the reason, or "unavailable on this service" and why; each server's
 * version; and what the app's capability model found out about each service.
 *
 *   node --import tsx scripts/compatibility-report.ts [--results FILE] [--out FILE] [--partial]
 *
 * A run of only some targets (S3FM_COMPAT_TARGETS) is refused unless --partial is given, so
 * the published matrix always covers every service.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { capabilityIds, capabilityLabels } from '../src/shared/capabilities';
import type { CompatibilityResults as Results, JourneyResult } from '../test/compatibility/results';

/** The targets every published matrix must cover (test/compatibility/targets.ts). */
const EXPECTED_TARGETS = ['minio', 'moto', 'seaweedfs', 's3rver', 'r2', 'b2', 'wasabi', 'gcs', 'aws-sse-kms'];

/** Escapes a table cell's text. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The matrix's symbol for a result. */
function symbol(result: JourneyResult | undefined): string {
  switch (result?.status) {
    case 'pass':
      return '✓';
    case 'unavailable':
      return 'unavailable';
    case 'fail':
      return '✗';
    default:
      return 'not run';
  }
}

/** The Markdown of the report. */
export function renderReport(results: Results): string {
  const lines: string[] = [];
  const date = results.finishedAt.slice(0, 10);
  lines.push('# Compatibility');
  lines.push('');
  lines.push(
    `Written by \`npm run compat:report\` from the compatibility suite's run of ${date} (\`test/compatibility/\`, part of \`npm test\`); do not edit by hand.`,
  );
  lines.push('');
  lines.push(
    'Each journey runs through the app\'s services (`dispatch`, as the UI calls them) against each service, and is checked by what landed in the bucket: bytes, metadata, tags, what is left. "unavailable" means the app itself said, before or instead of failing, that the service cannot do it; the reasons are below the table. The profiles are the fault proxy making MinIO answer as that service documents (sources: [provider-profiles.md](provider-profiles.md)).',
  );
  lines.push('');
  const targets = results.targets;
  lines.push(`| journey | ${targets.map((t) => cell(t.label)).join(' | ')} |`);
  lines.push(`| --- | ${targets.map(() => '---').join(' | ')} |`);
  const notes: string[] = [];
  for (const journey of results.journeys) {
    const cells = targets.map((target) => {
      const result = target.results[journey.id];
      if (!result || result.status === 'pass') return symbol(result);
      notes.push(`${cell(target.label)}, ${journey.label}: ${result.detail}`);
      return `${symbol(result)} [${notes.length}]`;
    });
    lines.push(`| ${cell(journey.label)} | ${cells.join(' | ')} |`);
  }
  lines.push('');
  if (notes.length > 0) {
    lines.push('Why:');
    lines.push('');
    notes.forEach((note, i) => lines.push(`${i + 1}. ${note}`));
    lines.push('');
  }

  lines.push('## Services and versions');
  lines.push('');
  lines.push('| service | kind | version | account preset |');
  lines.push('| --- | --- | --- | --- |');
  for (const target of targets) {
    lines.push(`| ${cell(target.label)} | ${target.kind} | ${cell(target.version)} | ${target.provider} |`);
  }
  lines.push('');

  lines.push('## What the app found out about each service');
  lines.push('');
  lines.push(
    "The capability model after the run (`src/shared/capabilities.ts`): from the provider preset, the app's probes, and the service's own answers. yes / no / ? (not known: the app tries, and learns from the answer).",
  );
  lines.push('');
  lines.push(`| feature | ${targets.map((t) => cell(t.label)).join(' | ')} |`);
  lines.push(`| --- | ${targets.map(() => '---').join(' | ')} |`);
  const word = { yes: 'yes', no: 'no', unknown: '?' } as const;
  for (const id of capabilityIds) {
    const cells = targets.map((target) => {
      const entry = target.capabilities?.features[id];
      return entry ? `${word[entry.support]} (${entry.source})` : '–';
    });
    lines.push(`| ${cell(capabilityLabels[id])} | ${cells.join(' | ')} |`);
  }
  const etagCells = targets.map((target) =>
    target.capabilities ? `${target.capabilities.etag.singlePart} / ${target.capabilities.etag.multipart}` : '–',
  );
  lines.push(`| ETags (single PUT / multipart) | ${etagCells.join(' | ')} |`);
  lines.push('');

  lines.push('## What each journey checked');
  lines.push('');
  for (const target of targets) {
    lines.push(`### ${target.label}`);
    lines.push('');
    for (const journey of results.journeys) {
      const result = target.results[journey.id];
      lines.push(`- ${journey.label}: ${symbol(result)}${result ? `, ${result.detail}` : ''}`);
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Reads the results, checks they cover every target, and writes the report. */
function main(): void {
  const { values } = parseArgs({
    options: {
      results: { type: 'string', default: 'test-results/compatibility.json' },
      out: { type: 'string', default: 'docs/compatibility.md' },
      partial: { type: 'boolean', default: false },
    },
  });
  const results = JSON.parse(readFileSync(values.results, 'utf8')) as Results;
  const missing = EXPECTED_TARGETS.filter((id) => !results.targets.some((t) => t.id === id));
  if (missing.length > 0 && !values.partial) {
    console.error(
      `compatibility-report: the run in ${values.results} did not cover ${missing.join(', ')}; run the whole suite (or pass --partial)`,
    );
    process.exit(1);
  }
  writeFileSync(values.out, renderReport(results));
  const failed = results.targets.flatMap((t) => Object.values(t.results)).filter((r) => r.status === 'fail').length;
  console.log(`compatibility-report: wrote ${values.out} (${results.targets.length} services, ${failed} failures)`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
