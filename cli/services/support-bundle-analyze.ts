/**
 * `installctl support-bundle analyze FILE`: offline, from the bundle alone. The archive is read
 * with every cap (cli/support-bundle/archive-read.ts); the bundled spec gives the requirements and
 * the preflight analyzers run over the bundled evidence, as of the bundle's collection time (so the
 * same bundle always gives the same verdict); then the known failure patterns run over the pods,
 * events, jobs and claims. Same outcome model and exit codes as preflight.
 */
import { UserError } from '../lib/errors.js';
import { SPEC_EXITS } from '../lib/error-catalogue.js';
import { checkSpecText } from '../install-spec/load-spec.js';
import { exitCodeFor, PREFLIGHT_EXITS, type CheckResult } from '../preflight/types.js';
import type { PreflightEvidence } from '../generated/preflight-evidence.js';
import validatePreflightEvidence from '../generated/preflight-evidence.validator.js';
import { readBundleArchive, type ReadBundle } from '../support-bundle/archive-read.js';
import { BUNDLE_FILES, NAMESPACE_FILES } from '../support-bundle/assemble.js';
import { safeSegment } from '../support-bundle/archive.js';
import { analyzePatterns, type NamespaceSnapshot } from '../support-bundle/patterns.js';
import { preflightRequirements } from '../preflight/requirements.js';
import { analyzeEvidence } from '../preflight/analyze.js';
import type * as Output from '../generated/cli-output.js';

export interface AnalyzeDeps {
  requirements: typeof preflightRequirements;
  analyze: typeof analyzeEvidence;
}

const DEFAULT_DEPS: AnalyzeDeps = { requirements: preflightRequirements, analyze: analyzeEvidence };

type Raw = Record<string, unknown>;

function jsonFile(bundle: ReadBundle, file: string, path: string): unknown {
  const bytes = bundle.files.get(path);
  if (!bytes) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    throw new UserError(`${file}: ${path} is not JSON`, { code: 'SUPPORT_BUNDLE_INVALID', hint: 'pass the .tar.gz that installctl support-bundle wrote, as it was written' });
  }
}

const arrayOrNull = (value: unknown): Raw[] | null => (Array.isArray(value) ? (value as Raw[]) : null);

/** The objects of each namespace the bundle collected (a list its collector did not get is null). */
function snapshots(bundle: ReadBundle, file: string): NamespaceSnapshot[] {
  const collectors = jsonFile(bundle, file, BUNDLE_FILES.collectors) as { namespaces?: Array<{ namespace?: unknown }> } | undefined;
  const names = (collectors?.namespaces ?? []).map((entry) => entry.namespace).filter((name): name is string => typeof name === 'string');
  return names.map((namespace) => {
    const at = (name: string) => jsonFile(bundle, file, `cluster/${safeSegment(namespace)}/${name}`);
    const workloads = at(NAMESPACE_FILES.workloads) as { jobs?: unknown } | undefined;
    return {
      namespace,
      pods: arrayOrNull(at(NAMESPACE_FILES.pods)),
      events: arrayOrNull(at(NAMESPACE_FILES.events)),
      jobs: arrayOrNull(workloads?.jobs),
      pvcs: arrayOrNull(at(NAMESPACE_FILES.pvcs)),
    };
  });
}

/** The preflight analyzers over the bundled evidence, or why they could not run. */
function preflightResults(
  bundle: ReadBundle,
  file: string,
  now: Date,
  deps: AnalyzeDeps,
): { results: CheckResult[]; notes: string[]; mirror: string | null; evidence: PreflightEvidence | null } {
  const specBytes = bundle.files.get(BUNDLE_FILES.spec);
  const evidence = jsonFile(bundle, file, BUNDLE_FILES.evidence);
  const notes: string[] = [];
  const validEvidence = validatePreflightEvidence(evidence) ? (evidence as PreflightEvidence) : null;
  if (!validEvidence) notes.push(`${BUNDLE_FILES.evidence} is missing or does not match schemas/preflight-evidence.schema.json: preflight checks skipped`);
  const loaded = specBytes ? checkSpecText(BUNDLE_FILES.spec, specBytes.toString('utf8'), { now }) : null;
  const raw = jsonFile(bundle, file, BUNDLE_FILES.spec) as { spec?: { registry?: { mirror?: unknown } } } | null | undefined;
  const mirror = typeof raw?.spec?.registry?.mirror === 'string' ? raw.spec.registry.mirror : null;
  if (!loaded || loaded.exitCode !== SPEC_EXITS.valid || !loaded.install || !loaded.cell) {
    notes.push(`${BUNDLE_FILES.spec} is missing or not a valid install spec (${loaded?.errors ?? 0} errors): preflight checks skipped`);
    return { results: [], notes, mirror, evidence: validEvidence };
  }
  if (!validEvidence) return { results: [], notes, mirror, evidence: null };
  // The prefix the requirements were derived with at collection (--namespace-prefix, null when not given).
  const given = bundle.index.options?.namespacePrefix;
  const requirements = deps.requirements(loaded.install, loaded.cell, { now, namespacePrefix: typeof given === 'string' ? given : null });
  return { results: deps.analyze(requirements, validEvidence, now), notes, mirror, evidence: validEvidence };
}

function summaryOf(results: readonly CheckResult[]): Output.SupportBundleAnalyze['summary'] {
  const summary = { fail: 0, error: 0, warn: 0, pass: 0 };
  for (const result of results) summary[result.outcome]++;
  return summary;
}

export async function analyzeSupportBundle(file: string, deps: AnalyzeDeps = DEFAULT_DEPS): Promise<Output.SupportBundleAnalyze> {
  const bundle = await readBundleArchive(file);
  const collectedAt = new Date(bundle.index.collectedAt);
  if (Number.isNaN(collectedAt.getTime())) throw new UserError(`${file}: index.json has no valid collectedAt`, { code: 'SUPPORT_BUNDLE_INVALID' });
  const preflight = preflightResults(bundle, file, collectedAt, deps);
  const storage = preflight.evidence?.collectors.storageClasses?.status === 'ok' ? preflight.evidence.storageClasses.map((entry) => entry.name) : null;
  const patterns = analyzePatterns({ namespaces: snapshots(bundle, file), mirror: preflight.mirror, storageClasses: storage });
  const results = [...preflight.results, ...patterns];
  // Skipped preflight checks leave the verdict unknown: never 0 or 4 then.
  const exitCode = exitCodeFor(results);
  return {
    file,
    collectedAt: bundle.index.collectedAt,
    install: { name: String(bundle.index.install?.name ?? ''), cell: String(bundle.index.install?.cell ?? '') },
    results,
    summary: summaryOf(results),
    notes: preflight.notes,
    exitCode: (preflight.notes.length && (exitCode === PREFLIGHT_EXITS.pass || exitCode === PREFLIGHT_EXITS.warn)
      ? PREFLIGHT_EXITS.couldNotRun
      : exitCode) as Output.SupportBundleAnalyze['exitCode'],
  };
}
