/**
 * GCP stacks beyond the starter specs (an existing network and cluster), and the GCP resource
 * policies on purpose-broken syntheses: each policy must notice what it guards.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '../../../cli/services/init.js';
import { render } from '../../../cli/services/render.js';
import { loadPulumi, synthesizeProject } from '../../../cli/conformance/pulumi/synthesize.js';
import { gcp } from '../../../cli/conformance/pulumi/clouds/gcp.js';
import { MOCK_CLOUD_SQL_SERVER_CA } from '../../../cli/conformance/pulumi/clouds/gcp-mocks.js';
import { GcpInstall } from '../../../stacks/gcp/install.js';
import { checkPolicies } from '../../../cli/conformance/pulumi/policies.js';
import type { Synthesis, SynthesizedResource } from '../../../cli/conformance/pulumi/types.js';
import type * as pulumi from '@pulumi/pulumi';

type Cell = Parameters<typeof init>[0];

async function synthesize(cell: Omit<Cell, 'platform' | 'name' | 'customer'>, edit: (spec: string) => string = (spec) => spec): Promise<Synthesis> {
  const root = mkdtempSync(join(tmpdir(), 'installctl-gcp-'));
  const spec = edit(init({ platform: 'gcp', ...cell, name: 'acme-prod', customer: 'Example Corp' }).spec);
  writeFileSync(join(root, 'spec.yaml'), spec);
  const result = render({ spec: join(root, 'spec.yaml'), outDir: join(root, 'out'), allowPlaceholders: true });
  if (!result.valid) throw new Error(JSON.stringify(result.issues));
  return synthesizeProject(join(root, 'out', 'pulumi'));
}

const existingNetworkAndCluster = (spec: string) =>
  spec
    .replace(/cluster:\n(\s+)mode: new[^\n]*\n\s+apiEndpoint:[^\n]*\n\s+systemNodes:[^\n]*\n/, 'cluster:\n$1mode: existing\n$1name: agents-gke\n')
    .replace(/vpc:\n(\s+)mode: new[^\n]*\n\s+cidr:[^\n]*\n/, 'vpc:\n$1mode: existing\n$1network: shared-vpc\n$1subnetwork: agents-nodes\n');

const ofType = (synthesis: Synthesis, type: string) => synthesis.resources.filter((resource) => resource.type === type);

describe('GCP stacks on an existing network and cluster', () => {
  it('self-hosted, connected: adds the GPU pool to the existing cluster and creates no network', async () => {
    const synthesis = await synthesize({ scm: 'github', models: 'self-hosted', network: 'connected' }, existingNetworkAndCluster);
    expect(synthesis.settings.cloud).toMatchObject({ vpc: { mode: 'existing' } });
    expect(synthesis.errors).toEqual([]);
    expect(checkPolicies(synthesis)).toEqual([]);
    expect(synthesis.invokes).toEqual(expect.arrayContaining(['gcp:container/getCluster:getCluster', 'gcp:compute/getSubnetwork:getSubnetwork']));
    // Also no proxy-only subnetwork: an existing network must have one (the runbook checks it).
    for (const type of ['gcp:compute/network:Network', 'gcp:compute/subnetwork:Subnetwork', 'gcp:compute/routerNat:RouterNat', 'gcp:container/cluster:Cluster', 'gcp:servicenetworking/connection:Connection']) {
      expect(ofType(synthesis, type), type).toEqual([]);
    }
    const pools = ofType(synthesis, 'gcp:container/nodePool:NodePool');
    expect(pools.map((pool) => pool.inputs.name)).toEqual(['gpu-l4']);
    expect(pools[0]!.inputs.cluster).toBe('agents-gke');
    const db = ofType(synthesis, 'gcp:sql/databaseInstance:DatabaseInstance')[0]!;
    expect(db.inputs.settings.ipConfiguration.privateNetwork).toBe('projects/example-project/global/networks/shared-vpc');
    expect(ofType(synthesis, 'gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember').map((grant) => grant.name)).not.toContain('acme-prod-encryption-container');
  });

  it('cloud-managed, air-gapped: Private Service Connect for Vertex on the existing network, no firewall changes', async () => {
    const synthesis = await synthesize({ scm: 'gitlab-self-managed', models: 'cloud-managed', network: 'air-gapped' }, existingNetworkAndCluster);
    expect(synthesis.errors).toEqual([]);
    expect(checkPolicies(synthesis)).toEqual([]);
    expect(ofType(synthesis, 'gcp:compute/firewall:Firewall')).toEqual([]);
    expect(ofType(synthesis, 'gcp:compute/globalForwardingRule:GlobalForwardingRule').map((rule) => rule.inputs.target)).toEqual(['vpc-sc']);
    expect(ofType(synthesis, 'gcp:compute/globalAddress:GlobalAddress').map((address) => address.inputs.address)).toEqual(['100.100.0.2']);
  });
});

describe('GCP policies catch what they guard', () => {
  let airGappedSelfHosted: Synthesis;
  let connectedCloudManaged: Synthesis;
  beforeAll(async () => {
    airGappedSelfHosted = await synthesize({ scm: 'github-enterprise-server', models: 'self-hosted', network: 'air-gapped' });
    connectedCloudManaged = await synthesize({ scm: 'github', models: 'cloud-managed', network: 'connected' });
  });

  /** A copy of the synthesis with resources of one type changed (or dropped when the change returns null). */
  const broken = (synthesis: Synthesis, type: string, change: (resource: SynthesizedResource) => SynthesizedResource | null, extra: SynthesizedResource[] = []): Synthesis => {
    const copy: Synthesis = JSON.parse(JSON.stringify(synthesis));
    copy.resources = [...copy.resources.flatMap((resource) => (resource.type === type ? (change(resource) ?? []) : [resource])), ...extra];
    return copy;
  };
  const policiesOf = (synthesis: Synthesis) => [...new Set(checkPolicies(synthesis).map((violation) => violation.policy))].sort();
  const set = (path: string, value: unknown) => (resource: SynthesizedResource) => {
    const keys = path.split('.');
    let target: any = resource.inputs;
    for (const key of keys.slice(0, -1)) target = target[key];
    target[keys[keys.length - 1]!] = value;
    return resource;
  };
  const nat: SynthesizedResource = { urn: 'urn', type: 'gcp:compute/routerNat:RouterNat', name: 'nat', parentType: 'installctl:gcp:Network', custom: true, inputs: {} };

  it('the starter cells are clean', () => {
    expect(checkPolicies(airGappedSelfHosted)).toEqual([]);
    expect(checkPolicies(connectedCloudManaged)).toEqual([]);
  });

  it('a new network gets the active proxy-only subnetwork of internal Application Load Balancers (gce-internal Ingress)', () => {
    for (const synthesis of [airGappedSelfHosted, connectedCloudManaged]) {
      const proxies = ofType(synthesis, 'gcp:compute/subnetwork:Subnetwork').filter((subnet) => subnet.inputs.purpose === 'REGIONAL_MANAGED_PROXY');
      expect(proxies.map((subnet) => ({ role: subnet.inputs.role, region: subnet.inputs.region, ipCidrRange: subnet.inputs.ipCidrRange }))).toEqual([{ role: 'ACTIVE', region: 'us-central1', ipCidrRange: '10.40.64.0/18' }]);
      const nodes = ofType(synthesis, 'gcp:compute/subnetwork:Subnetwork').find((subnet) => subnet.name.endsWith('-nodes'))!;
      expect(proxies[0]!.inputs.network).toBe(nodes.inputs.network);
    }
  });

  it.each([
    ['Cloud NAT in an air-gapped network', () => broken(airGappedSelfHosted, 'none', (r) => r, [nat]), 'air-gapped-no-internet'],
    ['an egress allow to the internet', () => broken(airGappedSelfHosted, 'gcp:compute/firewall:Firewall', (r) => (r.name.endsWith('allow-internal') ? set('destinationRanges', ['0.0.0.0/0'])(r) : r)), 'air-gapped-no-internet'],
    ['no egress deny', () => broken(airGappedSelfHosted, 'gcp:compute/firewall:Firewall', (r) => (r.name.endsWith('deny-egress') ? null : r)), 'air-gapped-no-internet'],
    ['the default route kept', () => broken(airGappedSelfHosted, 'gcp:compute/network:Network', set('deleteDefaultRoutesOnCreate', false)), 'air-gapped-no-internet'],
    ['no PSC endpoint', () => broken(airGappedSelfHosted, 'gcp:compute/globalForwardingRule:GlobalForwardingRule', () => null), 'private-google-apis'],
    ['a public GKE endpoint', () => broken(airGappedSelfHosted, 'gcp:container/cluster:Cluster', set('privateClusterConfig.enablePrivateEndpoint', false)), 'private-cluster-api'],
    ['unencrypted Kubernetes secrets', () => broken(airGappedSelfHosted, 'gcp:container/cluster:Cluster', set('databaseEncryption', { state: 'DECRYPTED' })), 'encrypted'],
    ['Cloud SQL with a public IP', () => broken(airGappedSelfHosted, 'gcp:sql/databaseInstance:DatabaseInstance', set('settings.ipConfiguration.ipv4Enabled', true)), 'data-private'],
    ['Cloud SQL without PITR', () => broken(airGappedSelfHosted, 'gcp:sql/databaseInstance:DatabaseInstance', set('settings.backupConfiguration.pointInTimeRecoveryEnabled', false)), 'backups'],
    ['Cloud SQL without the customer key', () => broken(airGappedSelfHosted, 'gcp:sql/databaseInstance:DatabaseInstance', set('encryptionKeyName', undefined)), 'encrypted'],
    ['Memorystore without TLS', () => broken(airGappedSelfHosted, 'gcp:redis/instance:Instance', set('transitEncryptionMode', 'DISABLED')), 'encrypted'],
    ['no Memorystore although managed', () => broken(airGappedSelfHosted, 'gcp:redis/instance:Instance', () => null), 'data-services'],
    ['a bucket open to the public', () => broken(airGappedSelfHosted, 'gcp:storage/bucket:Bucket', set('publicAccessPrevention', 'inherited')), 'data-private'],
    ['a GPU pool of another machine type', () => broken(airGappedSelfHosted, 'gcp:container/nodePool:NodePool', (r) => (r.name.endsWith('gpu') ? set('nodeConfig.machineType', 'g2-standard-8')(r) : r)), 'gpu-pool'],
    ['a GPU pool with fewer GPUs', () => broken(airGappedSelfHosted, 'gcp:container/nodePool:NodePool', (r) => (r.name.endsWith('gpu') ? set('nodeConfig.guestAccelerators', [{ type: 'nvidia-l4', count: 1 }])(r) : r)), 'gpu-pool'],
    ['a GPU pool without driver installation', () => broken(airGappedSelfHosted, 'gcp:container/nodePool:NodePool', (r) => (r.name.endsWith('gpu') ? set('nodeConfig.guestAccelerators', [{ ...r.inputs.nodeConfig.guestAccelerators[0], gpuDriverInstallationConfig: undefined }])(r) : r)), 'gpu-pool'],
    ['an untainted GPU pool', () => broken(airGappedSelfHosted, 'gcp:container/nodePool:NodePool', (r) => (r.name.endsWith('gpu') ? set('nodeConfig.taints', [])(r) : r)), 'gpu-pool'],
    ['a mirror without the customer key', () => broken(airGappedSelfHosted, 'gcp:artifactregistry/repository:Repository', set('kmsKeyName', undefined)), 'encrypted'],
    ['an unlabelled bucket', () => broken(airGappedSelfHosted, 'gcp:storage/bucket:Bucket', set('labels', {})), 'tagged'],
    ['a resource outside the components', () => broken(airGappedSelfHosted, 'gcp:storage/bucket:Bucket', (r) => ({ ...r, parentType: null })), 'parented'],
    ['an editor grant', () => broken(airGappedSelfHosted, 'gcp:projects/iAMMember:IAMMember', set('role', 'roles/editor')), 'least-privilege'],
    ['no proxy-only subnetwork', () => broken(airGappedSelfHosted, 'gcp:compute/subnetwork:Subnetwork', (r) => (r.inputs.purpose === 'REGIONAL_MANAGED_PROXY' ? null : r)), 'internal-load-balancing'],
    ['a backup proxy-only subnetwork only', () => broken(airGappedSelfHosted, 'gcp:compute/subnetwork:Subnetwork', (r) => (r.inputs.purpose === 'REGIONAL_MANAGED_PROXY' ? set('role', 'BACKUP')(r) : r)), 'internal-load-balancing'],
  ])('air-gapped self-hosted with %s', (_, make, policy) => {
    expect(policiesOf(make())).toContain(policy);
  });

  it.each([
    ['no Cloud NAT', () => broken(connectedCloudManaged, 'gcp:compute/routerNat:RouterNat', () => null), 'connected-egress'],
    ['no aiplatform API', () => broken(connectedCloudManaged, 'gcp:projects/service:Service', (r) => (r.inputs.service === 'aiplatform.googleapis.com' ? null : r)), 'model-service'],
    ['the Vertex grant on the wrong account', () => broken(connectedCloudManaged, 'gcp:projects/iAMMember:IAMMember', (r) => (r.inputs.role === 'roles/aiplatform.user' ? set('member', 'serviceAccount:x@y.iam.gserviceaccount.com')(r) : r)), 'model-service'],
    ['a GPU pool', () => broken(connectedCloudManaged, 'none', (r) => r, [{ urn: 'u', type: 'gcp:container/nodePool:NodePool', name: 'gpu', parentType: 'installctl:gcp:Cluster', custom: true, inputs: { nodeConfig: { guestAccelerators: [{ type: 'nvidia-l4', count: 1 }] } } }]), 'gpu-pool'],
    ['Cloud SQL zonal although HA', () => broken(connectedCloudManaged, 'gcp:sql/databaseInstance:DatabaseInstance', set('settings.availabilityType', 'ZONAL')), 'data-services'],
  ])('connected cloud-managed with %s', (_, make, policy) => {
    expect(policiesOf(make())).toContain(policy);
  });
});

describe('GcpInstall outputs', () => {
  it('annotates each Kubernetes service account with its Google service account and passes the datastore hosts to Helm', async () => {
    const root = mkdtempSync(join(tmpdir(), 'installctl-gcp-'));
    writeFileSync(join(root, 'spec.yaml'), init({ platform: 'gcp', scm: 'github', models: 'cloud-managed', network: 'connected', name: 'acme-prod', customer: 'Example Corp' }).spec);
    const settings = render({ spec: join(root, 'spec.yaml'), outDir: join(root, 'out'), allowPlaceholders: true }).settings!;
    const pulumi = await loadPulumi();
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => ({ id: `${args.name}-id`, state: { ...args.inputs, ...(args.custom ? gcp.computed(args.type, args.name, args.inputs, settings) : {}) } }),
        call: (args) => gcp.invoke(args.token, args.inputs, settings),
      },
      'installctl',
      'test',
      false,
    );
    const install = new GcpInstall('acme-prod', { settings });
    const value = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));
    const [agentPlatform, modelServer, outputs] = await Promise.all([value(install.helmValues.agentPlatform), value(install.helmValues.modelServer), value(pulumi.output(install.outputs))]);
    await pulumi.runtime.disconnect();
    expect(agentPlatform).toEqual({
      serviceAccounts: {
        platform: { annotations: { 'iam.gke.io/gcp-service-account': 'acme-prod-agent-platform@example-project.iam.gserviceaccount.com' } },
        aiGateway: { annotations: { 'iam.gke.io/gcp-service-account': 'acme-prod-ai-gateway@example-project.iam.gserviceaccount.com' } },
      },
      // The Cloud SQL IAM user of the platform's Google service account, the instance's server CA (verify-ca: the
      // certificate does not name the private IP), and Memorystore's own CA.
      postgres: { host: '10.40.128.3', port: 5432, user: 'acme-prod-agent-platform@example-project.iam', sslMode: 'verify-ca', serverCa: { pem: MOCK_CLOUD_SQL_SERVER_CA } },
      redis: { host: '10.40.128.12', port: 6378, caBundle: { configMapName: 'acme-prod-redis-ca', key: 'ca.crt' } },
    });
    expect(modelServer).toEqual({ serviceAccount: { annotations: {} } });
    expect(outputs).toMatchObject({ clusterName: 'acme-prod', project: 'example-project', bucketName: 'acme-prod-example-project-agents', registryUrl: null, vertexEndpoint: 'https://us-central1-aiplatform.googleapis.com' });
  });
});
