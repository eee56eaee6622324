/**
 * The files `bundle push` keeps next to the bundle, one set per registry: pushing one bundle into a
 * second registry (a staging mirror, then production) must not overwrite the first one's receipt,
 * relocation map or journal. Each name carries the registry's slug (oci/registry-target.ts):
 *
 *   FILE.<slug>.receipt.json   FILE.<slug>.relocation.json   FILE.<slug>.push-journal.json
 *
 * Named here rather than in cli/bundle because the runbook tells the operator which map to pass to
 * render --relocate, and emit may not import bundle (cli/layers.json); bundle push imports this.
 */
import { registrySlug, type RegistryTarget } from '../oci/registry-target.js';

export interface PushFiles {
  receipt: string;
  relocation: string;
  journal: string;
}

export function pushFiles(bundleFile: string, target: RegistryTarget): PushFiles {
  const base = `${bundleFile}.${registrySlug(target)}`;
  return { receipt: `${base}.receipt.json`, relocation: `${base}.relocation.json`, journal: `${base}.push-journal.json` };
}
