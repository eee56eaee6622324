/** The conformance report's shapes (schemas/conformance-report.schema.json documents them). */
import type { CellStatus } from '../matrix/engine.js';
import type { AffectedSelection } from './selection.js';
import type { RunInfo } from './run-info.js';
import type { HelmMajor } from './helm/helm-tools.js';

export type StageStatus = 'pass' | 'fail' | 'skip';

export interface StageResult {
  name: string;
  status: StageStatus;
  durationMs: number;
  /** Why it failed or was skipped; null when it passed. */
  message: string | null;
  /** Present (true) when the passing result came from the --cache-dir result cache instead of running. */
  cached?: true;
}

/** A finding of an upgrade edge: the policy (upgrade-immutable, upgrade-stateful-replacement, upgrade-unmigrated-value), what and why. */
export interface EdgeViolation {
  policy: 'upgrade-immutable' | 'upgrade-stateful-replacement' | 'upgrade-unmigrated-value';
  /** The chart and object, the Pulumi resource (type::name) or the chart and value path; null when none applies. */
  resource: string | null;
  message: string;
}

/** One upgrade edge of a cell: its render at catalogued release `from`, then at the next one, `to` (cli/conformance/upgrade-stage.ts). */
export interface UpgradeEdgeResult {
  from: string;
  to: string;
  status: StageStatus;
  durationMs: number;
  /** Why it failed (its first violations, or the step that broke) or was skipped; null when it passed. */
  message: string | null;
  /** Present (true) when the passing result came from the --cache-dir result cache instead of running. */
  cached?: true;
  violations: EdgeViolation[];
}

export interface CellResult {
  id: string;
  platform: string;
  scm: string;
  models: string;
  network: string;
  /** What the support matrix says of the cell. */
  status: CellStatus;
  /** Whether the cell behaved as the matrix says (rejected with its reasons, or every stage passed). */
  result: 'pass' | 'fail';
  reasons: string[];
  durationMs: number;
  stages: StageResult[];
  /** The upgrade edges between consecutive catalogued releases (empty for unsupported cells and with --no-upgrade-edges). */
  upgrades: UpgradeEdgeResult[];
}

export interface ConformanceReport {
  apiVersion: 'installctl.dev/v1alpha1';
  kind: 'ConformanceReport';
  installctl: string;
  /** upgradeEdges: false with --no-upgrade-edges. */
  options: { helm: HelmMajor[]; shard: { index: number; count: number } | null; only: string[]; affected: string | null; upgradeEdges: boolean };
  ok: boolean;
  summary: { cells: number; passed: number; failed: number; supported: number; conditional: number; unsupported: number };
  /** Commit, start and wall time (startedAt and durationMs differ between runs). */
  run: RunInfo;
  /** With --affected: which changed files matched which rule and selected which cells. */
  affected: Omit<AffectedSelection, 'ref'> | null;
  cells: CellResult[];
}
