/**
 * The versions an emitted Pulumi project pins come from its release's `pulumi` section of the
 * catalog; the current release's are exactly what installctl itself is built and tested with
 * (package.json, package-lock.json, node_modules), so the catalog and the repository cannot drift.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectPins, TOOLCHAIN_PINS } from '../../cli/emit/pulumi-project.js';
import { currentRelease, findRelease } from '../../cli/releases/catalog.js';
import { REPO } from '../helpers/cli.js';
import { RELEASES, renderAt } from '../helpers/releases.js';

const json = (path: string) => JSON.parse(readFileSync(join(REPO, path), 'utf8'));
const PULUMI = ['@pulumi/pulumi', '@pulumi/aws', '@pulumi/azure-native', '@pulumi/gcp'] as const;

describe("the current release's pins", () => {
  const pins = projectPins(currentRelease().version);

  it('are the versions package.json depends on and package-lock.json installs', () => {
    const manifest = json('package.json');
    const lock = json('package-lock.json');
    for (const name of PULUMI) {
      expect({ ...manifest.dependencies, ...manifest.devDependencies }[name], name).toBe(pins[name]);
      expect(lock.packages[`node_modules/${name}`].version, name).toBe(pins[name]);
    }
  });

  it('are the versions installed in node_modules (what conformance synthesizes with)', () => {
    for (const name of [...PULUMI, 'typescript', '@types/node'] as const) {
      expect(json(join('node_modules', name, 'package.json')).version, name).toBe(pins[name]);
    }
  });

  it('are what the emitted project pinned before the catalog held them', () => {
    expect(pins).toEqual({
      '@pulumi/pulumi': '3.248.0',
      '@pulumi/aws': '7.48.0',
      '@pulumi/azure-native': '3.28.0',
      '@pulumi/gcp': '9.37.0',
      typescript: '5.9.3',
      'ts-node': '10.9.2',
      '@types/node': '20.19.43',
    });
  });
});

describe('pins per release', () => {
  it.each(RELEASES)("%s: the release's Pulumi SDK and providers, the shared toolchain", (release) => {
    const { pulumi } = findRelease(release)!;
    expect(projectPins(release)).toEqual({
      '@pulumi/pulumi': pulumi.sdk,
      '@pulumi/aws': pulumi.providers.aws,
      '@pulumi/azure-native': pulumi.providers['azure-native'],
      '@pulumi/gcp': pulumi.providers.gcp,
      ...TOOLCHAIN_PINS,
    });
  });

  it.each([
    ['gcp-github-cloud-managed-connected.yaml', '@pulumi/gcp'],
    ['azure-gitlab-cloud-managed-connected.yaml', '@pulumi/azure-native'],
  ] as const)("%s: the emitted package.json pins each release's SDK and %s", (example, provider) => {
    for (const release of RELEASES) {
      const pkg = JSON.parse(renderAt(example, release).get('pulumi/package.json')!);
      expect(pkg.dependencies, release).toEqual({ '@pulumi/pulumi': projectPins(release)['@pulumi/pulumi'], [provider]: projectPins(release)[provider] });
    }
  });

  it('differ between releases where the catalog says so (2026.10.2 is older)', () => {
    expect(projectPins('2026.10.2')['@pulumi/pulumi']).not.toBe(projectPins(currentRelease().version)['@pulumi/pulumi']);
  });
});
