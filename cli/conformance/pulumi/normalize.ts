/**
 * The golden snapshot of a synthesized stack: each resource's type, name, parent and key input
 * properties, in a stable order. Reviewed into test/stacks/golden/; a diff shows what a change does
 * to every cell's infrastructure.
 */
import { cloudModuleFor } from './clouds/index.js';
import type { Synthesis } from './types.js';

export interface NormalizedResource {
  type: string;
  name: string;
  parent: string | null;
  properties: Record<string, unknown>;
}

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, stable((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export function normalizeSynthesis(synthesis: Synthesis): NormalizedResource[] {
  const keys = new Set(cloudModuleFor(synthesis.settings.platform).keyProperties);
  return synthesis.resources.map((resource) => ({
    type: resource.type,
    name: resource.name,
    parent: resource.parentType,
    properties: stable(Object.fromEntries(Object.entries(resource.inputs).filter(([key]) => keys.has(key)))) as Record<string, unknown>,
  }));
}
