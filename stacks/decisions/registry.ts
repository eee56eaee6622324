/** Whether the spec's registry mirror is this cloud's own registry, which the stack then creates. */
import type { CloudSettings, RegistrySettings } from '../settings.js';

const ECR = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\/([a-z0-9][-a-z0-9._/]*))?$/;
const ACR = /^([a-z0-9]{5,50})\.azurecr\.io(?:\/.*)?$/;
const ARTIFACT_REGISTRY = /^([a-z0-9-]+)-docker\.pkg\.dev\/([a-z][-a-z0-9]{4,28}[a-z0-9])\/([a-z][-a-z0-9]*)(?:\/.*)?$/;

export function cloudRegistryFor(mirror: string | null, cloud: CloudSettings | null): RegistrySettings | null {
  if (!mirror || !cloud) return null;
  // A switch without default: a new cloud does not compile until it says which registry is its own.
  switch (cloud.type) {
    case 'aws': {
      const match = ECR.exec(mirror);
      return match && match[1] === cloud.accountId && match[2] === cloud.region ? { kind: 'ecr', name: match[3] ?? 'installctl' } : null;
    }
    case 'azure': {
      const match = ACR.exec(mirror);
      return match ? { kind: 'acr', name: match[1]! } : null;
    }
    case 'gcp': {
      const match = ARTIFACT_REGISTRY.exec(mirror);
      return match && match[1] === cloud.region && match[2] === cloud.projectId ? { kind: 'artifact-registry', name: match[3]! } : null;
    }
  }
}
