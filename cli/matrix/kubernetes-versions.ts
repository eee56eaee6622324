/**
 * The Kubernetes support calendar (matrix/kubernetes-versions.yaml): per platform and minor version,
 * when it was released and when standard and all (extended, long-term) support end. Every function
 * takes `now` (the clock is injected: the CLI passes today, conformance and the tests pass the
 * calendar's asOf or a fixed date), so what init writes and validate says are functions of the data.
 */
import type { KubernetesVersions, KubernetesVersionSupport, PlatformKubernetesCalendar } from '../generated/kubernetes-versions.js';
import validateKubernetesVersions from '../generated/kubernetes-versions.validator.js';
import shippedCalendar from '../../matrix/kubernetes-versions.yaml';

export type CalendarPlatform = keyof KubernetesVersions['platforms'];

/** Days before the end of standard support from which validate warns. */
export const STANDARD_SUPPORT_WARNING_DAYS = 90;

let shipped: KubernetesVersions | undefined;

export function kubernetesCalendar(): KubernetesVersions {
  if (!shipped) {
    const data = shippedCalendar;
    if (!validateKubernetesVersions(data)) throw new Error(`matrix/kubernetes-versions.yaml does not match its schema: ${JSON.stringify(validateKubernetesVersions.errors)}`);
    shipped = data as KubernetesVersions;
  }
  return shipped;
}

/** The calendar's asOf as a date: the clock of conformance and the goldens (their output changes with the data, not the wall clock). */
export function calendarAsOf(calendar: KubernetesVersions = kubernetesCalendar()): Date {
  return new Date(`${calendar.asOf}T00:00:00Z`);
}

/** YYYY-MM-DD of a date in UTC: the calendar's dates compare as text. */
export const isoDay = (date: Date): string => date.toISOString().slice(0, 10);

const minorOf = (version: string) => Number(version.split('.')[1]);
const byMinor = (a: string, b: string) => minorOf(a) - minorOf(b);

/** A platform's calendar; undefined for a platform value the calendar does not cover yet (a new dimension value). */
export function platformCalendar(platform: string, calendar: KubernetesVersions = kubernetesCalendar()): PlatformKubernetesCalendar | undefined {
  return Object.hasOwn(calendar.platforms, platform) ? (calendar.platforms as Record<string, PlatformKubernetesCalendar>)[platform] : undefined;
}

/** The minor versions the calendar lists for a platform, oldest first. */
export function knownVersions(platform: string, calendar: KubernetesVersions = kubernetesCalendar()): string[] {
  return Object.keys(platformCalendar(platform, calendar)?.versions ?? {}).sort(byMinor);
}

/** Every minor version the calendar lists on any platform, oldest first. */
export function allKnownVersions(calendar: KubernetesVersions = kubernetesCalendar()): string[] {
  const platforms = Object.keys(calendar.platforms) as CalendarPlatform[];
  return [...new Set(platforms.flatMap((platform) => knownVersions(platform, calendar)))].sort(byMinor);
}

export type SupportPhase = 'unreleased' | 'standard' | 'extended' | 'ended';

export interface VersionSupport {
  phase: SupportPhase;
  dates: KubernetesVersionSupport;
  /** Whole days from now to the end of standard support (negative once it has passed). */
  daysToEndOfStandardSupport: number;
}

const DAY_MS = 86_400_000;

/** Where a version stands on a platform on a day; null when the calendar does not list it there. */
export function versionSupport(platform: string, version: string, now: Date, calendar: KubernetesVersions = kubernetesCalendar()): VersionSupport | null {
  const versions = platformCalendar(platform, calendar)?.versions ?? {};
  const dates = Object.hasOwn(versions, version) ? versions[version] : undefined;
  if (!dates) return null;
  const today = isoDay(now);
  const phase: SupportPhase = today < dates.release ? 'unreleased' : today < dates.endOfStandardSupport ? 'standard' : today < dates.endOfSupport ? 'extended' : 'ended';
  const daysToEndOfStandardSupport = Math.round((Date.parse(`${dates.endOfStandardSupport}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
  return { phase, dates, daysToEndOfStandardSupport };
}

/**
 * The version init writes: the newest minor in standard support on `now` on every platform given
 * (init: the cell's own; conformance's `helm template`: all), and
 * preferably one not within the warning window anywhere (so the starter spec validates without a
 * support warning) and one every stack builds (`builds`: the platform descriptors'
 * buildsKubernetesVersion, e.g. EKS add-on versions pinned). Throws when no version is in standard support everywhere: the calendar is stale.
 */
export function defaultKubernetesVersion(
  now: Date,
  calendar: KubernetesVersions = kubernetesCalendar(),
  builds: (version: string) => boolean = () => true,
  platforms: readonly string[] = Object.keys(calendar.platforms),
): string {
  const everywhere = (version: string, margin: number) =>
    builds(version) &&
    platforms.every((platform) => {
      const support = versionSupport(platform, version, now, calendar);
      return support?.phase === 'standard' && support.daysToEndOfStandardSupport > margin;
    });
  const newestFirst = allKnownVersions(calendar).reverse();
  const chosen = newestFirst.find((version) => everywhere(version, STANDARD_SUPPORT_WARNING_DAYS)) ?? newestFirst.find((version) => everywhere(version, 0));
  if (!chosen) throw new Error(`no Kubernetes version of matrix/kubernetes-versions.yaml is in standard support on ${platforms.join(', ')} on ${isoDay(now)}: update the calendar`);
  return chosen;
}
