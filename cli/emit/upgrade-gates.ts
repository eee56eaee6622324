/**
 * The steps of an upgrade hop after the charts are upgraded: the migration gate, verification and
 * the rollback. Every value reaches a shell line through shellLine (shell.ts).
 */
import { operator, option, shellLine, syntax } from './shell.js';
import { databaseBackup, inDir, PLATFORM_RELEASE } from './upgrade-backups.js';
import {
  charts,
  deployedCheck,
  externalPostgres,
  irreversible,
  type Chart,
  type HopMigration,
  type Prose,
  type UpgradeHopFacts,
  type UpgradeStep,
  type UpgradeStepsInput,
} from './upgrade-hop.js';

function migrationNotes(hop: UpgradeHopFacts, prose: Prose): string[] {
  const describe = (migration: HopMigration) =>
    `${prose.code(migration.id)} (${prose.text(migration.release)}, ${migration.kind}, ${migration.reversible ? 'reversible' : 'irreversible'}): ${prose.text(migration.description)}`;
  const background = hop.migrations.filter((migration) => migration.kind === 'background');
  if (!hop.migrations.length) return ['No migration in this upgrade: the Job finds the schema current and exits.'];
  return [
    ...hop.migrations.map(describe),
    ...(background.length
      ? [
          `Background migrations run while ${prose.text(hop.to)} serves; ${background.map((migration) => prose.code(migration.id)).join(', ')} must have finished before ${hop.next ? `the upgrade to ${prose.text(hop.next)}` : 'the next upgrade'} starts: the last command below exits 0 only then (rerun it until it does; it prints the progress).`,
        ]
      : []),
  ];
}

/** The platform's API Deployment (ap.fullname: release-component), where the background-migration check runs. */
const API_DEPLOYMENT = `deployment/${PLATFORM_RELEASE}-api`;

/**
 * `kubectl exec deploy/agent-platform-api -c api -- migrate status --require-complete=ID`: the
 * gate before the next hop. What the platform image must support (the chart README's Migrations
 * contract): the api image carries the platform's `migrate` CLI with the database environment of
 * the api container, and `migrate status --require-complete=ID` exits 0 once background migration
 * ID has finished, non-zero while it runs or when it failed, printing its progress either way.
 */
function backgroundGate(namespace: string, id: string): string {
  return shellLine(['kubectl', ...option('-n', namespace), 'exec', API_DEPLOYMENT, '-c', 'api', '--', 'migrate', 'status', `--require-complete=${id}`]);
}

export function migrationsStep(input: UpgradeStepsInput, hop: UpgradeHopFacts): UpgradeStep {
  const { settings, prose } = input;
  const namespace = settings.workloads.platformNamespace;
  const bundled = (['postgres', 'redis', 'rabbitmq'] as const).some((store) => settings.datastores[store] === 'bundled');
  const job = `${PLATFORM_RELEASE}-migrations`;
  const gates = hop.migrations.filter((migration) => migration.kind === 'background').map((migration) => backgroundGate(namespace, migration.id));
  return {
    id: 'migrations',
    title: 'Migration gate',
    notes: [
      ...migrationNotes(hop, prose),
      bundled
        ? `The migration runs as a regular Job (${prose.code(`${job}-r<revision>`)}) next to the bundled datastores; every database client waits in its ${prose.code('wait-for-schema')} init step, so no pod of ${prose.text(hop.to)} serves before it finished. Wait for it:`
        : `The migration runs as a pre-upgrade hook (${prose.code(job)}): helm upgrade returned only after it succeeded, and a failed migration failed the upgrade before any workload changed. Its log:`,
    ],
    commands: [
      ...(bundled
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
        : [shellLine(['kubectl', ...option('-n', namespace), 'logs', `job/${job}`])]),
      ...gates,
    ],
  };
}

export function verifyStep(input: UpgradeStepsInput, hop: UpgradeHopFacts): UpgradeStep {
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

/** The bundled datastores' components: they stay up (the restore runs in the bundled PostgreSQL's pod). */
const DATASTORE_COMPONENTS = ['postgres', 'redis', 'rabbitmq'];

/**
 * Scales the platform's own Deployments and StatefulSets (not its bundled datastores) to 0, so no pod of
 * the new release writes to the database while the backup is restored. No record of the replicas is
 * needed: every workload of the chart sets replicas, and helm rollback's three-way merge puts the
 * revision's counts back over the live 0.
 */
function stopPlatform(namespace: string): string {
  const selector = `app.kubernetes.io/instance=${PLATFORM_RELEASE},app.kubernetes.io/component notin (${DATASTORE_COMPONENTS.join(',')})`;
  return shellLine(
    [
      'kubectl',
      ...option('-n', namespace),
      'scale',
      'deployment,statefulset',
      ...option('-l', selector),
      '--replicas=0',
      operator('&&'),
      'kubectl',
      ...option('-n', namespace),
      'wait',
      '--for=delete',
      'pod',
      ...option('-l', selector),
      '--timeout=10m',
    ],
    'nothing of the new release may write during the restore',
  );
}

export function rollbackStep(input: UpgradeStepsInput, hop: UpgradeHopFacts): UpgradeStep {
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
        `Do NOT just run helm rollback: ${lost.map((migration) => prose.code(migration.id)).join(', ')} changed the schema for good and ${prose.text(hop.from)} cannot read it. Stop the platform's workloads (scaled to 0, its bundled datastores left running) so nothing of ${prose.text(hop.to)} writes meanwhile, restore ${prose.text(database.what)}, then roll the releases back to the revisions recorded in the pre-checks: the rollback brings the workloads back at their replica counts.`,
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
            `Pulumi has no rollback: to return the infrastructure to ${prose.text(hop.from)}, render the spec of ${prose.text(hop.from)} (its copy ${prose.code(`${input.spec}.${hop.from}.bak`)}, kept before apply-spec) and run ${prose.code('pulumi up')}; a replaced resource comes back empty.`,
          ]
        : []),
    ],
    commands: [...(lost.length ? [stopPlatform(settings.workloads.platformNamespace), ...database.restore] : []), ...[...charts(input)].reverse().map(rollback)],
  };
}
