/** Cluster access through a private endpoint: the bastion paths change only kubectl's own settings, each marked as such. */
import { describe, expect, it } from 'vitest';
import { clusterAccess } from '../../cli/emit/runbook-cluster-access.js';
import type { InstallSettings } from '../../stacks/settings.js';

const base = { name: 'acme-prod', cluster: { mode: 'new', apiEndpoint: 'private' }, network: { mode: 'air-gapped' }, onprem: null };
const SETTINGS: Record<string, InstallSettings> = {
  aws: { ...base, cloud: { type: 'aws', region: 'eu-west-1', vpc: { mode: 'new', cidr: '10.40.0.0/16', zones: 3 } } } as unknown as InstallSettings,
  gcp: { ...base, cloud: { type: 'gcp', region: 'europe-west4', projectId: 'acme-prod' } } as unknown as InstallSettings,
};

describe('cluster access through a bastion', () => {
  it.each([
    ['aws', '--server=https://127.0.0.1:8443', 'only with the port forward'],
    ['gcp', '--proxy-url=http://localhost:8888', 'only with the tunnel'],
  ])('%s: the kubeconfig change for the bastion path is marked as only for it', (platform, change, marker) => {
    const line = clusterAccess(SETTINGS[platform]!).commands.find((command) => command.includes(change));
    expect(line).toMatch(/^kubectl config set-cluster /);
    expect(line!.slice(line!.indexOf('#'))).toContain(marker);
  });

  it('gcp: no proxy variable leaks to later commands; the credentials come before the tunnel', () => {
    const commands = clusterAccess(SETTINGS.gcp!).commands;
    expect(commands.join('\n')).not.toMatch(/HTTPS_PROXY|https_proxy/);
    const credentials = commands.findIndex((command) => command.startsWith('gcloud container clusters get-credentials'));
    const proxy = commands.findIndex((command) => command.includes('--proxy-url='));
    expect(credentials).toBeGreaterThan(-1);
    expect(credentials).toBeLessThan(proxy);
  });
});
