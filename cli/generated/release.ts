// DO NOT EDIT. Generated from schemas/release.schema.json by scripts/generate.mjs (npm run generate).

/**
 * a platform release version (year.month.patch)
 *
 * This interface was referenced by `Release`'s JSON-Schema
 * via the `definition` "version".
 */
export type Version = string;
/**
 * This interface was referenced by `Release`'s JSON-Schema
 * via the `definition` "minor".
 */
export type Minor = string;
/**
 * This interface was referenced by `Release`'s JSON-Schema
 * via the `definition` "semver".
 */
export type Semver = string;
/**
 * a dotted path into the chart's values (map keys only)
 *
 * This interface was referenced by `Release`'s JSON-Schema
 * via the `definition` "valuePath".
 */
export type ValuePath = string;

/**
 * One platform release in the catalog (releases/<version>.yaml): what it runs (chart versions, image digests), where (the Kubernetes window, Pulumi SDK and providers), and how to reach it (required upgrade stops, migrations, renamed chart values, declared replacements of stateful infrastructure).
 */
export interface Release {
  apiVersion: "installctl.dev/v1alpha1";
  kind: "Release";
  version: Version;
  /**
   * the release day (YYYY-MM-DD)
   */
  date: string;
  /**
   * current: what init writes and the charts' own values.yaml carry (exactly one); supported: older, installable and upgradable from; preview: newer than current, published for upgrade planning
   */
  status: "current" | "supported" | "preview";
  summary?: string;
  kubernetes: ReleaseKubernetesWindow;
  charts: {
    "agent-platform": ChartRelease;
    "model-server": ChartRelease;
  };
  pulumi: ReleasePulumi;
  upgrade: ReleaseUpgrade;
  /**
   * database migrations the release's migration Job runs on upgrade to it
   *
   * @maxItems 64
   */
  migrations: ReleaseMigration[];
  values: ReleaseValues;
  spec: ReleaseSpec;
  infrastructure: ReleaseInfrastructure;
}
/**
 * the Kubernetes minor versions the release supports, both ends included
 */
export interface ReleaseKubernetesWindow {
  min: Minor;
  max: Minor;
}
/**
 * This interface was referenced by `Release`'s JSON-Schema
 * via the `definition` "chartRelease".
 */
export interface ChartRelease {
  version: string;
  appVersion: string;
  /**
   * every image of the chart, by its key under the chart's `images` value
   */
  images: {
    [k: string]: ReleaseImage | undefined;
  };
}
/**
 * This interface was referenced by `Release`'s JSON-Schema
 * via the `definition` "image".
 */
export interface ReleaseImage {
  registry: string;
  repository: string;
  tag: string;
  digest: string;
}
/**
 * the npm versions the rendered Pulumi project pins
 */
export interface ReleasePulumi {
  sdk: Semver;
  providers: {
    aws: Semver;
    "azure-native": Semver;
    gcp: Semver;
  };
}
export interface ReleaseUpgrade {
  /**
   * earlier releases every upgrade to this one (or past it) must land on first, with why
   *
   * @maxItems 32
   */
  requiredStops: RequiredStop[];
}
export interface RequiredStop {
  version: Version;
  reason: string;
}
/**
 * This interface was referenced by `Release`'s JSON-Schema
 * via the `definition` "migration".
 */
export interface ReleaseMigration {
  id: string;
  /**
   * blocking: the migration Job must finish before the new pods serve (helm upgrade waits on it); background: runs while the release serves and must finish before the next required stop
   */
  kind: "blocking" | "background";
  /**
   * false: rolling back needs the database backup taken before the upgrade
   */
  reversible: boolean;
  description: string;
}
export interface ReleaseValues {
  /**
   * chart values this release renamed (the old key is no longer read): a render for this release writes the new key, upgrade moves the old one
   *
   * @maxItems 64
   */
  renamed: ValueRename[];
}
/**
 * This interface was referenced by `Release`'s JSON-Schema
 * via the `definition` "valueRename".
 */
export interface ValueRename {
  chart: "agent-platform" | "model-server";
  from: ValuePath;
  to: ValuePath;
  reason?: string;
}
export interface ReleaseSpec {
  /**
   * install-spec fields this release renamed: a spec for this release must use the new name (validate says so), `upgrade apply-spec` moves the old one
   *
   * @maxItems 64
   */
  renamed: SpecRename[];
}
/**
 * This interface was referenced by `Release`'s JSON-Schema
 * via the `definition` "specRename".
 */
export interface SpecRename {
  /**
   * a dotted path into the chart's values (map keys only)
   */
  from: string;
  to: ValuePath;
  reason: string;
}
export interface ReleaseInfrastructure {
  /**
   * stateful cloud resources this release replaces on purpose (anything else replaced blocks the upgrade)
   *
   * @maxItems 32
   */
  replacements: DeclaredReplacement[];
}
/**
 * This interface was referenced by `Release`'s JSON-Schema
 * via the `definition` "declaredReplacement".
 */
export interface DeclaredReplacement {
  /**
   * the Pulumi type token, e.g. azure-native:redis:Redis
   */
  type: string;
  reason: string;
  /**
   * what is lost and how it comes back
   */
  dataLoss: string;
}
