/**
 * Issue 13 point 1: every managed datastore's host AND port come from the infrastructure values
 * layer (agentPlatformValues), never from the chart's defaults. Azure Managed Redis listens on
 * 10000 (main passed no port, so the chart used 6379), Memorystore with TLS on 6378, ElastiCache on
 * 6379; the managed PostgreSQL services on 5432.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as pulumi from '@pulumi/pulumi';
import { init } from '../../cli/services/init.js';
import { render } from '../../cli/services/render.js';
import { loadPulumi } from '../../cli/conformance/pulumi/synthesize.js';
import { CLOUD_MODULES } from '../../cli/conformance/pulumi/clouds/index.js';
import { AwsInstall } from '../../stacks/aws/install.js';
import { AzureInstall } from '../../stacks/azure/install.js';
import { GcpInstall } from '../../stacks/gcp/install.js';
import type { InfraLayer } from '../../stacks/helm-layer.js';
import type { InstallSettings } from '../../stacks/settings.js';

const INSTALLS: Record<'aws' | 'azure' | 'gcp', (settings: InstallSettings) => { helmValues: InfraLayer }> = {
  aws: (settings) => new AwsInstall('acme-prod', { settings, redisAuthToken: 'token' }),
  azure: (settings) => new AzureInstall('acme-prod', { settings }),
  gcp: (settings) => new GcpInstall('acme-prod', { settings }),
};

describe.each([
  ['aws', 5432, 6379],
  ['azure', 5432, 10000],
  ['gcp', 5432, 6378],
] as const)('%s: the managed datastores of the infrastructure values layer', (platform, postgresPort, redisPort) => {
  it(`carry host and port (postgres ${postgresPort}, redis ${redisPort})`, async () => {
    const root = mkdtempSync(join(tmpdir(), `installctl-${platform}-ports-`));
    writeFileSync(join(root, 'spec.yaml'), init({ platform, scm: 'github', models: 'cloud-managed', network: 'connected', name: 'acme-prod', customer: 'Example Corp' }).spec);
    const settings = render({ spec: join(root, 'spec.yaml'), outDir: join(root, 'out'), allowPlaceholders: true }).settings!;
    expect([settings.datastores.postgres, settings.datastores.redis]).toEqual(['managed', 'managed']);
    const cloud = CLOUD_MODULES[platform];
    const runtime = await loadPulumi();
    await runtime.runtime.setMocks(
      {
        newResource: (args) => ({ id: `${args.name}-id`, state: { ...args.inputs, ...(args.custom ? cloud.computed(args.type, args.name, args.inputs, settings) : {}) } }),
        call: (args) => cloud.invoke(args.token, args.inputs, settings),
      },
      'installctl',
      'test',
      false,
    );
    const install = INSTALLS[platform](settings);
    const values = await new Promise<Record<string, any>>((resolve) => (install.helmValues.agentPlatform as pulumi.Output<Record<string, any>>).apply(resolve));
    await runtime.runtime.disconnect();
    expect(values.postgres).toMatchObject({ host: expect.any(String), port: postgresPort });
    expect(values.redis).toMatchObject({ host: expect.any(String), port: redisPort });
  });
});
