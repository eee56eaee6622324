/**
 * `installctl upgrade plan SPEC --to VERSION`: validate the spec, find the path from its release to
 * VERSION through the required stops, render the spec at every release on the path (in memory, as
 * render would) and synthesize each render's Pulumi project under mocks, then let the planner
 * (cli/upgrade/plan.ts) compare them hop by hop. Nothing is written but the temporary Pulumi
 * projects synthesis reads, removed afterwards. A spec with errors or an uncatalogued release is a
 * usage error (exit 2); a blocked plan is a result (exit 1), and so is a spec whose only errors say
 * its Kubernetes is no longer supported: getting off it is what the plan is for.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { UserError } from '../lib/errors.js';
import { visibleLine } from '../lib/visible-text.js';
import type { Issue } from '../schema/issue.js';
import type { Install } from '../generated/install-spec.js';
import type * as Output from '../generated/cli-output.js';
import type { Cell } from '../matrix/engine.js';
import { loadSpecFile } from '../install-spec/load-spec.js';
import { checkSpecDocument } from '../install-spec/check-spec.js';
import { normalizeRenamedFields } from '../install-spec/normalize-renames.js';
import { looksLikeJson, parseSpecText } from '../install-spec/parse-yaml.js';
import { settingsFor } from '../emit/settings.js';
import { registrySource, type RegistrySource } from '../emit/registry-source.js';
import { renderFiles } from '../emit/render-files.js';
import { findRelease, releaseCatalog } from '../releases/catalog.js';
import { upgradePath } from '../releases/path.js';
import { synthesizeProject } from '../conformance/pulumi/synthesize.js';
import { planUpgrade, versionsToRender, type ReleaseRender } from '../upgrade/plan.js';

export interface UpgradePlanOptions {
  spec: string;
  to: string;
  now?: Date;
}

/**
 * The errors that say the cluster's Kubernetes is unsupported (by its platform's calendar, or by the
 * spec's own release): what an upgrade plan exists to get out of, so they block the plan (exit 1,
 * "upgrade Kubernetes first") instead of refusing the spec.
 */
const KUBERNETES_SUPPORT = new Set(['RULE_KUBERNETES_END_OF_SUPPORT', 'RELEASE_KUBERNETES_WINDOW']);

interface LoadedForPlan {
  install: Install;
  cell: Cell;
  text: string;
  /** Kubernetes-support errors of the spec, each a blocker of the whole plan. */
  kubernetes: Output.UpgradeBlocker[];
}

/** The typed spec of a file whose only errors are Kubernetes-support ones (validate's checks all ran: the shape and the cell are fine). */
function checkedDespiteKubernetes(file: string, text: string, now: Date): { install: Install; cell: Cell } | null {
  const parsed = parseSpecText(text, { json: looksLikeJson(file, text) });
  if (!parsed.ok) return null;
  const checked = checkSpecDocument(parsed.data, undefined, { now });
  if (!checked.install || !checked.cell || checked.findings.some((finding) => finding.severity === 'error' && !KUBERNETES_SUPPORT.has(finding.code))) return null;
  return { install: normalizeRenamedFields(checked.install), cell: checked.cell };
}

function kubernetesBlocker(issue: Issue): Output.UpgradeBlocker {
  return {
    code: 'UPGRADE_KUBERNETES_WINDOW',
    hop: null,
    message: visibleLine(`the spec's Kubernetes version is not supported where it runs now: ${issue.message}`),
    hint: visibleLine(`upgrade Kubernetes first${issue.hint ? ` (${issue.hint})` : ''}, then platform.kubernetesVersion in the spec; then plan again`),
  };
}

function loadSpec(file: string, now: Date): LoadedForPlan {
  const loaded = loadSpecFile(file, { now });
  if (loaded.install && loaded.cell && loaded.text !== null && loaded.exitCode === 0) return { install: loaded.install, cell: loaded.cell, text: loaded.text, kubernetes: [] };
  const errors = loaded.issues.filter((issue: Issue) => issue.severity === 'error');
  if (loaded.text !== null && loaded.exitCode === 1 && errors.length > 0 && errors.every((issue) => KUBERNETES_SUPPORT.has(issue.code))) {
    const checked = checkedDespiteKubernetes(file, loaded.text, now);
    if (checked) return { ...checked, text: loaded.text, kubernetes: errors.map(kubernetesBlocker) };
  }
  const first = errors[0];
  throw new UserError(
    visibleLine(
      `${file} is not a valid install spec${first ? `: ${first.path ? `${first.path}: ` : ''}${first.message}` : ''}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`,
    ),
    { code: 'UPGRADE_SPEC_INVALID', hint: `installctl validate ${file} lists every issue with its line`, details: { issues: loaded.issues } },
  );
}

function checkCatalogued(version: string, what: string): void {
  if (findRelease(version)) return;
  const listed = releaseCatalog().map((release) => `${release.version} (${release.status})`);
  throw new UserError(visibleLine(`${what} ${version} is not in the release catalog`), {
    code: 'RELEASE_UNKNOWN',
    hint: `catalogued releases: ${listed.join(', ')}`,
    details: { releases: releaseCatalog().map((release) => release.version) },
  });
}

/** The spec as it reads at `version`: only the release differs (apply-spec moves renamed fields; emit reads one name per field). */
const specAt = (install: Install, version: string): Install => ({ ...install, spec: { ...install.spec, release: { ...install.spec.release, version } } });

async function renderAt(file: string, text: string, install: Install, cell: Cell, source: RegistrySource, version: string): Promise<ReleaseRender> {
  const at = specAt(install, version);
  const settings = settingsFor(at, cell);
  const files = renderFiles(file, text, at, settings, cell.status, null, null, source);
  const dir = mkdtempSync(join(tmpdir(), 'installctl-upgrade-plan-'));
  try {
    for (const [path, content] of files) {
      if (!path.startsWith('pulumi/')) continue;
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    const synthesis = await synthesizeProject(join(dir, 'pulumi'));
    if (synthesis.errors.length) throw new Error(`mock synthesis of the Pulumi project at ${version} failed: ${synthesis.errors.join('; ')}`);
    return { version, install: at, settings, files, resources: synthesis.resources };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function upgradePlan(options: UpgradePlanOptions): Promise<Output.UpgradePlan> {
  const { install, cell, text, kubernetes } = loadSpec(options.spec, options.now ?? new Date());
  const from = install.spec.release.version;
  checkCatalogued(options.to, 'release');
  checkCatalogued(from, `the spec's release (spec.release.version)`);
  const path = upgradePath(from, options.to);
  const mirror = install.spec.registry?.mirror ?? null;
  const source = registrySource(mirror, null, settingsFor(install, cell).registry !== null);
  const renders = new Map<string, ReleaseRender>();
  // One after another: mock synthesis installs its mocks in the one Pulumi runtime of this process.
  for (const version of versionsToRender(from, path)) renders.set(version, await renderAt(options.spec, text, install, cell, source, version));
  return planUpgrade({ specFile: options.spec, install, cell: cell.id, to: options.to, path, renders, source, specBlockers: kubernetes });
}
