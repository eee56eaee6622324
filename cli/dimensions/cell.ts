/** The descriptors of one support-matrix cell, whose coordinates are plain strings from matrix/ data. */
import { MODEL_HOSTINGS } from './model-hostings/index.js';
import { NETWORKS } from './networks/index.js';
import { PLATFORMS } from './platforms/index.js';
import { SCMS } from './scms/index.js';
import type { ModelHostingDescriptor, NetworkDescriptor, PlatformDescriptor, ScmDescriptor } from './types.js';

export interface CellDescriptors {
  platform: PlatformDescriptor;
  scm: ScmDescriptor;
  models: ModelHostingDescriptor;
  network: NetworkDescriptor;
}

function lookUp<T>(map: Readonly<Record<string, T>>, dimension: string, value: string): T {
  // Own keys only: a matrix value like "constructor" must not find Object.prototype's member.
  if (!Object.hasOwn(map, value)) throw new Error(`no ${dimension} descriptor for ${JSON.stringify(value)} (cli/dimensions/${dimension}s)`);
  return map[value]!;
}

/** Throws on a value without a descriptor (test/dimensions/descriptors.test.ts keeps the data and the maps in step). */
export function cellDescriptors(cell: { platform: string; scm: string; models: string; network: string }): CellDescriptors {
  return {
    platform: lookUp<PlatformDescriptor>(PLATFORMS, 'platform', cell.platform),
    scm: lookUp<ScmDescriptor>(SCMS, 'scm', cell.scm),
    models: lookUp<ModelHostingDescriptor>(MODEL_HOSTINGS, 'model-hosting', cell.models),
    network: lookUp<NetworkDescriptor>(NETWORKS, 'network', cell.network),
  };
}
