/** Whether the spec's registry mirror is this cloud's own registry, which the stack then creates. */
import type { CloudSettings, RegistrySettings } from '../settings.js';

const ECR = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\/([a-z0-9][-a-z0-9._/]*))?$/;
const ACR = /^([a-z0-9]{5,50})\.azurecr\.io(?:\/.*)?$/;
const ARTIFACT_REGISTRY = /^([a-z0-9-]+)-docker\.pkg\.dev\/([a-z][-a-z0-9]{4,28}[a-z0-9])\/([a-z][-a-z0-9]*)(?:\/.*)?$/;

export function cloudRegistryFor(mirror: string | null, cloud: CloudSettings | null): RegistrySettings | null {
  if (!mirror || !cloud) return null;
  if (cloud.type === 'aws') {
    const match = ECR.exec(mirror);
    if (match && match[1] === cloud.accountId && match[2] === cloud.region) return { kind: 'ecr', name: match[3] ?? 'installctl' };
  } else if (cloud.type === 'azure') {
    const match = ACR.exec(mirror);
    if (match) return { kind: 'acr', name: match[1]! };
  } else {
    const match = ARTIFACT_REGISTRY.exec(mirror);
    if (match && match[1] === cloud.region && match[2] === cloud.projectId) return { kind: 'artifact-registry', name: match[3]! };
  }
  return null;
}
