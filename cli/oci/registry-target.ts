/**
 * A registry target, HOST[:PORT][/PREFIX], read with the reference grammar of reference.ts: a host
 * with a dot or a port, or localhost, or [IPv6] (a bare word would be read as a Docker Hub
 * repository), a port up to 65535, a prefix of repository path components. The host is lowercased
 * (DNS does not care, references do). Pure: the callers decide what a problem means to the person
 * (bundle/push-target.ts turns it into a user error; the runbook falls back to a generic file name).
 */
import { isRegistryDomain, isRepositoryPath } from './reference.js';

export interface RegistryTarget {
  host: string;
  /** Repository path prefix, without slashes at either end; '' for none. */
  prefix: string;
}

/** Why text is no target; shown is false when the text must not be echoed (it holds credentials). */
export interface RegistryTargetProblem {
  problem: string;
  shown: boolean;
}

export function readRegistryTarget(text: string): RegistryTarget | RegistryTargetProblem {
  const problem = (why: string, shown = true) => ({ problem: why, shown });
  const trimmed = text.replace(/^(https?|oci):\/\//, '').replace(/\/+$/, '');
  const slash = trimmed.indexOf('/');
  const authority = slash === -1 ? trimmed : trimmed.slice(0, slash);
  if (authority.includes('@')) return problem('it holds user:password@ (the value is not shown)', false);
  const host = authority.toLowerCase();
  const prefix = slash === -1 ? '' : trimmed.slice(slash + 1);
  if (!isRegistryDomain(host)) return problem('the host is not a registry host name');
  if (!/[.:]|^localhost$|^\[/.test(host)) return problem(`a host without a dot or a port would be read as a Docker Hub repository (write ${host}:PORT or its full name)`);
  const port = /:(\d+)$/.exec(host);
  if (port && (Number(port[1]) < 1 || Number(port[1]) > 65535)) return problem(`port ${port[1]} is not 1-65535`);
  if (prefix && !isRepositoryPath(prefix)) return problem('the prefix must be repository path components: lowercase letters, digits and separators');
  return { host, prefix };
}

export const isRegistryTargetProblem = (read: RegistryTarget | RegistryTargetProblem): read is RegistryTargetProblem => 'problem' in read;

/**
 * A slug of the target for file names, one-to-one (two registries never share one): the host part
 * (up to the first '+') maps ':' to '_' and '[' / ']' of an IPv6 literal to '=' (a host name holds
 * none of '_', '=', '+'), and every '/' becomes '+' (a repository path holds no '+'). So a:5000/x is
 * "a_5000+x" and a/5000x is "a+5000x". Every character is safe in file names on Linux, macOS and
 * Windows and needs no quoting in a shell.
 */
export function registrySlug(target: RegistryTarget): string {
  const host = target.host.replace(/:/g, '_').replace(/[[\]]/g, '=');
  return target.prefix ? `${host}+${target.prefix.replace(/\//g, '+')}` : host;
}
