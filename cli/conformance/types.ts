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
}

export interface ConformanceReport {
  apiVersion: 'installctl.dev/v1alpha1';
  kind: 'ConformanceReport';
  installctl: string;
  options: { helm: HelmMajor[]; shard: { index: number; count: number } | null; only: string[]; affected: string | null };
  ok: boolean;
  summary: { cells: number; passed: number; failed: number; supported: number; conditional: number; unsupported: number };
  /** Commit, start and wall time (startedAt and durationMs differ between runs). */
  run: RunInfo;
  /** With --affected: which changed files matched which rule and selected which cells. */
  affected: Omit<AffectedSelection, 'ref'> | null;
  cells: CellResult[];
}
