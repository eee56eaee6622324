/**
 * The upgrade plan of one install: from the spec's release to a target through every required stop
 * (releases/path.ts), and for each hop what changes (images, values, spec fields, Pulumi resources),
 * what runs (migrations), what to save first (backups), what the cluster must be (its Kubernetes
 * window) and the commands in order (emit/upgrade-steps.ts, which the RUNBOOK prints too). Pure:
 * the service renders the spec at each release and synthesizes its Pulumi project; this judges them.
 * A plan is blocked (exit 1) by a downgrade, a Kubernetes version outside a hop's window, or a
 * stateful resource Pulumi would replace or delete without the release declaring it.
 */
import type { Install } from '../generated/install-spec.js';
import type * as Output from '../generated/cli-output.js';
import type { InstallSettings } from '../../stacks/settings.js';
import { findRelease, kubernetesInWindow, releaseCatalog, type Release } from '../releases/catalog.js';
import { releasesCrossed, type UpgradeHop, type UpgradePath } from '../releases/path.js';
import { applyRenames, valueAt } from '../releases/renames.js';
import { specDataAtRelease } from '../releases/spec-renames.js';
import type { RegistrySource } from '../emit/registry-source.js';
import { hopFacts, PLAIN_PROSE, upgradeSteps, type UpgradeHopFacts } from '../emit/upgrade-steps.js';
import { diffResources, undeclaredStatefulLosses, type ResourceChange } from '../conformance/pulumi/resource-diff.js';
import type { SynthesizedResource } from '../conformance/pulumi/types.js';
import { imageChanges, valueChanges } from './layer-diff.js';

/** The spec rendered at one release and its Pulumi project synthesized under mocks. */
export interface ReleaseRender {
  version: string;
  /** The spec with spec.release.version set to this release. */
  install: Install;
  settings: InstallSettings;
  files: ReadonlyMap<string, string>;
  resources: readonly SynthesizedResource[];
}

export interface PlanInput {
  /** The spec file as the user named it (the commands name it so). */
  specFile: string;
  /** The checked spec, at its own release. */
  install: Install;
  cell: string;
  to: string;
  path: UpgradePath;
  /** A render of every release the path visits, its start included (versionsToRender). */
  renders: ReadonlyMap<string, ReleaseRender>;
  source: RegistrySource;
  /** Blockers of the whole plan the spec itself carries (its Kubernetes out of support: the service's validate errors). */
  specBlockers?: readonly Output.UpgradeBlocker[];
  catalog?: readonly Release[];
}

type Blocker = Output.UpgradeBlocker;

/** The releases a plan renders: where the path starts and every hop's target. */
export function versionsToRender(from: string, path: UpgradePath): string[] {
  return path.ok ? [from, ...path.hops.map((hop) => hop.to.version)] : [];
}

function kubernetesCheck(settings: InstallSettings, release: Release, label: string): { kubernetes: Output.UpgradeHop['kubernetes']; blockers: Blocker[] } {
  const version = settings.cluster.kubernetesVersion;
  const { min, max } = release.kubernetes;
  const inWindow = kubernetesInWindow(release, version);
  const older = Number(version.split('.')[1]) < Number(min.split('.')[1]);
  const blockers: Blocker[] = inWindow
    ? []
    : [
        {
          code: 'UPGRADE_KUBERNETES_WINDOW',
          hop: label,
          message: `Kubernetes ${version} (the spec's platform.kubernetesVersion) is ${older ? 'older' : 'newer'} than ${release.version} supports (${min} to ${max})`,
          hint: older
            ? `upgrade Kubernetes first: the cluster to ${min} or later, then platform.kubernetesVersion in the spec; then plan again`
            : `${release.version} does not run on Kubernetes ${version}: plan to a release whose window includes it`,
        },
      ];
  return { kubernetes: { spec: version, min, max, inWindow }, blockers };
}

function pulumiChanges(changes: readonly ResourceChange[], facts: UpgradeHopFacts, label: string): { pulumi: Output.UpgradeHop['pulumi']; blockers: Blocker[] } {
  const losses = new Set(undeclaredStatefulLosses(changes, facts.replacements).map((change) => change.id));
  const count = (action: ResourceChange['action']) => changes.filter((change) => change.action === action).length;
  const listed = changes.map((change) => {
    const loses = change.stateful !== null && (change.action === 'replace' || change.action === 'delete');
    const declaration = loses && !losses.has(change.id) ? facts.replacements.find((replacement) => replacement.type === change.type) : undefined;
    return {
      action: change.action,
      type: change.type,
      name: change.name,
      properties: change.properties,
      replaceBecause: change.replaceBecause,
      stateful: change.stateful,
      declared: declaration ? { release: declaration.release, reason: declaration.reason, dataLoss: declaration.dataLoss } : null,
    };
  });
  const blockers = changes
    .filter((change) => losses.has(change.id))
    .map((change) => ({
      code: 'UPGRADE_STATEFUL_LOSS' as const,
      hop: label,
      message: `pulumi up would ${change.action} ${change.type} ${change.name} (${change.stateful}${change.replaceBecause.length ? `: ${change.replaceBecause.join(', ')} changed` : ''}), and ${facts.to} does not declare it: what it holds would be lost`,
      hint: `do not upgrade: report it to installctl support with this plan (--json); a release may replace a ${change.stateful} only when its catalog entry declares it (infrastructure.replacements)`,
    }));
  return { pulumi: { create: count('create'), update: count('update'), replace: count('replace'), delete: count('delete'), changes: listed }, blockers };
}

function backups(facts: UpgradeHopFacts, settings: InstallSettings, pulumi: Output.UpgradeHop['pulumi']): Output.UpgradeHop['backups'] {
  const irreversible = facts.migrations.filter((migration) => !migration.reversible).map((migration) => migration.id);
  const losses = pulumi.changes.filter((change) => change.declared !== null).map((change) => `${change.type} ${change.name}`);
  return [
    {
      what: 'database',
      required: irreversible.length > 0,
      why: irreversible.length ? `${irreversible.join(', ')} cannot be reversed: rolling back needs this backup` : 'taken before any migration runs',
    },
    ...(settings.cloud
      ? [
          {
            what: 'pulumi-state' as const,
            required: losses.length > 0,
            why: losses.length ? `the hop replaces ${losses.join(', ')}` : 'the stack as it was, to compare or recover',
          },
        ]
      : []),
    { what: 'helm-values', required: false, why: 'the values each Helm release runs with, to compare after the upgrade' },
  ];
}

/**
 * The spec fields a hop renames and whether the spec sets each. The loaded spec reads in the
 * current release's names; whether it sets a field is asked of the spec in the names of the hop's
 * start (specDataAtRelease), each rename followed as it is crossed (a field renamed twice is found).
 */
function specRenames(install: Install, from: string, to: string, catalog: readonly Release[]): Output.UpgradeHop['specRenames'] {
  let spec = specDataAtRelease(install, from, catalog).spec as unknown as Record<string, unknown>;
  return releasesCrossed(from, to, catalog).flatMap((release) =>
    release.spec.renamed.map((rename) => {
      const set = valueAt(spec, rename.from) !== undefined;
      spec = applyRenames(spec, [rename]).values;
      return { release: release.version, from: rename.from, to: rename.to, reason: rename.reason, set };
    }),
  );
}

/** The catalog's name of each cloud's Pulumi provider (its pulumi.providers key, the npm package @pulumi/<key>). */
const PROVIDER_KEY = { aws: 'aws', azure: 'azure-native', gcp: 'gcp' } as const;

/** The SDK and the platform's provider pins, at the hop's start and target (a cloud-less install pins the SDK only). */
function pulumiPins(settings: InstallSettings, from: Release, to: Release): Output.UpgradeHop['pulumiPins'] {
  const sdk = { package: '@pulumi/pulumi', from: from.pulumi.sdk, to: to.pulumi.sdk };
  if (!settings.cloud) return [sdk];
  const key = PROVIDER_KEY[settings.cloud.type];
  return [sdk, { package: `@pulumi/${key}`, from: from.pulumi.providers[key], to: to.pulumi.providers[key] }];
}

function planHop(input: PlanInput, hop: UpgradeHop, next: UpgradeHop | undefined, catalog: readonly Release[]): { hop: Output.UpgradeHop; blockers: Blocker[] } {
  const before = input.renders.get(hop.from.version);
  const after = input.renders.get(hop.to.version);
  if (!before || !after) throw new Error(`no render of ${before ? hop.to.version : hop.from.version} for the hop ${hop.from.version} -> ${hop.to.version}`);
  const label = `${hop.from.version} -> ${hop.to.version}`;
  const facts = hopFacts(hop.from.version, hop.to, next?.to.version ?? null, catalog);
  const kubernetes = kubernetesCheck(after.settings, hop.to, label);
  const pulumi = pulumiChanges(diffResources(before.resources, after.resources), facts, label);
  const modelServer = after.files.has('helm/model-server.values.yaml');
  const steps = upgradeSteps(
    { install: after.install, settings: after.settings, modelServer, source: input.source, spec: input.specFile, dir: 'DIR', specSteps: true, prose: PLAIN_PROSE },
    facts,
  );
  return {
    hop: {
      from: hop.from.version,
      to: hop.to.version,
      stopReason: hop.stopReason,
      preview: hop.to.status === 'preview',
      kubernetes: kubernetes.kubernetes,
      images: imageChanges(before.files, after.files),
      ...valueChanges(before.files, after.files, hop.from.version, hop.to.version, catalog),
      specRenames: specRenames(input.install, hop.from.version, hop.to.version, catalog),
      pulumi: pulumi.pulumi,
      pulumiPins: pulumiPins(after.settings, hop.from, hop.to),
      migrations: facts.migrations,
      backgroundGate: facts.migrations.filter((migration) => migration.kind === 'background').map((migration) => migration.id),
      backups: backups(facts, after.settings, pulumi.pulumi),
      steps,
    },
    blockers: [...kubernetes.blockers, ...pulumi.blockers],
  };
}

/** The plan: every hop with what it changes and how to run it, and every reason it is blocked. */
export function planUpgrade(input: PlanInput): Output.UpgradePlan {
  const catalog = input.catalog ?? releaseCatalog();
  const from = input.install.spec.release.version;
  const head = { spec: input.specFile, install: input.install.metadata.name, cell: input.cell, from, to: input.to };
  if (!input.path.ok) {
    if (input.path.code !== 'UPGRADE_DOWNGRADE' || !findRelease(input.to, catalog)) throw new Error(`no upgrade path: ${input.path.message}`);
    const blocker: Blocker = { code: 'UPGRADE_DOWNGRADE', hop: null, message: input.path.message, hint: input.path.hint };
    return { ...head, blocked: true, blockers: [...(input.specBlockers ?? []), blocker], hops: [], exitCode: 1 };
  }
  const hops: Output.UpgradeHop[] = [];
  const blockers: Blocker[] = [...(input.specBlockers ?? [])];
  input.path.hops.forEach((hop, index, all) => {
    const planned = planHop(input, hop, all[index + 1], catalog);
    hops.push(planned.hop);
    blockers.push(...planned.blockers);
  });
  return { ...head, blocked: blockers.length > 0, blockers, hops, exitCode: blockers.length ? 1 : 0 };
}
