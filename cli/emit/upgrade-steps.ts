/**
 * The steps of upgrading an install from one catalogued release to the next, in order: the spec and
 * its render, pre-checks, backups, Pulumi, Helm, the migration gate, verification and rollback. One
 * source for both readers: `installctl upgrade plan` lists them for every hop of its path, and the
 * RUNBOOK's Upgrade section prints them for the release it was rendered for. Every value reaches a
 * shell line through shellLine (shell.ts); prose goes through the reader's Prose (Markdown-inert
 * text in the RUNBOOK, plain text in the plan).
 */
import { isRegistryTargetProblem, readRegistryTarget } from '../oci/registry-target.js';
import { operand, operator, option, shellLine, syntax } from './shell.js';
import { pushFiles } from './push-files.js';
import { projectPins } from './pulumi-project.js';
import { platformDescriptor } from '../dimensions/index.js';
import { registryLoginLines } from './runbook-registry-login.js';
import { backupLabel, databaseBackup, inDir } from './upgrade-backups.js';
import { charts, deployedCheck, externalPostgres, irreversible, type Chart, type UpgradeHopFacts, type UpgradeStep, type UpgradeStepsInput } from './upgrade-hop.js';
import { migrationsStep, rollbackStep, verifyStep } from './upgrade-gates.js';

export { hopFacts, PLAIN_PROSE } from './upgrade-hop.js';
export type { HopMigration, HopReplacement, Prose, UpgradeHopFacts, UpgradeStep, UpgradeStepId, UpgradeStepsInput } from './upgrade-hop.js';

/**
 * The spec moved to the hop's target and rendered (the plan), or, in a RUNBOOK (the render of the
 * moved spec already), for an air-gapped install only: the target's bundle verified and pushed into
 * the mirror, and the render redone with --relocate, before any helm upgrade pulls from the mirror.
 */
function specStep(input: UpgradeStepsInput, hop: UpgradeHopFacts): UpgradeStep | null {
  const { spec, dir, prose } = input;
  // The effective registry: the spec's mirror, or the registry of the relocation map the render was made with.
  const mirror = input.source.registry;
  const target = readRegistryTarget(mirror);
  const map = isRegistryTargetProblem(target) ? 'BUNDLE.REGISTRY.relocation.json' : pushFiles('BUNDLE', target).relocation;
  const airGapped = input.settings.network.mode === 'air-gapped';
  if (!input.specSteps && !airGapped) return null;
  const render = ['installctl', 'render', operand(spec), ...option('--out', dir), ...(airGapped ? option('--relocate', map) : [])];
  return {
    id: 'spec',
    title: input.specSteps ? `Move the spec to ${hop.to} and render it` : `Bring ${hop.to} into the mirror and render it relocated`,
    notes: [
      ...(input.specSteps
        ? [
            `A copy of the spec at ${prose.text(hop.from)} first (the rollback renders it again). ${prose.code('upgrade apply-spec')} sets spec.release.version to ${prose.text(hop.to)} and moves every spec field the release renames; the render writes the Pulumi project, the values layers and the RUNBOOK of ${prose.text(hop.to)}.`,
          ]
        : []),
      ...(airGapped
        ? [
            `Air-gapped: BUNDLE is the installctl bundle of ${prose.text(hop.to)} (made with ${prose.code('installctl bundle create')} on a connected host); it is verified and pushed into the mirror before the render relocates the images to it.`,
          ]
        : []),
    ],
    commands: [
      ...(input.specSteps
        ? [
            shellLine(['cp', operand(spec), operand(`${spec}.${hop.from}.bak`)], `the spec at ${hop.from}`),
            shellLine(['installctl', 'upgrade', 'apply-spec', operand(spec), '--to', hop.to]),
          ]
        : []),
      ...(airGapped
        ? [
            shellLine(['installctl', 'bundle', 'verify', 'BUNDLE', '--key', 'release.pub']),
            shellLine(['installctl', 'bundle', 'push', 'BUNDLE', ...option('--registry', mirror), '--key', 'release.pub']),
          ]
        : []),
      shellLine(render),
    ],
  };
}

function preChecksStep(input: UpgradeStepsInput, hop: UpgradeHopFacts): UpgradeStep {
  const { spec, dir, prose } = input;
  return {
    id: 'pre-checks',
    title: 'Pre-checks',
    notes: [
      `The cluster runs ${prose.text(hop.from)}; ${prose.code('installctl status')} says which release the render is of and whether the spec changed since it.`,
      `Each Helm release must be ${prose.code('deployed')}: a release in ${prose.code('pending-install')}, ${prose.code('pending-upgrade')} or ${prose.code('pending-rollback')} was interrupted; finish or roll back that operation before anything below.`,
    ],
    commands: [
      shellLine(['installctl', 'status', operand(dir)]),
      shellLine(['installctl', 'preflight', operand(spec)]),
      ...charts(input).map(deployedCheck),
      shellLine(['mkdir', '-p', inDir(dir, 'backups')]),
      ...charts(input).map(({ release, namespace }) =>
        shellLine(
          [
            'helm',
            'history',
            release,
            ...option('-n', namespace),
            '--max',
            '1',
            '-o',
            'json',
            operator('|'),
            'jq',
            '-r',
            '.[-1].revision',
            operator('>'),
            inDir(dir, `backups/${release}.revision`),
          ],
          'the revision a rollback returns to',
        ),
      ),
    ],
  };
}

function backupStep(input: UpgradeStepsInput, hop: UpgradeHopFacts): UpgradeStep {
  const { settings, dir, prose } = input;
  const label = backupLabel(hop.to);
  const database = databaseBackup(settings, externalPostgres(input), hop.to, dir);
  const lost = irreversible(hop);
  return {
    id: 'backup',
    title: 'Back up',
    notes: [
      lost.length
        ? `Required: ${lost.map((migration) => prose.code(migration.id)).join(', ')} cannot be reversed, so the way back to ${prose.text(hop.from)} is ${prose.text(database.what)}.`
        : `The database first (${prose.text(database.what)}), before any migration runs.`,
      ...(settings.cloud ? ['Then the Pulumi state, and the values each Helm release runs with.'] : ['Then the values each Helm release runs with.']),
    ],
    commands: [
      ...database.take,
      ...(settings.cloud
        ? [
            shellLine([
              'pulumi',
              '-C',
              inDir(dir, 'pulumi'),
              'stack',
              'export',
              ...option('--stack', settings.name),
              operator('>'),
              inDir(dir, `backups/pulumi-state-${label}.json`),
            ]),
          ]
        : []),
      ...charts(input).map(({ release, namespace }) =>
        shellLine(['helm', 'get', 'values', release, ...option('-n', namespace), '-o', 'yaml', operator('>'), inDir(dir, `backups/${release}-values-${label}.yaml`)]),
      ),
    ],
  };
}

/** Air-gapped: the release's provider plugin pulled from the mirror's copy of its bundle and installed (the install RUNBOOK's offline toolchain). */
function providerPlugin(input: UpgradeStepsInput, hop: UpgradeHopFacts): string[] {
  const provider = platformDescriptor(input.settings.platform).emit.pulumiProvider;
  if (!provider) return [];
  // The effective registry (a relocation map may name another than spec.registry.mirror), as the charts are pulled from.
  const mirror = input.source.registry;
  const name = provider.replace('@pulumi/', '');
  const version = projectPins(hop.to)[provider];
  const plugins = inDir(input.dir, 'plugins');
  return [
    ...registryLoginLines(input.source.host, ['oras'], null),
    shellLine(['oras', 'pull', operand(`${mirror}/installctl/pulumi-plugins:${hop.to}`), '-o', plugins], 'the provider plugin archives the bundle carries'),
    shellLine(
      ['pulumi', 'plugin', 'install', 'resource', name, version, '--file', inDir(input.dir, `plugins/pulumi-resource-${name}-v${version}-linux-amd64.tar.gz`)],
      "the archive for this host's OS and architecture",
    ),
  ];
}

const PROVIDER_PREFIX = { aws: 'aws:', azure: 'azure-native:', gcp: 'gcp:' } as const;

function infrastructureStep(input: UpgradeStepsInput, hop: UpgradeHopFacts): UpgradeStep | null {
  const { settings, dir, prose } = input;
  if (!settings.cloud) return null;
  const project = inDir(dir, 'pulumi');
  const airGapped = settings.network.mode === 'air-gapped';
  const replacements = hop.replacements.filter((replacement) => replacement.type.startsWith(PROVIDER_PREFIX[settings.cloud!.type]));
  const output = (name: string, file: string) => shellLine(['pulumi', '-C', project, 'stack', 'output', name, '--json', operator('>'), inDir(dir, file)]);
  return {
    id: 'infrastructure',
    title: 'Infrastructure (Pulumi)',
    notes: [
      `Compare ${prose.code('pulumi preview --diff')} with the plan (${prose.code('installctl upgrade plan')}) before ${prose.code('pulumi up')}: a database, cache, bucket or cluster it would replace that the release does not declare is a stop.`,
      ...replacements.map(
        (replacement) =>
          `${prose.text(replacement.release)} declares the replacement of ${prose.code(replacement.type)} when the stack has one: ${prose.text(replacement.reason)} Data: ${prose.text(replacement.dataLoss)}`,
      ),
      ...(airGapped
        ? [
            `Air-gapped: the provider plugin of ${prose.text(hop.to)} comes from its bundle in the mirror (pushed as installctl/pulumi-plugins), as in the Infrastructure step of the install.`,
          ]
        : []),
    ],
    commands: [
      airGapped
        ? shellLine(['npm', 'install', '--prefix', project, '--no-audit', '--no-fund', '--registry', syntax('"$NPM_REGISTRY"')], "the site's internal npm mirror")
        : shellLine(['npm', 'install', '--prefix', project, '--no-audit', '--no-fund']),
      ...(airGapped ? providerPlugin(input, hop) : []),
      shellLine(['pulumi', '-C', project, 'stack', 'select', operand(settings.name)]),
      shellLine(['pulumi', '-C', project, 'preview', '--diff']),
      shellLine(['pulumi', '-C', project, 'up']),
      output('agentPlatformValues', 'helm/agent-platform.infra.values.json'),
      ...(input.modelServer ? [output('modelServerValues', 'helm/model-server.infra.values.json')] : []),
      output('outputs', 'pulumi-outputs.json'),
    ],
  };
}

/** helm upgrade of each chart, in order; --atomic unless a migration of the hop cannot be reversed (Helm's own rollback would then run the old release on the new schema). */
function chartsStep(input: UpgradeStepsInput, hop: UpgradeHopFacts): UpgradeStep {
  const { install, settings, source, dir, prose } = input;
  const lost = irreversible(hop);
  const blocking = hop.migrations.some((migration) => migration.kind === 'blocking');
  const pullSecret =
    install.spec.registry?.pullSecret && !source.nodeIdentity ? { namespace: settings.workloads.platformNamespace, name: install.spec.registry.pullSecret.name } : null;
  const upgrade = ({ release, chart, namespace }: Chart) => {
    const atomic = chart === 'model-server' || lost.length === 0;
    const timeout = chart === 'model-server' ? '45m' : blocking ? '45m' : '20m';
    const layers = ['-f', inDir(dir, `helm/${chart}.values.yaml`), ...(settings.cloud ? ['-f', inDir(dir, `helm/${chart}.infra.values.json`)] : [])];
    return shellLine([
      'helm',
      'upgrade',
      release,
      operand(`oci://${source.registry}/charts/${chart}`),
      '--version',
      hop.chartVersions[chart],
      ...option('-n', namespace),
      ...layers,
      '--wait',
      '--timeout',
      timeout,
      ...(atomic ? ['--atomic'] : []),
    ]);
  };
  return {
    id: 'charts',
    title: 'Upgrade the charts (Helm)',
    notes: [
      lost.length
        ? `No ${prose.code('--atomic')} for agent-platform: ${lost.map((migration) => prose.code(migration.id)).join(', ')} cannot be reversed, so a failed upgrade is rolled back by the Rollback step (backup first), never by Helm alone.`
        : `${prose.code('--atomic')}: a release that fails to become ready is rolled back to its previous revision by Helm.`,
    ],
    commands: [...(source.mirrored ? registryLoginLines(source.host, ['helm'], pullSecret) : []), ...charts(input).map(upgrade)],
  };
}

/** The steps of one hop, in the order they run. */
export function upgradeSteps(input: UpgradeStepsInput, hop: UpgradeHopFacts): UpgradeStep[] {
  const infrastructure = infrastructureStep(input, hop);
  const spec = specStep(input, hop);
  return [
    ...(spec ? [spec] : []),
    preChecksStep(input, hop),
    backupStep(input, hop),
    ...(infrastructure ? [infrastructure] : []),
    chartsStep(input, hop),
    migrationsStep(input, hop),
    verifyStep(input, hop),
    rollbackStep(input, hop),
  ];
}
