import { describe, expect, it } from 'vitest';
import { postgresCaLines, RDS_GLOBAL_BUNDLE_URL } from '../../cli/emit/runbook-postgres-ca.js';
import type { DatastoreMode, InstallSettings, Platform } from '../../stacks/settings.js';

const settings = (platform: Platform, postgres: DatastoreMode, network: 'connected' | 'air-gapped') =>
  ({ name: 'acme-prod', platform, datastores: { postgres }, network: { mode: network }, workloads: { platformNamespace: 'acme-prod-platform' } }) as unknown as InstallSettings;

describe('runbook: the RDS global CA bundle ConfigMap', () => {
  it('connected AWS with managed PostgreSQL: downloads the bundle once and creates <install>-postgres-ca from it', () => {
    const lines = postgresCaLines(settings('aws', 'managed', 'connected'));
    expect(lines[0]).toContain(`test -s trust/rds-global-bundle.pem || curl -fsSL ${RDS_GLOBAL_BUNDLE_URL} > trust/rds-global-bundle.pem`);
    expect(lines[1]).toContain(
      'kubectl -n acme-prod-platform create configmap acme-prod-postgres-ca --from-file=ca.crt=trust/rds-global-bundle.pem --dry-run=client -o yaml | kubectl apply -f -',
    );
  });

  it('air-gapped AWS: the operator pastes the bundle carried in from a connected host; no AWS address', () => {
    const lines = postgresCaLines(settings('aws', 'managed', 'air-gapped'));
    expect(lines[0]).toContain('test -s trust/rds-global-bundle.pem || cat > trust/rds-global-bundle.pem');
    expect(lines.join('\n')).not.toContain('amazonaws.com');
    expect(lines[1]).toContain('create configmap acme-prod-postgres-ca');
  });

  it.each([
    ['azure', 'managed'],
    ['gcp', 'managed'],
    ['aws', 'bundled'],
    ['aws', 'external'],
    ['onprem', 'bundled'],
  ] as const)('%s with %s PostgreSQL: nothing to download (roots in the chart, CA from the stack, or no managed server)', (platform, mode) => {
    expect(postgresCaLines(settings(platform, mode, 'connected'))).toEqual([]);
  });
});
