/**
 * The Kubernetes support calendar (matrix/kubernetes-versions.yaml): its data is coherent, it covers
 * every platform and every version the spec schema allows, the default init writes is in standard
 * support everywhere on the day (the clock is injected), and the charts and conformance's Helm
 * kube-version agree with it.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  allKnownVersions,
  calendarAsOf,
  defaultKubernetesVersion,
  knownVersions,
  kubernetesCalendar,
  versionSupport,
  type CalendarPlatform,
} from '../../cli/matrix/kubernetes-versions.js';
import { builtOnEveryPlatform, PLATFORMS } from '../../cli/dimensions/index.js';
import { DEFAULT_KUBE_VERSION } from '../../cli/conformance/helm/helm.js';
import { REPO } from '../helpers/cli.js';

const calendar = kubernetesCalendar();
const platforms = Object.keys(calendar.platforms) as CalendarPlatform[];
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const minor = (version: string) => Number(version.split('.')[1]);

describe('matrix/kubernetes-versions.yaml', () => {
  it('covers every platform value, each with its source page', () => {
    expect(platforms.sort()).toEqual(Object.keys(PLATFORMS).sort());
    for (const platform of platforms)
      expect(calendar.platforms[platform].source).toMatch(/^https:\/\/(docs\.aws\.amazon\.com|learn\.microsoft\.com|cloud\.google\.com|kubernetes\.io)\//);
  });

  it("lists exactly the versions the spec schema's kubernetesVersion enum allows", () => {
    const schema = JSON.parse(readFileSync(join(REPO, 'schemas', 'install.schema.json'), 'utf8'));
    expect(schema.$defs.kubernetesVersion.enum).toEqual(allKnownVersions());
  });

  it.each(platforms)('%s: release < end of standard support <= end of all support, releases in version order', (platform) => {
    const versions = knownVersions(platform);
    versions.forEach((version, index) => {
      const dates = calendar.platforms[platform].versions[version]!;
      expect(dates.release < dates.endOfStandardSupport, version).toBe(true);
      expect(dates.endOfStandardSupport <= dates.endOfSupport, version).toBe(true);
      if (index > 0) expect(calendar.platforms[platform].versions[versions[index - 1]!]!.release < dates.release, version).toBe(true);
      if (index > 0) expect(minor(version), 'consecutive minors').toBe(minor(versions[index - 1]!) + 1);
    });
  });
});

describe('defaultKubernetesVersion (init, the starter specs)', () => {
  it('on the calendar day (2026-12-02) is 1.36; 1.32, which init wrote before, is out of standard support on every cloud', () => {
    expect(calendar.asOf).toBe('2026-12-02');
    expect(defaultKubernetesVersion(calendarAsOf())).toBe('1.36');
    // EKS 1.36 has no pinned add-on versions yet (stacks/decisions/eks-addons.ts): aws starts at 1.35.
    expect(defaultKubernetesVersion(calendarAsOf(), undefined, PLATFORMS.aws.emit.buildsKubernetesVersion, ['aws'])).toBe('1.35');
    for (const platform of ['aws', 'azure', 'gcp'] as const) expect(versionSupport(platform, '1.32', calendarAsOf())!.phase).not.toBe('standard');
    for (const platform of ['aws', 'azure', 'gcp'] as const) expect(versionSupport(platform, '1.31', calendarAsOf())!.phase, platform).toBe('ended');
  });

  it.each(['2025-12-01', '2026-03-15', '2026-07-01', '2026-12-02', '2027-02-01'])('on %s is in standard support on every platform', (iso) => {
    const version = defaultKubernetesVersion(day(iso));
    for (const platform of platforms) expect(versionSupport(platform, version, day(iso))!.phase, `${platform} ${version}`).toBe('standard');
  });

  it('moves with the injected clock, and refuses a day the calendar no longer covers', () => {
    expect(minor(defaultKubernetesVersion(day('2025-12-01')))).toBeLessThan(minor(defaultKubernetesVersion(day('2026-12-02'))));
    expect(() => defaultKubernetesVersion(day('2030-01-01'))).toThrow(/update the calendar/);
  });
});

describe('the charts and conformance agree with the calendar', () => {
  // Versions validate accepts without an error on the calendar day: in standard or extended support somewhere.
  const supported = allKnownVersions().filter((version) =>
    platforms.some((platform) => ['standard', 'extended'].includes(versionSupport(platform, version, calendarAsOf())?.phase ?? '')),
  );

  it.each(['agent-platform', 'model-server'])("%s's kubeVersion admits every version in support on the calendar day, and no version the calendar does not know", (chart) => {
    const { kubeVersion } = parse(readFileSync(join(REPO, 'charts', chart, 'Chart.yaml'), 'utf8')) as { kubeVersion: string };
    const floor = /^>=1\.(\d+)\.0-0$/.exec(kubeVersion);
    expect(floor, kubeVersion).not.toBeNull();
    expect(Number(floor![1])).toBeLessThanOrEqual(minor(supported[0]!));
    expect(Number(floor![1])).toBeGreaterThanOrEqual(minor(allKnownVersions()[0]!));
  });

  it("conformance's Helm --kube-version is the version init writes on the calendar day", () => {
    expect(DEFAULT_KUBE_VERSION).toBe(`${defaultKubernetesVersion(calendarAsOf(), undefined, builtOnEveryPlatform)}.0`);
    expect(supported).toContain(DEFAULT_KUBE_VERSION.replace(/\.0$/, ''));
  });
});

describe("init writes the calendar's newest version in standard support that the cell's stack builds", () => {
  it.each(['2026-03-15', '2026-12-02'])('on %s', async (iso) => {
    const { renderTemplate } = await import('../../cli/emit/starter-spec.js');
    const { supportMatrix } = await import('../../cli/matrix/engine.js');
    for (const cell of supportMatrix()
      .cells()
      .filter((candidate) => candidate.scm === 'github' && candidate.models === 'saas-api' && candidate.network === 'connected')) {
      const spec = parse(renderTemplate(cell, { name: 'acme-prod', customer: 'Example Corp', schemaLocation: 'x', now: day(iso) }));
      const builds = PLATFORMS[cell.platform as keyof typeof PLATFORMS].emit.buildsKubernetesVersion;
      expect(spec.spec.platform.kubernetesVersion, cell.id).toBe(defaultKubernetesVersion(day(iso), undefined, builds, [cell.platform]));
      expect(versionSupport(cell.platform, spec.spec.platform.kubernetesVersion, day(iso))!.phase, cell.id).toBe('standard');
    }
  });
});
