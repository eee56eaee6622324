import { describe, expect, it } from 'vitest';
import { postgresCaConfigMap, postgresTls } from '../../../stacks/decisions/datastores.js';
import type { DatastoreMode, Platform } from '../../../stacks/settings.js';
import { supportMatrix } from '../../../cli/matrix/engine.js';

const platforms = [...new Set(supportMatrix().cells().map((cell) => cell.platform))] as Platform[];
const MODES: DatastoreMode[] = ['managed', 'bundled', 'external'];

describe('postgresTls', () => {
  it.each(platforms)('%s: bundled is plaintext in the release, external verifies host names against the trust bundle', (platform) => {
    expect(postgresTls(platform, 'bundled')).toEqual({ sslMode: 'disable', serverCa: null });
    expect(postgresTls(platform, 'external')).toEqual({ sslMode: 'verify-full', serverCa: 'system-and-custom' });
  });

  it('managed: each cloud verifies against its own CA bundle; only Cloud SQL on a private IP cannot match the host name', () => {
    expect(postgresTls('aws', 'managed')).toEqual({ sslMode: 'verify-full', serverCa: 'rds-global-bundle' });
    expect(postgresTls('azure', 'managed')).toEqual({ sslMode: 'verify-full', serverCa: 'azure-public-roots' });
    expect(postgresTls('gcp', 'managed')).toEqual({ sslMode: 'verify-ca', serverCa: 'cloud-sql-server-ca' });
  });

  it('never leaves a server unverified outside the release', () => {
    for (const platform of platforms)
      for (const mode of MODES) {
        const tls = postgresTls(platform, mode);
        expect(tls.sslMode === 'disable', `${platform} ${mode}`).toBe(mode === 'bundled');
        expect(tls.serverCa === null).toBe(tls.sslMode === 'disable');
      }
  });

  it('names the RDS bundle ConfigMap after the install', () => {
    expect(postgresCaConfigMap('acme-prod')).toBe('acme-prod-postgres-ca');
  });
});
