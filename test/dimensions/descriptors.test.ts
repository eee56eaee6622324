import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MODEL_HOSTINGS, NETWORKS, PLATFORMS, SCMS } from '../../cli/dimensions/index.js';
import { supportMatrix, type Dimension } from '../../cli/matrix/engine.js';

// The schema and the matrix data are the source of the value lists: a descriptor must exist for
// every value they name, and none for a value they do not.
const schema = JSON.parse(readFileSync(new URL('../../schemas/install.schema.json', import.meta.url), 'utf8')) as { $defs: Record<string, unknown> };

/** Every `const` a discriminating property takes across the branches of a $defs union. */
function schemaValues(def: string, property: string): string[] {
  const union = schema.$defs[def] as { oneOf?: Array<{ $ref?: string }>; anyOf?: Array<{ $ref?: string }> };
  const branches = union.oneOf ?? union.anyOf ?? [];
  return branches
    .map((branch) => {
      const target = branch.$ref
        ? (schema.$defs[branch.$ref.replace('#/$defs/', '')] as { properties: Record<string, { const?: string }> })
        : (branch as { properties: Record<string, { const?: string }> });
      return target.properties[property]?.const;
    })
    .filter((value): value is string => typeof value === 'string')
    .sort();
}

const maps: Array<[Dimension, string, string, Record<string, { id: string }>]> = [
  ['platform', 'platform', 'type', PLATFORMS],
  ['scm', 'scm', 'type', SCMS],
  ['models', 'models', 'hosting', MODEL_HOSTINGS],
  ['network', 'network', 'mode', NETWORKS],
];

describe('dimension descriptors', () => {
  it.each(maps)('%s: one descriptor per value of the matrix data, none extra', (dimension, _def, _prop, map) => {
    expect(Object.keys(map).sort()).toEqual([...supportMatrix().dimensions[dimension]].sort());
  });

  it.each(maps)('%s: the map lists the values in the matrix order (flag help reads it)', (dimension, _def, _prop, map) => {
    expect(Object.keys(map)).toEqual(supportMatrix().dimensions[dimension]);
  });

  it.each(maps)('%s: one descriptor per value of the install schema, none extra', (_dimension, def, prop, map) => {
    expect(Object.keys(map).sort()).toEqual(schemaValues(def, prop));
  });

  it.each(maps)('%s: each descriptor is filed under its own id', (_dimension, _def, _prop, map) => {
    for (const [key, descriptor] of Object.entries(map)) expect(descriptor.id).toBe(key);
  });
});
