/**
 * The compatibility suite's results file (test-results/compatibility.json): written by
 * compatibility.int.test.ts, read by scripts/compatibility-report.ts.
 */
import type { ServiceCapabilities } from '../../src/shared/capabilities';

/** How a journey came out on one target. */
export interface JourneyResult {
  status: 'pass' | 'unavailable' | 'fail' | 'not-run';
  /** What was checked, or why it is unavailable, or what went wrong. */
  detail: string;
}

/** One target's entry: what it is, what the app found out about it, and each journey's result. */
export interface TargetResults {
  id: string;
  label: string;
  kind: string;
  version: string;
  provider: string;
  capabilities: ServiceCapabilities | null;
  results: Record<string, JourneyResult>;
}

/** The whole file. */
export interface CompatibilityResults {
  startedAt: string;
  finishedAt: string;
  journeys: { id: string; label: string }[];
  targets: TargetResults[];
}
