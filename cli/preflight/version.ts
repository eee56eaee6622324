/**
 * The cluster's version and distribution: its minor against the support calendar (the rule validate
 * applies to spec.platform.kubernetesVersion, here to what the cluster runs) and against the spec,
 * its full version against each chart's kubeVersion constraint, and the distribution against the
 * spec's platform.
 */
import { isoDay, knownVersions, platformCalendar, STANDARD_SUPPORT_WARNING_DAYS, versionSupport } from '../matrix/kubernetes-versions.js';
import { checkResult, shown, worst, type Analyzer } from './analyzer-kit.js';
import type { CheckOutcome } from './types.js';

/** "1", "35+" -> 1.35; null when the API's fields are not numbers. */
export function clusterMinor(version: { major: string; minor: string; gitVersion: string }): string | null {
  const major = /^\d+/.exec(version.major)?.[0];
  const minor = /^\d+/.exec(version.minor)?.[0];
  if (major && minor) return `${Number(major)}.${Number(minor)}`;
  const fromGit = /^v?(\d+)\.(\d+)/.exec(version.gitVersion);
  return fromGit ? `${Number(fromGit[1])}.${Number(fromGit[2])}` : null;
}

function calendarFinding(platform: string, minor: string, now: Date): { outcome: CheckOutcome; text: string; upgrade: string } {
  const calendar = platformCalendar(platform);
  if (!calendar) return { outcome: 'pass', text: `${minor} (no support calendar for ${platform})`, upgrade: '' };
  const known = knownVersions(platform);
  const inStandard = known.filter((version) => versionSupport(platform, version, now)?.phase === 'standard');
  const upgrade = inStandard.length
    ? `upgrade the cluster to ${inStandard[inStandard.length - 1]} (in standard support on ${calendar.label}: ${inStandard.join(', ')})`
    : `see ${calendar.source}`;
  const support = versionSupport(platform, minor, now);
  if (!support) {
    const newer = Number(minor.split('.')[1]) > Number(known[known.length - 1]?.split('.')[1] ?? 0);
    return newer
      ? { outcome: 'warn', text: `${calendar.label} ${minor} is newer than installctl's support calendar (known: ${known.join(', ')})`, upgrade: `check ${calendar.source}` }
      : { outcome: 'fail', text: `${calendar.label} ${minor} is not in installctl's support calendar (known: ${known.join(', ')})`, upgrade };
  }
  const { dates, phase, daysToEndOfStandardSupport } = support;
  switch (phase) {
    case 'unreleased':
      return { outcome: 'warn', text: `${calendar.label} offers ${minor} from ${dates.release}, not on ${isoDay(now)}`, upgrade };
    case 'ended':
      return { outcome: 'fail', text: `${calendar.label} ${minor} is out of all support since ${dates.endOfSupport}`, upgrade };
    case 'extended':
      return {
        outcome: 'warn',
        text: `${calendar.label} ${minor} left standard support on ${dates.endOfStandardSupport}; until ${dates.endOfSupport} it is in ${calendar.extendedSupport}`,
        upgrade,
      };
    case 'standard':
      return daysToEndOfStandardSupport > STANDARD_SUPPORT_WARNING_DAYS
        ? { outcome: 'pass', text: `${calendar.label} ${minor} is in standard support until ${dates.endOfStandardSupport}`, upgrade }
        : { outcome: 'warn', text: `${calendar.label} ${minor} leaves standard support on ${dates.endOfStandardSupport}, in ${daysToEndOfStandardSupport} days`, upgrade };
  }
}

export const kubernetesVersion: Analyzer = (requirements, evidence, now) => {
  const id = 'kubernetes-version';
  const version = evidence.version;
  const minor = version ? clusterMinor(version) : null;
  if (!version || !minor)
    return [
      checkResult(
        id,
        'error',
        `the cluster's version could not be read${version ? `: ${shown(version.gitVersion)}` : ''}`,
        'run preflight again; send --evidence-out if it persists',
      ),
    ];
  const calendar = calendarFinding(requirements.kubernetes.calendarPlatform, minor, now);
  const spec = requirements.kubernetes.specVersion;
  const mismatch = minor !== spec;
  const outcome = worst([calendar.outcome, mismatch ? 'warn' : 'pass']);
  const message = `the cluster runs ${shown(version.gitVersion)}: ${calendar.text}${mismatch ? `; the spec says kubernetesVersion ${spec}` : `, as the spec says`}`;
  const remedy = [
    calendar.outcome === 'pass' ? '' : calendar.upgrade,
    mismatch ? `set spec.platform.kubernetesVersion to ${minor} (what the cluster runs) or upgrade the cluster to ${spec}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return [checkResult(id, outcome, message, remedy)];
};

interface SemVer {
  numbers: [number, number, number];
  prerelease: string[];
}

export function parseSemVer(text: string): SemVer | null {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text.trim());
  if (!match) return null;
  return { numbers: [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)], prerelease: match[4] ? match[4].split('.') : [] };
}

function compareIdentifiers(a: string, b: string): number {
  const numeric = /^\d+$/;
  if (numeric.test(a) && numeric.test(b)) return Number(a) - Number(b);
  if (numeric.test(a)) return -1;
  if (numeric.test(b)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** SemVer 2 precedence: numbers, then a prerelease sorts before its release. */
export function compareSemVer(a: SemVer, b: SemVer): number {
  for (let index = 0; index < 3; index++) if (a.numbers[index] !== b.numbers[index]) return a.numbers[index]! - b.numbers[index]!;
  if (!a.prerelease.length || !b.prerelease.length) return (a.prerelease.length ? -1 : 0) + (b.prerelease.length ? 1 : 0);
  for (let index = 0; index < Math.max(a.prerelease.length, b.prerelease.length); index++) {
    if (a.prerelease[index] === undefined) return -1;
    if (b.prerelease[index] === undefined) return 1;
    const order = compareIdentifiers(a.prerelease[index]!, b.prerelease[index]!);
    if (order) return order;
  }
  return 0;
}

/**
 * Helm's kubeVersion check for the constraints charts write: space-separated comparators (>=, >, <=,
 * <, =) that must all hold; only a bound with a prerelease (`-0`) admits prerelease versions such as
 * v1.35.2-eks-3025e55, as in Helm. null when the constraint uses a form this reader does not know (||, ~, ^, x-ranges).
 */
export function satisfiesKubeVersion(version: string, constraint: string): boolean | null {
  const parsed = parseSemVer(version);
  if (!parsed) return null;
  const comparators = constraint.trim().split(/\s+/).filter(Boolean);
  if (!comparators.length) return true;
  for (const comparator of comparators) {
    const match = /^(>=|<=|>|<|=)?(.+)$/.exec(comparator);
    const bound = match ? parseSemVer(match[2]!) : null;
    if (!match || !bound) return null;
    // Helm (Masterminds semver): a bound without a prerelease admits no prerelease version, which is why charts write -0.
    if (!bound.prerelease.length && parsed.prerelease.length) return false;
    const order = compareSemVer(parsed, bound);
    const holds = { '>=': order >= 0, '<=': order <= 0, '>': order > 0, '<': order < 0, '=': order === 0 }[match[1] ?? '='];
    if (!holds) return false;
  }
  return true;
}

export const chartKubeVersion: Analyzer = (requirements, evidence) => {
  const id = 'chart-kube-version';
  const gitVersion = evidence.version?.gitVersion ?? '';
  return requirements.kubernetes.charts.map(({ chart, version, kubeVersion }) => {
    const subject = `${chart} ${version}`;
    const holds = kubeVersion ? satisfiesKubeVersion(gitVersion, kubeVersion) : true;
    if (holds === null)
      return checkResult(
        id,
        'error',
        `cannot compare ${shown(gitVersion)} with ${chart}'s kubeVersion ${kubeVersion}`,
        'compare by hand: helm install refuses a cluster outside the constraint',
        subject,
      );
    return holds
      ? checkResult(id, 'pass', `${shown(gitVersion)} satisfies ${chart}'s kubeVersion ${kubeVersion || '(none)'}`, '', subject)
      : checkResult(
          id,
          'fail',
          `${shown(gitVersion)} does not satisfy ${chart}'s kubeVersion ${kubeVersion}: helm install refuses it`,
          `upgrade the cluster to a version that satisfies ${kubeVersion}`,
          subject,
        );
  });
};

const LABELS: Record<string, string> = { eks: 'EKS', aks: 'AKS', gke: 'GKE', openshift: 'OpenShift', rke2: 'RKE2', k3s: 'k3s', vanilla: 'a vanilla Kubernetes' };

export const distribution: Analyzer = (requirements, evidence) => {
  const id = 'distribution';
  const found = evidence.distribution;
  const expected = requirements.distributions.map((name) => LABELS[name] ?? name).join(' or ');
  if (!found)
    return [
      checkResult(
        id,
        'warn',
        `the distribution could not be told from the version, nodes or APIs; the spec expects ${expected}`,
        'check by hand that the cluster is what spec.platform says',
      ),
    ];
  const signals = found.signals.length
    ? ` (${found.signals
        .slice(0, 5)
        .map((signal) => shown(signal))
        .join('; ')})`
    : '';
  const spec = requirements.platform === 'onprem' ? `onprem (${expected})` : requirements.platform;
  return requirements.distributions.includes(found.name)
    ? [checkResult(id, 'pass', `the cluster is ${LABELS[found.name]}${signals}, as spec.platform ${spec} expects`, '')]
    : [
        checkResult(
          id,
          'fail',
          `the cluster is ${LABELS[found.name] ?? shown(found.name)}${signals}, but spec.platform ${spec} expects ${expected}`,
          `point --kubeconfig/--context at the ${expected} cluster, or fix spec.platform (the charts' ingress, identities and GPU labels follow it)`,
        ),
      ];
};
