/** Namespaces and the service accounts that get cloud identities; shared with the Helm charts. */
import type { WorkloadSettings } from '../settings.js';

export const SERVICE_ACCOUNTS = { aiGateway: 'ai-gateway', platform: 'agent-platform', modelServer: 'model-server' } as const;

export function workloadsFor(installName: string): WorkloadSettings {
  return {
    platformNamespace: `${installName}-platform`,
    modelsNamespace: `${installName}-models`,
    serviceAccounts: { ...SERVICE_ACCOUNTS },
  };
}

/** The subject a cloud's workload identity federation matches for a service account. */
export function serviceAccountSubject(namespace: string, serviceAccount: string): string {
  return `system:serviceaccount:${namespace}:${serviceAccount}`;
}
