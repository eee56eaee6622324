/**
 * Infrastructure that changes with the platform release (settings.release, spec.release.version).
 * One stack program builds every catalogued release: a change a release makes is gated here by the
 * release that made it, so a render of an older release keeps building what that release built
 * (the upgrade plan diffs the two). Pure and copied verbatim into every rendered project: it cannot
 * read installctl's release catalog (releases/), so each gate names its version, and installctl's
 * tests tie every gate to a catalogued release and a replacing one to that release's declared
 * replacements (infrastructure.replacements).
 */

/** year.month.patch compared as numbers: negative when a is older than b. */
export function compareReleases(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** Whether `release` is `version` or newer. */
export function releaseAtLeast(release: string, version: string): boolean {
  return compareReleases(release, version) >= 0;
}

/** Each gated change: the release that made it, whether applying it replaces a resource, and what it does. */
export interface ReleaseGate {
  since: string;
  /** The Pulumi type token of a resource the change replaces (the release must declare it), or null for an in-place change. */
  replaces: string | null;
  summary: string;
}

export const RELEASE_GATES = {
  awsPostgresPerformanceInsights: {
    since: '2026.11.0',
    replaces: null,
    summary: 'RDS PostgreSQL runs with Performance Insights, encrypted with the install key (in place).',
  },
  azureRedisEnterpriseCluster: {
    since: '2026.12.0',
    replaces: 'azure-native:redisenterprise:Database',
    summary: 'the Azure Managed Redis database uses the EnterpriseCluster clustering policy (Azure sets it only at creation: the database is replaced).',
  },
  postgresBackupRetention30Days: {
    since: '2026.12.0',
    replaces: null,
    summary: 'managed PostgreSQL keeps 30 days (Cloud SQL: 30 backups) instead of 14 (in place).',
  },
} as const satisfies Record<string, ReleaseGate>;

export type ReleaseGateName = keyof typeof RELEASE_GATES;

/** Whether a release has a gated change. */
export function gateOpen(release: string, gate: ReleaseGateName): boolean {
  return releaseAtLeast(release, RELEASE_GATES[gate].since);
}

/** Days (RDS, Azure flexible server) or daily backups (Cloud SQL) the managed PostgreSQL keeps. */
export function postgresBackupRetention(release: string): number {
  return gateOpen(release, 'postgresBackupRetention30Days') ? 30 : 14;
}

/** The clustering policy of the Azure Managed Redis database. */
export function azureRedisClusteringPolicy(release: string): 'OSSCluster' | 'EnterpriseCluster' {
  return gateOpen(release, 'azureRedisEnterpriseCluster') ? 'EnterpriseCluster' : 'OSSCluster';
}

/** Whether RDS PostgreSQL runs with Performance Insights. */
export function awsPostgresPerformanceInsights(release: string): boolean {
  return gateOpen(release, 'awsPostgresPerformanceInsights');
}
