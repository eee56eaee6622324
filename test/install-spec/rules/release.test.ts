/**
 * spec.release.version against the release catalog, table-driven over the catalog: an unknown
 * release is an error naming the catalogued ones, a preview a warning, and a Kubernetes version
 * outside the release's window an error naming the window (and the releases that do support it).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { checkRelease } from '../../../cli/install-spec/rules/release.js';
import { specDataAtRelease } from '../../../cli/releases/spec-renames.js';
import { currentRelease, findRelease, kubernetesInWindow, releaseCatalog, type Release } from '../../../cli/releases/catalog.js';
import { renderTemplate } from '../../../cli/emit/starter-spec.js';
import { supportMatrix } from '../../../cli/matrix/engine.js';
import { checkData, codes, loadExample, withValue } from '../../helpers/specs.js';
import { REPO } from '../../helpers/cli.js';
import type { Install } from '../../../cli/generated/install-spec.js';

const KUBERNETES = ['1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36', '1.37'];
const RELEASE_CODES = ['RELEASE_UNKNOWN', 'RELEASE_PREVIEW', 'RELEASE_KUBERNETES_WINDOW'];
const onprem = loadExample('onprem-gitlab-saas-connected.yaml');
const spec = (release: string, kubernetes: string): Install => withValue(specDataAtRelease(onprem, release), 'spec.platform.kubernetesVersion', kubernetes) as Install;

describe('checkRelease over the catalog', () => {
  const table = releaseCatalog().flatMap((release) => KUBERNETES.map((kubernetes) => [release.version, kubernetes, release] as const));

  it.each(table)('%s on Kubernetes %s', (version, kubernetes, release) => {
    const findings = checkRelease(spec(version, kubernetes));
    const expected = [...(release.status === 'preview' ? ['RELEASE_PREVIEW'] : []), ...(kubernetesInWindow(release, kubernetes) ? [] : ['RELEASE_KUBERNETES_WINDOW'])];
    expect(findings.map((finding) => finding.code)).toEqual(expected);
    const window = findings.find((finding) => finding.code === 'RELEASE_KUBERNETES_WINDOW');
    if (window) {
      expect(window).toMatchObject({ severity: 'error', path: ['spec', 'platform', 'kubernetesVersion'] });
      expect(window.message).toBe(`release ${version} supports Kubernetes ${release.kubernetes.min} to ${release.kubernetes.max}, not ${kubernetes}`);
      expect(window.hint).toContain(`from ${release.kubernetes.min} to ${release.kubernetes.max}`);
      for (const other of releaseCatalog().filter((entry) => kubernetesInWindow(entry, kubernetes))) expect(window.hint).toContain(other.version);
    }
    const preview = findings.find((finding) => finding.code === 'RELEASE_PREVIEW');
    if (preview) {
      expect(preview).toMatchObject({ severity: 'warning', path: ['spec', 'release', 'version'] });
      expect(preview.hint).toContain(currentRelease().version);
    }
  });

  it.each(['2026.11.2', '2026.9.0', '2027.1.0', '2026.10.10'])('%s is unknown: an error listing every catalogued release', (version) => {
    const findings = checkRelease(spec(version, '1.33'));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', code: 'RELEASE_UNKNOWN', path: ['spec', 'release', 'version'] });
    for (const release of releaseCatalog()) expect(findings[0]!.hint).toContain(`${release.version} (${release.status})`);
  });

  it('reads any catalog (a synthetic one with no current release names no current one)', () => {
    const preview: Release = { ...structuredClone(findRelease('2026.12.0')!), version: '2027.1.0' };
    expect(checkRelease(spec('2027.1.0', '1.33'), [preview]).map((finding) => [finding.code, finding.hint])).toEqual([
      ['RELEASE_PREVIEW', 'install a preview to try it, not for production'],
    ]);
  });
});

describe('validate reports the release codes with line and column', () => {
  it.each([
    ['2026.11.2', '1.36', ['RELEASE_UNKNOWN'], 'spec.release.version'],
    ['2026.12.0', '1.31', ['RELEASE_KUBERNETES_WINDOW'], 'spec.platform.kubernetesVersion'],
    [currentRelease().version, '1.36', [], null],
  ] as const)('%s on %s', (version, kubernetes, expected, path) => {
    const result = checkData(spec(version, kubernetes));
    expect(codes(result).filter((code) => RELEASE_CODES.includes(code))).toEqual(expected);
    const issue = result.issues.find((candidate) => candidate.severity === 'error' && RELEASE_CODES.includes(candidate.code));
    if (path) expect(issue).toMatchObject({ path, line: expect.any(Number), column: expect.any(Number) });
  });

  it('warns about a preview without failing the spec', () => {
    const result = checkData(spec('2026.12.0', '1.36'));
    expect(codes(result, 'warning')).toContain('RELEASE_PREVIEW');
    expect(result.exitCode).toBe(0);
  });
});

/** Every install spec in the repository's examples and test fixtures: (file, version). */
function shippedSpecs(): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        if (entry !== 'node_modules') walk(path);
        continue;
      }
      if (!/\.ya?ml$/.test(entry)) continue;
      for (const document of parseAllDocuments(readFileSync(path, 'utf8'))) {
        const data = document.toJSON() as { kind?: unknown; spec?: { release?: { version?: unknown } } } | null;
        if (data?.kind === 'Install' && typeof data.spec?.release?.version === 'string') found.push([relative(REPO, path), data.spec.release.version]);
      }
    }
  };
  walk(join(REPO, 'examples'));
  walk(join(REPO, 'test'));
  return found;
}

describe('specs installctl ships and tests with', () => {
  it('name catalogued releases only (examples and fixtures)', () => {
    const specs = shippedSpecs();
    expect(specs.length).toBeGreaterThan(5);
    expect(specs.filter(([, version]) => !findRelease(version))).toEqual([]);
  });

  it('init writes the current release, on a Kubernetes version in its window, for every cell', () => {
    for (const cell of supportMatrix()
      .cells()
      .filter((candidate) => candidate.status !== 'unsupported')) {
      const starter = renderTemplate(cell, { name: 'acme-prod', customer: 'Example Corp', schemaLocation: 'x' });
      const data = parseAllDocuments(starter)[0]!.toJSON() as Install;
      expect(data.spec.release.version, cell.id).toBe(currentRelease().version);
      expect(kubernetesInWindow(currentRelease(), data.spec.platform.kubernetesVersion), cell.id).toBe(true);
    }
  });
});
