/**
 * The Secrets and ConfigMaps the values reference exist with the keys they read (key names only:
 * a Secret's values are never collected), and the image pull Secret exists in every install
 * namespace as a dockerconfigjson that authenticates to the mirror.
 */
import type { PreflightEvidence } from '../generated/preflight-evidence.js';
import { normalizeRegistry } from '../emit/registry-source.js';
import { checkResult, shown, type Analyzer } from './analyzer-kit.js';
import type { CheckResult, KeyedReference } from './types.js';

type KeyedObject = PreflightEvidence['secrets'][number];

function keyedResults(id: string, kind: 'Secret' | 'ConfigMap', references: readonly KeyedReference[], objects: readonly KeyedObject[]): CheckResult[] {
  return references.map((reference) => {
    const subject = `${reference.namespace}/${reference.name}`;
    const usedBy = reference.usedBy.join(', ');
    const found = objects.find((object) => object.namespace === reference.namespace && object.name === reference.name && object.found);
    const create = kind === 'Secret' ? 'kubectl -n NS create secret generic NAME --from-file=KEY=FILE' : 'kubectl -n NS create configmap NAME --from-file=KEY=FILE';
    if (!found)
      return checkResult(
        id,
        'fail',
        `${kind} ${subject} does not exist (read by ${usedBy})`,
        `create it with the keys ${reference.keys.join(', ')} (RUNBOOK.md, "Secrets and CA bundles": ${create.replace('NS', reference.namespace).replace('NAME', reference.name)})`,
        subject,
      );
    const missing = reference.keys.filter((key) => !found.keys.includes(key));
    if (missing.length)
      return checkResult(
        id,
        'fail',
        `${kind} ${subject} has no key ${missing.join(', ')} (read by ${usedBy}); it has ${found.keys.map((key) => shown(key)).join(', ') || 'no keys'}`,
        `add ${missing.join(', ')} to ${subject} (kubectl apply the ${kind} again with every key), or fix the key in the spec`,
        subject,
      );
    return checkResult(id, 'pass', `${kind} ${subject} has ${reference.keys.join(', ')} (read by ${usedBy})`, '', subject);
  });
}

export const secretRefs: Analyzer = (requirements, evidence) => keyedResults('secret-refs', 'Secret', requirements.secrets, evidence.secrets);

export const configMapRefs: Analyzer = (requirements, evidence) => keyedResults('configmap-refs', 'ConfigMap', requirements.configMaps, evidence.configMaps);

/** A dockerconfigjson auths key as a registry host (https://, a path or the default port dropped). */
const authHost = (key: string): string => normalizeRegistry(key).host;

export const pullSecret: Analyzer = (requirements, evidence) => {
  const id = 'pull-secret';
  const need = requirements.pullSecret!;
  const host = authHost(need.registryHost);
  return need.namespaces.map((namespace) => {
    const subject = `${namespace}/${need.name}`;
    const found = evidence.secrets.find((secret) => secret.namespace === namespace && secret.name === need.name && secret.found);
    const create = `kubectl -n ${namespace} create secret docker-registry ${need.name} --docker-server=${need.registryHost} (RUNBOOK.md, "Secrets and CA bundles")`;
    if (!found) return checkResult(id, 'fail', `image pull Secret ${subject} does not exist: pods cannot pull from ${need.registryHost}`, create, subject);
    if (found.type !== 'kubernetes.io/dockerconfigjson')
      return checkResult(id, 'fail', `${subject} is of type ${shown(found.type ?? '(none)')}, not kubernetes.io/dockerconfigjson`, `recreate it: ${create}`, subject);
    const registries = found.registries.map((registry) => shown(registry));
    if (!found.registries.some((registry) => authHost(registry) === host))
      return checkResult(
        id,
        'fail',
        `${subject} authenticates to ${registries.join(', ') || 'no registry'}, not the mirror ${need.registryHost}`,
        `recreate it for the mirror: ${create}`,
        subject,
      );
    return checkResult(id, 'pass', `${subject} is a dockerconfigjson for the mirror ${need.registryHost}`, '', subject);
  });
};
