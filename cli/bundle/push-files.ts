/**
 * The files `bundle push` keeps next to the bundle, one set per registry: pushing one bundle into a
 * second registry (a staging mirror, then production) must not overwrite the first one's receipt,
 * relocation map or journal. Each name carries a slug of HOST[:PORT][/PREFIX]:
 *
 *   FILE.<slug>.receipt.json   FILE.<slug>.relocation.json   FILE.<slug>.push-journal.json
 *
 * The slug keeps the registry readable and is one-to-one (two registries never share a file): the
 * host part (up to the first '+') maps ':' to '_' and '[' / ']' of an IPv6 literal to '=' (a host
 * name holds none of '_', '=', '+'), and every '/' becomes '+' (a repository path holds no '+').
 * So a:5000/x is "a_5000+x" and a/5000x is "a+5000x". Every character is safe in file names on
 * Linux, macOS and Windows and needs no quoting in a shell.
 */
import type { PushTarget } from './push-target.js';

export function registrySlug(target: PushTarget): string {
  const host = target.host.replace(/:/g, '_').replace(/[[\]]/g, '=');
  return target.prefix ? `${host}+${target.prefix.replace(/\//g, '+')}` : host;
}

export interface PushFiles {
  receipt: string;
  relocation: string;
  journal: string;
}

export function pushFiles(bundleFile: string, target: PushTarget): PushFiles {
  const base = `${bundleFile}.${registrySlug(target)}`;
  return { receipt: `${base}.receipt.json`, relocation: `${base}.relocation.json`, journal: `${base}.push-journal.json` };
}
