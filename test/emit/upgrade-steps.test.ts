/**
 * The upgrade steps (cli/emit/upgrade-steps.ts), the one source of `upgrade plan`'s commands and the
 * RUNBOOK's Upgrade section: the order of the steps, the database backup and restore of each way an
 * install keeps PostgreSQL, Helm's --atomic only when every migration of the hop can be reversed,
 * the migration gate of each contract (hook when every datastore is external, else a regular Job),
 * and values that reach a command as exactly one shell word.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadSpecFile } from '../../cli/install-spec/load-spec.js';
import { settingsFor } from '../../cli/emit/settings.js';
import { registrySource } from '../../cli/emit/registry-source.js';
import { hopFacts, PLAIN_PROSE, upgradeSteps, type UpgradeHopFacts, type UpgradeStep, type UpgradeStepsInput } from '../../cli/emit/upgrade-steps.js';
import { findRelease } from '../../cli/releases/catalog.js';
import type { Install } from '../../cli/generated/install-spec.js';
import { EXAMPLES_DIR } from '../helpers/specs.js';
import { shellWords } from '../../cli/conformance/runbook-registry-login.js';

function inputFor(example: string, edit: (install: Install) => Install = (install) => install): UpgradeStepsInput {
  const loaded = loadSpecFile(join(EXAMPLES_DIR, example), { now: new Date() });
  if (!loaded.install || !loaded.cell) throw new Error(`${example}: ${JSON.stringify(loaded.issues)}`);
  const install = edit(loaded.install);
  const settings = settingsFor(install, loaded.cell);
  const source = registrySource(install.spec.registry?.mirror ?? null, null, settings.registry !== null);
  return { install, settings, modelServer: install.spec.models.hosting === 'self-hosted', source, spec: 'acme.yaml', dir: 'out', specSteps: true, prose: PLAIN_PROSE };
}

/** Every datastore the customer's own (postgres with a key holding a dot): the migration runs as a Helm hook. */
const external = (install: Install): Install => {
  const store = (host: string, port: number, name: string, key: string) => ({ mode: 'external', host, port, credentials: { secretRef: { name, key } } });
  const datastores = {
    postgres: store('pg.acme.internal', 6432, 'pg-creds', 'pass.word'),
    redis: store('redis.acme.internal', 6380, 'redis-creds', 'password'),
    rabbitmq: store('mq.acme.internal', 5671, 'mq-creds', 'password'),
  };
  return { ...install, spec: { ...install.spec, datastores } as unknown as Install['spec'] };
};

const hop = (from: string, to: string, next: string | null = null): UpgradeHopFacts => hopFacts(from, findRelease(to)!, next);
const step = (steps: UpgradeStep[], id: UpgradeStep['id']) => steps.find((entry) => entry.id === id)!;

describe('the steps of a hop', () => {
  it.each([
    ['aws-github-saas-connected.yaml', ['spec', 'pre-checks', 'backup', 'infrastructure', 'charts', 'migrations', 'verify', 'rollback']],
    ['onprem-gitlab-saas-connected.yaml', ['spec', 'pre-checks', 'backup', 'charts', 'migrations', 'verify', 'rollback']],
  ])('%s: in order, Pulumi only with cloud resources', (example, ids) => {
    const steps = upgradeSteps(inputFor(example), hop('2026.11.0', '2026.12.0'));
    expect(steps.map((entry) => entry.id)).toEqual(ids);
    expect(upgradeSteps({ ...inputFor(example), specSteps: false }, hop('2026.11.0', '2026.12.0'))[0]!.id).toBe('pre-checks');
  });

  it('pre-checks record the revision a rollback returns to, and refuse a release left pending', () => {
    const steps = upgradeSteps(inputFor('gcp-gitlab-self-hosted-air-gapped.yaml'), hop('2026.11.0', '2026.12.0'));
    const checks = step(steps, 'pre-checks').commands;
    for (const release of ['model-server', 'agent-platform']) {
      expect(checks).toContainEqual(expect.stringMatching(new RegExp(`^test "\\$\\(helm status ${release} -n \\S+ -o json \\| jq -r \\.info\\.status\\)" = deployed$`)));
      expect(checks).toContainEqual(expect.stringContaining(`> out/backups/${release}.revision`));
      expect(step(steps, 'rollback').commands).toContainEqual(expect.stringContaining(`helm rollback ${release} "$(cat out/backups/${release}.revision)"`));
    }
    // Air-gapped: the bundle of the release is pushed, and the render relocates to it.
    expect(step(steps, 'spec').commands.join('\n')).toMatch(
      /installctl bundle push BUNDLE --registry \S+ --key release.pub\ninstallctl render acme.yaml --out out --relocate BUNDLE\.\S+\.relocation\.json$/,
    );
  });
});

describe('the database backup and its restore', () => {
  it.each([
    [
      'aws-github-saas-connected.yaml',
      undefined,
      /^aws rds create-db-snapshot --region \S+ --db-instance-identifier northwind-prod-postgres --db-snapshot-identifier pre-2026-12-0-northwind-prod$/,
      /^aws rds restore-db-instance-from-db-snapshot /,
    ],
    [
      'azure-gitlab-cloud-managed-connected.yaml',
      undefined,
      /^az postgres flexible-server backup create --resource-group \S+ --name \S+-pg-\w+ --backup-name pre-2026-12-0$/,
      /^az postgres flexible-server restore /,
    ],
    [
      'gcp-github-cloud-managed-connected.yaml',
      undefined,
      /^gcloud sql backups create --instance \S+ --project \S+ --description 'installctl pre-2026-12-0'$/,
      /^gcloud sql backups restore BACKUP_ID /,
    ],
    [
      'onprem-bitbucket-self-hosted-air-gapped.yaml',
      undefined,
      /^kubectl -n \S+ exec statefulset\/agent-platform-postgres -- sh -c 'pg_dump -U "\$POSTGRES_USER" -d "\$POSTGRES_DB" -Fc' > out\/backups\/postgres-pre-2026-12-0\.dump$/,
      /^kubectl -n \S+ exec -i statefulset\/agent-platform-postgres -- sh -c 'pg_restore --clean --if-exists .*' < out\/backups\/postgres-pre-2026-12-0\.dump$/,
    ],
    [
      'onprem-gitlab-saas-connected.yaml',
      external,
      /^PGPASSWORD="\$\(kubectl -n \S+ get secret pg-creds -o 'jsonpath=\{\.data\.pass\\\.word\}' \| base64 -d\)" pg_dump -h pg\.acme\.internal -p 6432 -U "\$\(kubectl .*'jsonpath=\{\.data\.username\}' \| base64 -d\)" -d agents -Fc > out\/backups\/postgres-pre-2026-12-0\.dump {3}# .*$/,
      /^PGPASSWORD=.* pg_restore --clean --if-exists -h pg\.acme\.internal -p 6432 .* < out\/backups\/postgres-pre-2026-12-0\.dump$/,
    ],
  ] as const)('%s', (example, edit, take, restore) => {
    const input = inputFor(example, edit);
    const steps = upgradeSteps(input, hop('2026.11.0', '2026.12.0'));
    expect(step(steps, 'backup').commands[0]).toMatch(take);
    // 2026.12.0's findings split cannot be reversed: the restore comes before any helm rollback.
    const rollback = step(steps, 'rollback').commands;
    expect(rollback.findIndex((line) => restore.test(line))).toBeGreaterThanOrEqual(0);
    expect(rollback.findIndex((line) => restore.test(line))).toBeLessThan(rollback.findIndex((line) => line.startsWith('helm rollback')));
    expect(step(steps, 'rollback').notes[0]).toMatch(/^Do NOT just run helm rollback: `2026\.12-split-findings-table`/);
    expect(step(steps, 'backup').notes[0]).toMatch(/^Required:/);
    // A hop whose migrations can all be reversed restores nothing: Helm rolls back alone.
    const reversible = upgradeSteps(input, hop('2026.10.2', '2026.11.0', '2026.12.0'));
    expect(step(reversible, 'rollback').commands.every((line) => line.startsWith('helm rollback'))).toBe(true);
    expect(step(reversible, 'backup').notes[0]).not.toMatch(/^Required/);
  });
});

describe('Helm and the migration gate', () => {
  it('--atomic unless a migration of the hop is irreversible; the model server always', () => {
    const input = inputFor('gcp-gitlab-self-hosted-air-gapped.yaml');
    const helm = (from: string, to: string) => step(upgradeSteps(input, hop(from, to)), 'charts').commands.filter((line) => line.startsWith('helm upgrade'));
    expect(helm('2026.10.2', '2026.11.0').map((line) => [shellWords(line)[2], line.endsWith('--atomic')])).toEqual([
      ['model-server', true],
      ['agent-platform', true],
    ]);
    expect(helm('2026.11.0', '2026.12.0').map((line) => [shellWords(line)[2], line.endsWith('--atomic')])).toEqual([
      ['model-server', true],
      ['agent-platform', false],
    ]);
    // A login to the mirror comes first (conformance's registry-login policy), and the chart version is the target's.
    const commands = step(upgradeSteps(input, hop('2026.11.0', '2026.12.0')), 'charts').commands;
    expect(commands[0]).toMatch(/registry login/);
    expect(commands.at(-1)).toContain('--version 2026.12.0 ');
  });

  it.each([
    [
      'onprem-bitbucket-self-hosted-air-gapped.yaml',
      undefined,
      /^kubectl -n \S+ wait --for=condition=complete job -l app\.kubernetes\.io\/instance=agent-platform,app\.kubernetes\.io\/component=migrations/,
      'regular Job',
    ],
    ['onprem-gitlab-saas-connected.yaml', external, /^kubectl -n \S+ logs job\/agent-platform-migrations$/, 'pre-upgrade hook'],
  ] as const)('%s: the gate of its migration contract', (example, edit, command, contract) => {
    const input = inputFor(example, edit);
    const bundled = Object.values(input.settings.datastores).includes('bundled');
    expect(bundled).toBe(contract === 'regular Job');
    const gate = step(upgradeSteps(input, hop('2026.10.2', '2026.11.0', '2026.12.0')), 'migrations');
    // Then the stop's background migration, checked in the api Deployment (the chart README's migrations contract).
    expect(gate.commands).toEqual([
      expect.stringMatching(command),
      expect.stringMatching(/^kubectl -n \S+ exec deployment\/agent-platform-api -c api -- migrate status --require-complete=2026\.11-review-findings-index$/),
    ]);
    expect(gate.notes.at(-1)).toContain(contract);
    // A stop's background migrations finish before the next hop.
    expect(gate.notes).toContainEqual(expect.stringMatching(/`2026\.11-review-findings-index` must have finished before the upgrade to 2026\.12\.0 starts/));
  });
});

describe('values reach the shell as one word', () => {
  it('a spec path and a render directory with spaces and quotes', () => {
    const input = { ...inputFor('aws-github-saas-connected.yaml'), spec: 'my specs/acme.yaml', dir: 'out dir' };
    const steps = upgradeSteps(input, hop('2026.11.0', '2026.12.0'));
    expect(shellWords(step(steps, 'spec').commands[0]!)).toEqual(['cp', 'my specs/acme.yaml', 'my specs/acme.yaml.2026.11.0.bak']);
    expect(shellWords(step(steps, 'spec').commands[1]!)).toEqual(['installctl', 'upgrade', 'apply-spec', 'my specs/acme.yaml', '--to', '2026.12.0']);
    expect(shellWords(step(steps, 'pre-checks').commands[0]!)).toEqual(['installctl', 'status', 'out dir']);
    const helm = step(steps, 'charts').commands.find((line) => line.startsWith('helm upgrade'))!;
    expect(shellWords(helm)).toContain('out dir/helm/agent-platform.values.yaml');
  });
});
