/** Namespaces and the service accounts that get cloud identities; shared with the Helm charts. */
import type { WorkloadSettings } from '../settings.js';

export const SERVICE_ACCOUNTS = { aiGateway: 'ai-gateway', platform: 'agent-platform', modelServer: 'model-server' } as const;

/**
 * The agent-platform chart runs its database migration Job as `<platform account>-migrations`
 * with the platform's cloud identity (as a hook it runs before the release's own accounts exist), so every
 * identity granted to the platform account must trust this one too.
 */
export function migrationsServiceAccount(platformServiceAccount: string): string {
  return `${platformServiceAccount}-migrations`;
}

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
