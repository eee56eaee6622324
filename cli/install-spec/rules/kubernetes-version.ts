/**
 * The spec's Kubernetes version against the support calendar (matrix/kubernetes-versions.yaml) on
 * the day validate runs: a version out of all support fails, one in extended (paid) support or
 * within 90 days of the end of standard support warns, one the calendar does not list for the
 * platform fails (or warns when it is newer than every listed one: the calendar may be behind).
 */
import type { Install } from '../../generated/install-spec.js';
import { isoDay, knownVersions, platformCalendar, STANDARD_SUPPORT_WARNING_DAYS, versionSupport } from '../../matrix/kubernetes-versions.js';
import type { Finding } from '../../schema/issue.js';
import { platformOf } from '../../dimensions/index.js';

const PATH = ['spec', 'platform', 'kubernetesVersion'];

/** A version the platform's stack cannot build yet (EKS: no add-on versions pinned for it). */
function notBuilt(label: string, version: string, upgrade: string): Finding {
  return {
    severity: 'error',
    code: 'RULE_KUBERNETES_VERSION_UNKNOWN',
    path: PATH,
    message: `installctl's ${label} stack cannot build ${version} yet: no add-on versions are pinned for it (stacks/decisions/eks-addons.ts)`,
    hint: upgrade,
  };
}

export function checkKubernetesVersion(install: Install, now: Date): Finding[] {
  const platform = install.spec.platform.type;
  const version = install.spec.platform.kubernetesVersion;
  const calendar = platformCalendar(platform);
  // A platform value the calendar does not cover yet: test/matrix/kubernetes-versions.test.ts asks for it.
  if (!calendar) return [];
  const known = knownVersions(platform);
  const builds = platformOf(install.spec.platform).emit.buildsKubernetesVersion ?? (() => true);
  const inStandard = known.filter((candidate) => versionSupport(platform, candidate, now)?.phase === 'standard' && builds(candidate));
  const upgrade = inStandard.length ? `use ${inStandard[inStandard.length - 1]} (in standard support on ${calendar.label}: ${inStandard.join(', ')})` : `see ${calendar.source}`;
  const support = versionSupport(platform, version, now);
  if (!support) {
    const newest = known[known.length - 1]!;
    const newer = Number(version.split('.')[1]) > Number(newest.split('.')[1]);
    return [
      {
        severity: newer ? 'warning' : 'error',
        code: 'RULE_KUBERNETES_VERSION_UNKNOWN',
        path: PATH,
        message: `${calendar.label} ${version} is not in installctl's support calendar (known: ${known.join(', ')})${newer ? ': it may be newer than the calendar' : ''}`,
        hint: newer ? `check ${calendar.source}; installctl is tested up to ${newest}` : upgrade,
      },
    ];
  }
  if ((support.phase === 'standard' || support.phase === 'extended') && !builds(version)) return [notBuilt(calendar.label, version, upgrade)];
  const { dates, phase, daysToEndOfStandardSupport } = support;
  const today = isoDay(now);
  switch (phase) {
    case 'unreleased':
      return [
        {
          severity: 'error',
          code: 'RULE_KUBERNETES_VERSION_UNKNOWN',
          path: PATH,
          message: `${calendar.label} offers ${version} from ${dates.release}${dates.projected ? ' (projected)' : ''}, not on ${today}`,
          hint: upgrade,
        },
      ];
    case 'ended':
      return [
        {
          severity: 'error',
          code: 'RULE_KUBERNETES_END_OF_SUPPORT',
          path: PATH,
          message: `${calendar.label} ${version} is out of all support since ${dates.endOfSupport}: the cloud upgrades it on its own, or nobody patches it`,
          hint: upgrade,
        },
      ];
    case 'extended':
      return [
        {
          severity: 'warning',
          code: 'RULE_KUBERNETES_EXTENDED_SUPPORT',
          path: PATH,
          message: `${calendar.label} ${version} left standard support on ${dates.endOfStandardSupport}; until ${dates.endOfSupport} it is in ${calendar.extendedSupport}`,
          hint: upgrade,
        },
      ];
    case 'standard':
      return daysToEndOfStandardSupport > STANDARD_SUPPORT_WARNING_DAYS
        ? []
        : [
            {
              severity: 'warning',
              code: 'RULE_KUBERNETES_STANDARD_SUPPORT_ENDING',
              path: PATH,
              message: `${calendar.label} ${version} leaves standard support on ${dates.endOfStandardSupport}${dates.projected ? ' (projected)' : ''}, in ${daysToEndOfStandardSupport} days`,
              hint: upgrade,
            },
          ];
  }
}
