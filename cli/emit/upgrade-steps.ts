/**
 * The steps of upgrading an install from one catalogued release to the next, in order: the spec and
 * its render, pre-checks, backups, Pulumi, Helm, the migration gate, verification and rollback. One
 * source for both readers: `installctl upgrade plan` lists them for every hop of its path, and the
 * RUNBOOK's Upgrade section prints them for the release it was rendered for. Every value reaches a
 * shell line through shellLine (shell.ts); prose goes through the reader's Prose (Markdown-inert
 * text in the RUNBOOK, plain text in the plan).
 */
import type { Install } from '../generated/install-spec.js';
import type { InstallSettings } from '../../stacks/settings.js';
import { releaseCatalog, type Release } from '../releases/catalog.js';
import { releasesCrossed } from '../releases/path.js';
import { isRegistryTargetProblem, readRegistryTarget } from '../oci/registry-target.js';
import { operand, operator, option, shellLine, syntax } from './shell.js';
import type { RegistrySource } from './registry-source.js';
import { pushFiles } from './push-files.js';
import { registryLoginLines } from './runbook-registry-login.js';
import { customerValues } from './helm-values.js';
import { backupLabel, databaseBackup, inDir, MODEL_SERVER_RELEASE, PLATFORM_RELEASE, type ExternalPostgres } from './upgrade-backups.js';

export type UpgradeStepId = 'spec' | 'pre-checks' | 'backup' | 'infrastructure' | 'charts' | 'migrations' | 'verify' | 'rollback';

export interface UpgradeStep {
  id: UpgradeStepId;
  title: string;
  /** Sentences before the commands, already in the reader's prose. */
  notes: string[];
  /** Shell lines, in order. */
  commands: string[];
}

/** How a reader shows text: values as inert text, commands and names as code. */
export interface Prose {
  text(value: string): string;
  code(value: string): string;
}

export const PLAIN_PROSE: Prose = { text: (value) => value, code: (value) => `\`${value}\`` };

export interface HopMigration {
  release: string;
  id: string;
  kind: 'blocking' | 'background';
  reversible: boolean;
  description: string;
}

export interface HopReplacement {
  release: string;
  type: string;
  reason: string;
  dataLoss: string;
}

/** What the catalog says of one hop: the target's charts, and the migrations and declared replacements of every release it crosses. */
export interface UpgradeHopFacts {
  from: string;
  to: string;
  chartVersions: Record<'agent-platform' | 'model-server', string>;
  migrations: HopMigration[];
  replacements: HopReplacement[];
  /** The release of the hop after this one (its background migrations must finish first), or null. */
  next: string | null;
}

export function hopFacts(from: string, to: Release, next: string | null, catalog: readonly Release[] = releaseCatalog()): UpgradeHopFacts {
  const crossed = releasesCrossed(from, to.version, catalog);
  return {
    from,
    to: to.version,
    chartVersions: { 'agent-platform': to.charts['agent-platform'].version, 'model-server': to.charts['model-server'].version },
    migrations: crossed.flatMap((release) => release.migrations.map((migration) => ({ release: release.version, ...migration }))),
    replacements: crossed.flatMap((release) => release.infrastructure.replacements.map((replacement) => ({ release: release.version, ...replacement }))),
    next,
  };
}

export interface UpgradeStepsInput {
  install: Install;
  /** The settings of the spec at the hop's target release. */
  settings: InstallSettings;
  modelServer: boolean;
  source: RegistrySource;
  /** The spec file and the render directory as the commands name them (the RUNBOOK runs from the render directory: SPEC and '.'). */
  spec: string;
  dir: string;
  /** Start with moving the spec and rendering it (the plan); a RUNBOOK is the render of the moved spec already. */
  specSteps: boolean;
  prose: Prose;
}

interface Chart {
  release: string;
  chart: 'agent-platform' | 'model-server';
  namespace: string;
}

/** The Helm releases, in the order they are installed and upgraded (the model server first: the platform's AI gateway calls it). */
function charts(input: UpgradeStepsInput): Chart[] {
  const { workloads } = input.settings;
  return [
    ...(input.modelServer ? [{ release: MODEL_SERVER_RELEASE, chart: 'model-server' as const, namespace: workloads.modelsNamespace }] : []),
    { release: PLATFORM_RELEASE, chart: 'agent-platform' as const, namespace: workloads.platformNamespace },
  ];
}

const irreversible = (hop: UpgradeHopFacts) => hop.migrations.filter((migration) => !migration.reversible);

/** `test "$(helm status R -n NS -o json | jq -r .info.status)" = deployed`: fails on pending-install, pending-upgrade, pending-rollback and failed. */
const deployedCheck = ({ release, namespace }: Chart) =>
  shellLine([
    'test',
    syntax(`"$(${shellLine(['helm', 'status', release, ...option('-n', namespace), '-o', 'json', operator('|'), 'jq', '-r', '.info.status'])})"`),
    '=',
    'deployed',
  ]);

function specStep(input: UpgradeStepsInput, hop: UpgradeHopFacts): UpgradeStep {
  const { spec, dir, prose, install } = input;
  const mirror = install.spec.registry?.mirror ?? 'MIRROR';
  const target = readRegistryTarget(mirror);
  const map = isRegistryTargetProblem(target) ? 'BUNDLE.REGISTRY.relocation.json' : pushFiles('BUNDLE', target).relocation;
  const airGapped = input.settings.network.mode === 'air-gapped';
  const render = ['installctl', 'render', operand(spec), ...option('--out', dir), ...(airGapped ? option('--relocate', map) : [])];
  return {
    id: 'spec',
    title: `Move the spec to ${hop.to} and render it`,
    notes: [
      `${prose.code('upgrade apply-spec')} sets spec.release.version to ${prose.text(hop.to)} and moves every spec field the release renames; the render writes the Pulumi project, the values layers and the RUNBOOK of ${prose.text(hop.to)}.`,
      ...(airGapped
        ? [
            `Air-gapped: BUNDLE is the installctl bundle of ${prose.text(hop.to)} (made with ${prose.code('installctl bundle create')} on a connected host); it is verified and pushed into the mirror before the render relocates the images to it.`,
          ]
        : []),
    ],
    commands: [
      shellLine(['installctl', 'upgrade', 'apply-spec', operand(spec), '--to', hop.to]),
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

/** The customer's own PostgreSQL, from the customer values layer (null unless it is external). */
function externalPostgres(input: UpgradeStepsInput): ExternalPostgres | null {
  if (input.settings.datastores.postgres !== 'external') return null;
  const postgres = customerValues(input.install, input.settings, input.source).agentPlatform.postgres as Record<string, any>;
  return {
    host: String(postgres.host ?? ''),
    port: Number(postgres.port ?? 5432),
    database: String(postgres.database ?? 'agents'),
    secretName: String(postgres.credentials?.secretName ?? ''),
    usernameKey: String(postgres.credentials?.usernameKey ?? 'username'),
    passwordKey: String(postgres.credentials?.passwordKey ?? 'password'),
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
      ...(airGapped ? ["Air-gapped: install this release's provider plugin from the bundle first, as the Infrastructure step of the install does."] : []),
    ],
    commands: [
      airGapped
        ? shellLine(['npm', 'install', '--prefix', project, '--no-audit', '--no-fund', '--registry', syntax('"$NPM_REGISTRY"')], "the site's internal npm mirror")
        : shellLine(['npm', 'install', '--prefix', project, '--no-audit', '--no-fund']),
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

function migrationNotes(hop: UpgradeHopFacts, prose: Prose): string[] {
  const describe = (migration: HopMigration) =>
    `${prose.code(migration.id)} (${prose.text(migration.release)}, ${migration.kind}, ${migration.reversible ? 'reversible' : 'irreversible'}): ${prose.text(migration.description)}`;
  const background = hop.migrations.filter((migration) => migration.kind === 'background');
  if (!hop.migrations.length) return ['No migration in this upgrade: the Job finds the schema current and exits.'];
  return [
    ...hop.migrations.map(describe),
    ...(background.length
      ? [
          `Background migrations run while ${prose.text(hop.to)} serves; ${background.map((migration) => prose.code(migration.id)).join(', ')} must have finished before ${hop.next ? `the upgrade to ${prose.text(hop.next)}` : 'the next upgrade'} starts.`,
        ]
      : []),
  ];
}

function migrationsStep(input: UpgradeStepsInput, hop: UpgradeHopFacts): UpgradeStep {
  const { settings, prose } = input;
  const namespace = settings.workloads.platformNamespace;
  const bundled = (['postgres', 'redis', 'rabbitmq'] as const).some((store) => settings.datastores[store] === 'bundled');
  const job = `${PLATFORM_RELEASE}-migrations`;
  return {
    id: 'migrations',
    title: 'Migration gate',
    notes: [
      ...migrationNotes(hop, prose),
      bundled
        ? `The migration runs as a regular Job (${prose.code(`${job}-r<revision>`)}) next to the bundled datastores; every database client waits in its ${prose.code('wait-for-schema')} init step, so no pod of ${prose.text(hop.to)} serves before it finished. Wait for it:`
        : `The migration runs as a pre-upgrade hook (${prose.code(job)}): helm upgrade returned only after it succeeded, and a failed migration failed the upgrade before any workload changed. Its log:`,
    ],
    commands: bundled
      ? [
          shellLine([
            'kubectl',
            ...option('-n', namespace),
            'wait',
            '--for=condition=complete',
            'job',
            '-l',
            `app.kubernetes.io/instance=${PLATFORM_RELEASE},app.kubernetes.io/component=migrations`,
            '--timeout=30m',
          ]),
        ]
      : [shellLine(['kubectl', ...option('-n', namespace), 'logs', `job/${job}`])],
  };
}

function verifyStep(input: UpgradeStepsInput, hop: UpgradeHopFacts): UpgradeStep {
  const { install, prose } = input;
  return {
    id: 'verify',
    title: 'Verify',
    notes: [`Every pod runs the images of ${prose.text(hop.to)} and the platform answers.`],
    commands: [
      ...charts(input).map(({ namespace }) => shellLine(['kubectl', ...option('-n', namespace), 'get', 'pods'])),
      ...charts(input).map(deployedCheck),
      shellLine(['curl', '-fsS', `https://${install.spec.ingress.hostname}/readyz`]),
    ],
  };
}

function rollbackStep(input: UpgradeStepsInput, hop: UpgradeHopFacts): UpgradeStep {
  const { settings, dir, prose } = input;
  const lost = irreversible(hop);
  const database = databaseBackup(settings, externalPostgres(input), hop.to, dir);
  const rollback = ({ release, namespace }: Chart) =>
    shellLine([
      'helm',
      'rollback',
      release,
      syntax(`"$(${shellLine(['cat', inDir(dir, `backups/${release}.revision`)])})"`),
      ...option('-n', namespace),
      '--wait',
      '--timeout',
      '20m',
    ]);
  const restore = lost.length
    ? [
        `Do NOT just run helm rollback: ${lost.map((migration) => prose.code(migration.id)).join(', ')} changed the schema for good and ${prose.text(hop.from)} cannot read it. Restore ${prose.text(database.what)} first, then roll the releases back to the revisions recorded in the pre-checks.`,
        ...(database.restoreNote ? [prose.text(database.restoreNote)] : []),
      ]
    : [`Roll each release back to the revision recorded in the pre-checks; the migrations of this upgrade are reversible, so ${prose.text(hop.from)} runs on the schema as it is.`];
  return {
    id: 'rollback',
    title: 'Rollback',
    notes: [
      ...restore,
      ...(settings.cloud
        ? [
            `Pulumi has no rollback: to return the infrastructure to ${prose.text(hop.from)}, render the spec of ${prose.text(hop.from)} (keep a copy before apply-spec) and run ${prose.code('pulumi up')}; a replaced resource comes back empty.`,
          ]
        : []),
    ],
    commands: [...(lost.length ? database.restore : []), ...[...charts(input)].reverse().map(rollback)],
  };
}

/** The steps of one hop, in the order they run. */
export function upgradeSteps(input: UpgradeStepsInput, hop: UpgradeHopFacts): UpgradeStep[] {
  const infrastructure = infrastructureStep(input, hop);
  return [
    ...(input.specSteps ? [specStep(input, hop)] : []),
    preChecksStep(input, hop),
    backupStep(input, hop),
    ...(infrastructure ? [infrastructure] : []),
    chartsStep(input, hop),
    migrationsStep(input, hop),
    verifyStep(input, hop),
    rollbackStep(input, hop),
  ];
}
