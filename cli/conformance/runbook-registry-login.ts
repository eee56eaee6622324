/**
 * Runbook policy registry-login: every RUNBOOK.md command that talks to a registry (oras, helm
 * pull/install/upgrade/template/show/push of an oci:// chart, skopeo, crane, docker pull/push) comes
 * after a login to that same host in the same section: ECR, ACR and Artifact Registry answer an
 * anonymous pull with 401. Helm keeps its own credentials (helm registry login); oras, skopeo, crane
 * and docker read the Docker config (oras/docker/skopeo login, crane auth login, az acr login).
 */
import type { Violation } from './pulumi/types.js';

/** The vendor's registry serves anonymous pulls (connected installs without a mirror). */
const ANONYMOUS_HOSTS = new Set(['registry.installctl.dev']);

/** Words of one shell command line, quotes removed ('...' and "..." kept whole); `$(...)` stays one word. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | null = null;
  let depth = 0;
  let started = false;
  for (let index = 0; index < line.length; index++) {
    const char = line[index]!;
    if (quote) {
      if (char === quote && depth === 0) quote = null;
      else word += char;
      if (char === '(' && line[index - 1] === '$') depth++;
      else if (char === ')' && depth > 0) depth--;
      continue;
    }
    if (char === '#' && !started) break;
    if (char === "'" || char === '"') {
      quote = char;
      started = true;
    } else if (/\s/.test(char)) {
      if (started) words.push(word);
      word = '';
      started = false;
    } else {
      word += char;
      started = true;
    }
  }
  if (started) words.push(word);
  return words;
}

/** A line's simple commands: split at |, &&, || and ; outside quotes. */
export function commands(line: string): string[][] {
  const words = shellWords(line);
  const out: string[][] = [[]];
  for (const word of words) {
    if (['|', '&&', '||', ';'].includes(word)) out.push([]);
    else out[out.length - 1]!.push(word);
  }
  return out.filter((command) => command.length > 0);
}

const hostOf = (reference: string) =>
  reference
    .replace(/^(?:oci|docker):\/\//, '')
    .split('/')[0]!
    .toLowerCase();
const positional = (words: string[]) => words.filter((word) => !word.startsWith('-'));

type Store = 'helm' | 'docker';
export interface RegistryUse {
  kind: 'login' | 'use';
  store: Store;
  host: string;
}

/** What one command does with a registry: a login to it, a use of it, or nothing. */
export function registryUse(words: string[]): RegistryUse | null {
  const [tool, sub, ...rest] = words;
  if (tool === 'helm' && sub === 'registry' && rest[0] === 'login') {
    const host = positional(rest.slice(1)).find((word) => !['AWS', 'oauth2accesstoken'].includes(word) && word.includes('.'));
    return host ? { kind: 'login', store: 'helm', host: hostOf(host) } : null;
  }
  if (tool === 'helm' && ['pull', 'install', 'upgrade', 'template', 'show', 'push'].includes(sub ?? '')) {
    const oci = words.find((word) => word.startsWith('oci://'));
    return oci ? { kind: 'use', store: 'helm', host: hostOf(oci) } : null;
  }
  if (tool === 'az' && sub === 'acr' && rest[0] === 'login' && !rest.includes('--expose-token')) {
    const name = rest[rest.indexOf('--name') + 1] ?? rest[rest.indexOf('-n') + 1];
    return name ? { kind: 'login', store: 'docker', host: `${name.toLowerCase()}.azurecr.io` } : null;
  }
  if ((tool === 'oras' || tool === 'docker' || tool === 'skopeo') && sub === 'login') {
    const host = positional(rest).find((word) => word.includes('.') || word.includes(':') || word === 'localhost');
    return host ? { kind: 'login', store: 'docker', host: hostOf(host) } : null;
  }
  if (tool === 'crane' && sub === 'auth' && rest[0] === 'login') {
    const host = positional(rest.slice(1))[0];
    return host ? { kind: 'login', store: 'docker', host: hostOf(host) } : null;
  }
  const reference = (candidates: string[]) =>
    candidates.find((word) => /^(?:docker:\/\/)?[a-z0-9.-]+(?::\d+)?\//i.test(word) && /[.:]/.test(word.split('/')[0]!.replace('docker://', '')));
  if (tool === 'oras' || tool === 'crane' || tool === 'skopeo' || (tool === 'docker' && ['pull', 'push'].includes(sub ?? ''))) {
    const ref = reference(positional(words.slice(1)));
    return ref ? { kind: 'use', store: 'docker', host: hostOf(ref) } : null;
  }
  return null;
}

/** The violations of one RUNBOOK.md: per `## ` section, each registry use without an earlier login to its host. */
export function checkRunbookRegistryLogins(runbook: string): Violation[] {
  const violations: Violation[] = [];
  let section = '';
  let logins = new Set<string>();
  let inShell = false;
  for (const line of runbook.split('\n')) {
    if (line.startsWith('## ')) {
      section = line.slice(3).trim();
      logins = new Set();
      continue;
    }
    if (line.startsWith('```')) {
      inShell = !inShell && /^```(?:sh|bash)?\s*$/.test(line);
      continue;
    }
    if (!inShell) continue;
    for (const command of commands(line)) {
      const use = registryUse(command);
      if (!use) continue;
      const key = `${use.store} ${use.host}`;
      if (use.kind === 'login') logins.add(key);
      else if (!logins.has(key) && !ANONYMOUS_HOSTS.has(use.host)) {
        violations.push({
          policy: 'registry-login',
          resource: `RUNBOOK.md "${section}"`,
          message: `${command.slice(0, 2).join(' ')} talks to ${use.host} with no ${use.store === 'helm' ? 'helm registry login' : 'oras/docker login'} to it before, in this section: the registry answers 401`,
        });
      }
    }
  }
  return violations;
}
