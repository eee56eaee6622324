/**
 * What a kept --work-dir shows a reviewer of each cell, beside its spec and rendered output: the
 * Pulumi mock synthesis (`resources.json`: type, name and properties of every resource) and the
 * rendered manifests (`manifests/<chart>.helm<major>.yaml`). Written only when the work directory is
 * kept; bytes depend only on the cell (resources sorted by type and name, object keys sorted).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SynthesizedResource } from './pulumi/types.js';

/** A value with every object's keys sorted, so JSON.stringify gives the same bytes for the same data. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(object)
        .sort()
        .map((key) => [key, sortedKeys(object[key])]),
    );
  }
  return value;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** resources.json: every resource of the synthesis as { type, name, properties }, sorted by type, name and URN. */
export function resourcesJson(resources: readonly SynthesizedResource[]): string {
  const sorted = [...resources].sort((a, b) => byText(a.type, b.type) || byText(a.name, b.name) || byText(a.urn, b.urn));
  return (
    JSON.stringify(
      sorted.map((resource) => ({ type: resource.type, name: resource.name, properties: sortedKeys(resource.inputs) })),
      null,
      2,
    ) + '\n'
  );
}

export function writeResources(workDir: string, resources: readonly SynthesizedResource[]): void {
  writeFileSync(join(workDir, 'resources.json'), resourcesJson(resources));
}

/** manifests/<chart>.helm<major>.yaml: what `helm template` rendered for the cell, as Helm printed it. */
export function writeManifests(workDir: string, chart: string, helmMajor: number | string, manifests: string): void {
  const dir = join(workDir, 'manifests');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${chart}.helm${helmMajor}.yaml`), manifests);
}
