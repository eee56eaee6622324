/**
 * `installctl upgrade plan SPEC --to VERSION`: validate the spec, find the path from its release to
 * VERSION through the required stops, render the spec at every release on the path (in memory, as
 * render would) and synthesize each render's Pulumi project under mocks, then let the planner
 * (cli/upgrade/plan.ts) compare them hop by hop. Nothing is written but the temporary Pulumi
 * projects synthesis reads, removed afterwards. A spec with errors or an uncatalogued release is a
 * usage error (exit 2); a blocked plan is a result (exit 1).
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

function loadSpec(file: string, now: Date): { install: Install; cell: Cell; text: string } {
  const loaded = loadSpecFile(file, { now });
  if (loaded.install && loaded.cell && loaded.text !== null && loaded.exitCode === 0) return { install: loaded.install, cell: loaded.cell, text: loaded.text };
  const errors = loaded.issues.filter((issue: Issue) => issue.severity === 'error');
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
  const { install, cell, text } = loadSpec(options.spec, options.now ?? new Date());
  const from = install.spec.release.version;
  checkCatalogued(options.to, 'release');
  checkCatalogued(from, `the spec's release (spec.release.version)`);
  const path = upgradePath(from, options.to);
  const mirror = install.spec.registry?.mirror ?? null;
  const source = registrySource(mirror, null, settingsFor(install, cell).registry !== null);
  const renders = new Map<string, ReleaseRender>();
  // One after another: mock synthesis installs its mocks in the one Pulumi runtime of this process.
  for (const version of versionsToRender(from, path)) renders.set(version, await renderAt(options.spec, text, install, cell, source, version));
  return planUpgrade({ specFile: options.spec, install, cell: cell.id, to: options.to, path, renders, source });
}
