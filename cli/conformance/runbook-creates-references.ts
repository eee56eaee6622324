/**
 * Runbook policy runbook-creates-references: every Secret and ConfigMap the Helm values reference
 * (preflight's requirements: the same walk preflight uses to check a live cluster) is created by a
 * RUNBOOK.md command in the namespace the values read it from, with every key they read. A
 * reference nothing creates leaves each pod that reads it in CreateContainerConfigError; found when
 * Azure Managed Redis (Entra ID, no password) was still wired to a NAME-redis Secret no step created.
 * Secrets an ExternalSecret of the release creates are not references here (the chart makes them).
 */
import type { KeyedReference } from '../preflight/types.js';
import type { Violation } from './pulumi/types.js';
import { commands } from './runbook-registry-login.js';

interface Created {
  kind: 'secret' | 'configmap';
  namespace: string;
  name: string;
  keys: Set<string>;
}

/** The key a --from-file/--from-literal/--from-env-file option names (kubectl's KEY=source form), or null. */
function keyOf(word: string): string | null {
  const match = /^--from-(?:file|literal)=([^=/]+)=/.exec(word);
  return match ? match[1]! : null;
}

/** One `kubectl [-n NS] create secret|configmap ...` command, as what it creates. */
function created(command: string[]): Created | null {
  if (command[0] !== 'kubectl') return null;
  const at = command.indexOf('create');
  const kind = command[at + 1];
  if (at < 0 || (kind !== 'secret' && kind !== 'configmap')) return null;
  const nsAt = command.findIndex((word) => word === '-n' || word === '--namespace');
  const namespace = nsAt >= 0 ? command[nsAt + 1]! : 'default';
  const name = kind === 'secret' ? command[at + 3] : command[at + 2];
  if (!name) return null;
  const secretType = kind === 'secret' ? command[at + 2] : null;
  const keys = new Set(command.map(keyOf).filter((key): key is string => key !== null));
  if (secretType === 'docker-registry') keys.add('.dockerconfigjson');
  if (secretType === 'tls') ['tls.crt', 'tls.key'].forEach((key) => keys.add(key));
  return { kind, namespace, name, keys };
}

/** What the RUNBOOK's shell blocks create, merged by kind, namespace and name. */
export function runbookCreates(runbook: string): Created[] {
  const found = new Map<string, Created>();
  let inShell = false;
  for (const line of runbook.split('\n')) {
    if (line.startsWith('```')) {
      inShell = !inShell && /^```(?:sh|bash)?\s*$/.test(line);
      continue;
    }
    if (!inShell) continue;
    for (const command of commands(line)) {
      const object = created(command);
      if (!object) continue;
      const id = `${object.kind} ${object.namespace}/${object.name}`;
      const seen = found.get(id);
      if (seen) object.keys.forEach((key) => seen.keys.add(key));
      else found.set(id, object);
    }
  }
  return [...found.values()];
}

export function checkRunbookCreatesReferences(runbook: string, references: { secrets: readonly KeyedReference[]; configMaps: readonly KeyedReference[] }): Violation[] {
  const creates = runbookCreates(runbook);
  const violations: Violation[] = [];
  const check = (kind: Created['kind'], reference: KeyedReference) => {
    const object = creates.find((candidate) => candidate.kind === kind && candidate.namespace === reference.namespace && candidate.name === reference.name);
    const missing = object ? reference.keys.filter((key) => !object.keys.has(key)) : reference.keys;
    if (object && !missing.length) return;
    violations.push({
      policy: 'runbook-creates-references',
      resource: `${kind === 'secret' ? 'Secret' : 'ConfigMap'} ${reference.namespace}/${reference.name}`,
      message: object
        ? `RUNBOOK.md creates it without key${missing.length === 1 ? '' : 's'} ${missing.join(', ')} that ${reference.usedBy.join('; ')} read${reference.usedBy.length === 1 ? 's' : ''}`
        : `${reference.usedBy.join('; ')} read${reference.usedBy.length === 1 ? 's' : ''} it, but no RUNBOOK.md step creates it: pods reading it stop at CreateContainerConfigError, an Ingress reading it serves no certificate`,
    });
  };
  references.secrets.forEach((reference) => check('secret', reference));
  references.configMaps.forEach((reference) => check('configmap', reference));
  return violations;
}
