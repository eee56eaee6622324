/**
 * Version pins of managed databases and caches, shared by the clouds' `version-pin-major` policies.
 * A service that upgrades minor versions by itself (RDS and Azure flexible server with automatic
 * minor upgrades, Cloud SQL maintenance) must be pinned to the major only: a pinned minor is older
 * than the running one after the first upgrade, and the next `pulumi up` tries to downgrade it.
 */

/** How many parts a version pin fixes: '16' -> 1, '16.6' -> 2, '7.1.0' -> 3, '6.x' (ElastiCache: the latest 6) -> 1; null: not a version. */
export function versionParts(version: unknown): number | null {
  if (typeof version !== 'string' && typeof version !== 'number') return null;
  const text = String(version).replace(/\.x$/, '');
  return /^[0-9]+(\.[0-9]+)*$/.test(text) ? text.split('.').length : null;
}

/** Whether a pin names the major version only ('16'; Cloud SQL tokens such as POSTGRES_16: isMajorOnlyToken). */
export function isMajorOnly(version: unknown): boolean {
  return versionParts(version) === 1;
}

/**
 * Whether a pin is no finer than the cloud keeps stable: `stableParts` is 1 where the cloud upgrades
 * minors (RDS, Azure flexible server), 2 where it upgrades only patches and the API requires
 * major.minor (ElastiCache Redis 7+, whose provider diffs against engine_version_actual).
 */
export function pinsNoFinerThan(version: unknown, stableParts: 1 | 2): boolean {
  const parts = versionParts(version);
  return parts !== null && parts <= stableParts;
}

/** Cloud SQL's database versions are tokens such as POSTGRES_16 (major only) or POSTGRES_16_4 (a minor pinned). */
export function isMajorOnlyToken(token: unknown): boolean {
  return typeof token === 'string' && /^[A-Z]+_[0-9]+$/.test(token);
}
