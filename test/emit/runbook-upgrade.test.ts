/**
 * RUNBOOK.md's Upgrade section (cli/emit/runbook-upgrade.ts), the last section: the hop from the
 * catalogued release before the one the runbook is rendered for, with the very steps `upgrade plan`
 * lists (upgrade-steps.ts), the spec already moved and rendered; for the oldest release it says
 * there is nothing to upgrade from. When a migration of the hop is irreversible the rollback
 * restores the backup before any helm rollback. Every command passes bash -n, and hostile values
 * reach their tool as one argument each.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpecFile } from '../../cli/install-spec/load-spec.js';
import { settingsFor } from '../../cli/emit/settings.js';
import { registrySource } from '../../cli/emit/registry-source.js';
import { renderRunbook } from '../../cli/emit/runbook.js';
import { hopFacts, upgradeSteps } from '../../cli/emit/upgrade-steps.js';
import { findRelease, releaseCatalog } from '../../cli/releases/catalog.js';
import type { Install } from '../../cli/generated/install-spec.js';
import { EXAMPLES_DIR } from '../helpers/specs.js';
import { logicalCommands, runStubbed, shellBlocks, syntaxErrors } from '../helpers/shell-sandbox.js';

function runbookAt(example: string, version: string, edit: (install: Install) => Install = (install) => install) {
  const loaded = loadSpecFile(join(EXAMPLES_DIR, example), { now: new Date() });
  if (!loaded.install || !loaded.cell) throw new Error(`${example}: ${JSON.stringify(loaded.issues)}`);
  const base = edit(loaded.install);
  const install: Install = { ...base, spec: { ...base.spec, release: { ...base.spec.release, version } } };
  const settings = settingsFor(install, loaded.cell);
  const source = registrySource(install.spec.registry?.mirror ?? null, null, settings.registry !== null);
  const modelServer = install.spec.models.hosting === 'self-hosted';
  const runbook = renderRunbook(install, settings, { modelServer }, 'installctl test', source);
  return { install, settings, source, modelServer, runbook };
}

/** The last `## N. title` section and its body. */
function lastSection(runbook: string): { title: string; body: string } {
  const at = runbook.lastIndexOf('\n## ');
  const [heading, ...body] = runbook.slice(at + 1).split('\n');
  return { title: heading!.replace(/^## \d+\. /, ''), body: body.join('\n') };
}

const [oldest, ...later] = releaseCatalog();

describe('the Upgrade section', () => {
  it(`${oldest!.version}, the oldest release: nothing to upgrade from`, () => {
    const section = lastSection(runbookAt('aws-github-saas-connected.yaml', oldest!.version).runbook);
    expect(section.title).toBe('Upgrade');
    expect(section.body).toContain('is the oldest release installctl catalogs: there is no earlier release to upgrade from');
    expect(shellBlocks(section.body)).toEqual([]);
  });

  it('an uncatalogued release never reaches a runbook: validate refuses it (RELEASE_UNKNOWN), render throws as for a bug', () => {
    expect(() => runbookAt('aws-github-saas-connected.yaml', '2027.1.0')).toThrow(/release 2027\.1\.0 is not in the release catalog/);
  });

  it.each(
    later.flatMap((release) =>
      ['aws-github-saas-connected.yaml', 'gcp-gitlab-self-hosted-air-gapped.yaml', 'onprem-bitbucket-self-hosted-air-gapped.yaml'].map((example) => [release.version, example]),
    ),
  )('%s, %s: the steps of the plan for the hop from the previous release, after Verify', (version, example) => {
    const { install, settings, source, modelServer, runbook } = runbookAt(example, version);
    const release = findRelease(version)!;
    const previous = releaseCatalog()[releaseCatalog().indexOf(release) - 1]!;
    const section = lastSection(runbook);
    expect(section.title).toBe(`Upgrade from ${previous.version}`);
    expect(runbook.indexOf('. Verify\n')).toBeLessThan(runbook.lastIndexOf('\n## '));
    const steps = upgradeSteps(
      { install, settings, modelServer, source, spec: 'SPEC', dir: '.', specSteps: false, prose: { text: (value) => value, code: (value) => value } },
      hopFacts(previous.version, release, null),
    );
    expect([...section.body.matchAll(/^### \d+\. (.+)$/gm)].map((match) => match[1])).toEqual(steps.map((step) => step.title));
    expect(shellBlocks(section.body)).toEqual(steps.map((step) => step.commands.join('\n')));
    expect(syntaxErrors(shellBlocks(section.body).flatMap(logicalCommands))).toEqual([]);
  });

  it('2026.12.0: its irreversible migration means the backup is restored before helm rollback, and Helm upgrades without --atomic', () => {
    const { body } = lastSection(runbookAt('azure-gitlab-cloud-managed-connected.yaml', '2026.12.0').runbook);
    expect(body).toContain('Do NOT just run helm rollback: `2026.12-split-findings-table`');
    const rollback = shellBlocks(body).at(-1)!.split('\n');
    // Nothing of 2026.12.0 writes while the backup is restored: the platform's workloads (not its datastores) are scaled to 0 first.
    expect(rollback[0]).toMatch(
      /^kubectl -n \S+ scale deployment,statefulset -l 'app\.kubernetes\.io\/instance=agent-platform,app\.kubernetes\.io\/component notin \(postgres,redis,rabbitmq\)' --replicas=0 && kubectl .* wait --for=delete pod /,
    );
    expect(rollback[1]).toMatch(/^az postgres flexible-server restore /);
    expect(rollback.at(-1)).toMatch(/^helm rollback agent-platform /);
    expect(body).toMatch(/^helm upgrade agent-platform .* --wait --timeout 45m$/m);
    // The release declares the Azure Managed Redis database's replacement: named with what is lost.
    expect(body).toContain('2026.12.0 declares the replacement of `azure-native:redisenterprise:Database` when the stack has one');
  });
});

describe('hostile values in the restore', () => {
  const marker = 'PWNED';
  const hostile = `pg.acme;touch ${marker} $(touch ${marker}) 'x' "y"`;
  const external = (install: Install): Install => {
    const store = (host: string, name: string, key: string) => ({ mode: 'external', host, port: 5432, credentials: { secretRef: { name, key } } });
    const datastores = { postgres: store(hostile, `creds;touch ${marker}`, `key'$(touch ${marker})`), redis: store('r', 'r', 'p'), rabbitmq: store('m', 'm', 'p') };
    return { ...install, spec: { ...install.spec, datastores } as unknown as Install['spec'] };
  };

  it('each value reaches pg_dump and pg_restore as one argument; nothing else runs', () => {
    const { runbook } = runbookAt('onprem-gitlab-saas-connected.yaml', '2026.12.0', external);
    const script = shellBlocks(lastSection(runbook).body).join('\n');
    expect(syntaxErrors(shellBlocks(lastSection(runbook).body).flatMap(logicalCommands))).toEqual([]);
    const cwd = mkdtempSync(join(tmpdir(), 'installctl-runbook-upgrade-'));
    const run = runStubbed(script, cwd, 0);
    expect(run.notFound).toEqual([]);
    for (const tool of ['pg_dump', 'pg_restore']) {
      const call = run.calls.find((entry) => entry.tool === tool)!;
      expect(call.args[call.args.indexOf('-h') + 1]).toBe(hostile);
    }
    const secrets = run.calls.filter((entry) => entry.tool === 'kubectl' && entry.args.includes('secret'));
    expect(secrets.map((entry) => entry.args[entry.args.indexOf('secret') + 1])).toContain(`creds;touch ${marker}`);
  });
});
