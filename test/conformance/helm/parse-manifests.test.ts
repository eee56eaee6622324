/** Reading helm template output: the fast parser must read exactly what the yaml library reads. */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseManifests } from '../../../cli/conformance/helm/helm.js';
import { REPO } from '../../helpers/cli.js';

const GOLDEN_DIRS = [join(REPO, 'test', 'charts', 'golden'), join(REPO, 'test', 'charts', 'golden-cells')];
const goldens = GOLDEN_DIRS.flatMap((dir) =>
  readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => join(dir, file)),
);

describe('parseManifests', () => {
  it.each(goldens.map((file) => [file.slice(REPO.length + 1), file]))('%s: the same objects as the yaml library', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const reference = parseAllDocuments(text)
      .map((document) => document.toJS())
      .filter((value) => value !== null && value !== undefined);
    expect(parseManifests(text)).toEqual(reference);
  });

  it('reads YAML 1.2 core scalars the way Helm wrote them: dates and octal-looking strings stay strings', () => {
    const [object] = parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  day: 2026-11-27\n  mode: 0755\n  on: yes\n  n: 12\n  b: true\n');
    expect(object!.data).toEqual({ day: '2026-11-27', mode: 755, on: 'yes', n: 12, b: true });
  });

  it('skips empty and comment-only documents', () => {
    expect(parseManifests('---\n# Source: chart/templates/empty.yaml\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n---\n').map((object) => object.kind)).toEqual([
      'Service',
    ]);
  });

  it.each([
    ['a list', 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\n---\n- a\n', /document 2 is not a mapping/],
    ['no kind', 'apiVersion: v1\nmetadata: {name: s}\n', /document 1 lacks apiVersion, kind or metadata.name/],
    ['broken YAML', 'apiVersion: v1\nkind: [unclosed\n', /^manifests: /],
    ['a duplicate key', 'apiVersion: v1\nkind: Service\nkind: Pod\nmetadata: {name: s}\n', /^manifests: .*duplicate/i],
  ])('throws for %s', (_name, text, message) => {
    expect(() => parseManifests(text)).toThrow(message);
  });
});
