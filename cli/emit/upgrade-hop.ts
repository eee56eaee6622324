/**
 * What the steps of one upgrade hop share: the hop as the catalog describes it, the readers' prose,
 * the input every step reads, the Helm releases in order and a few shell lines more than one step
 * uses. The steps themselves are in upgrade-steps.ts (before and during the upgrade) and
 * upgrade-gates.ts (the migration gate, verification and rollback).
 */
import type { Install } from '../generated/install-spec.js';
import type { InstallSettings } from '../../stacks/settings.js';
import { releaseCatalog, type Release } from '../releases/catalog.js';
import { releasesCrossed } from '../releases/path.js';
import { operator, option, shellLine, syntax } from './shell.js';
import type { RegistrySource } from './registry-source.js';
import { postgresValues } from './helm-values.js';
import { MODEL_SERVER_RELEASE, PLATFORM_RELEASE, type ExternalPostgres } from './upgrade-backups.js';

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

export interface Chart {
  release: string;
  chart: 'agent-platform' | 'model-server';
  namespace: string;
}

/** The Helm releases, in the order they are installed and upgraded (the model server first: the platform's AI gateway calls it). */
export function charts(input: UpgradeStepsInput): Chart[] {
  const { workloads } = input.settings;
  return [
    ...(input.modelServer ? [{ release: MODEL_SERVER_RELEASE, chart: 'model-server' as const, namespace: workloads.modelsNamespace }] : []),
    { release: PLATFORM_RELEASE, chart: 'agent-platform' as const, namespace: workloads.platformNamespace },
  ];
}

export const irreversible = (hop: UpgradeHopFacts) => hop.migrations.filter((migration) => !migration.reversible);

/** `test "$(helm status R -n NS -o json | jq -r .info.status)" = deployed`: fails on pending-install, pending-upgrade, pending-rollback and failed. */
export const deployedCheck = ({ release, namespace }: Chart) =>
  shellLine([
    'test',
    syntax(`"$(${shellLine(['helm', 'status', release, ...option('-n', namespace), '-o', 'json', operator('|'), 'jq', '-r', '.info.status'])})"`),
    '=',
    'deployed',
  ]);

/** The customer's own PostgreSQL, as the customer values layer names it (null unless it is external). */
export function externalPostgres(input: UpgradeStepsInput): ExternalPostgres | null {
  if (input.settings.datastores.postgres !== 'external') return null;
  // Only the postgres values: the rest of the layer (SCM, gateway, ...) is none of the database's business.
  const postgres = postgresValues(input.install, input.settings) as Record<string, any>;
  return {
    host: String(postgres.host ?? ''),
    port: Number(postgres.port ?? 5432),
    database: String(postgres.database ?? 'agents'),
    secretName: String(postgres.credentials?.secretName ?? ''),
    usernameKey: String(postgres.credentials?.usernameKey ?? 'username'),
    passwordKey: String(postgres.credentials?.passwordKey ?? 'password'),
  };
}
