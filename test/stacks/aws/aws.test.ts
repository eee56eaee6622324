import { describe, expect, it } from 'vitest';
import { AwsCluster, awsApiEndpointAccess } from '../../../stacks/aws/cluster.js';
import { publicApiSources } from '../../../stacks/decisions/endpoints.js';
import { AwsData } from '../../../stacks/aws/data.js';
import { AwsNetwork } from '../../../stacks/aws/network.js';
import { AwsDns } from '../../../stacks/aws/dns.js';
import { AwsIdentity, awsRoleName, bedrockModelArns } from '../../../stacks/aws/identity.js';
import { AWS_LB_CONTROLLER, awsLbControllerRoleName } from '../../../stacks/aws/lb-controller.js';
import { AwsModels } from '../../../stacks/aws/models.js';
import { AwsRegistry } from '../../../stacks/aws/registry.js';
import { AwsEncryption } from '../../../stacks/aws/encryption.js';
import { managedPolicyArn, partitionOf } from '../../../stacks/aws/common.js';
import { InvalidArgsError, type AwsCloud, type InstallSettings } from '../../../stacks/settings.js';
import { registered } from '../../helpers/pulumi-mocks.js';

const cloud: AwsCloud = { type: 'aws', region: 'us-east-1', accountId: '123456789012', kmsKeyArn: null, vpc: { mode: 'new', cidr: '10.40.0.0/16', zones: 3 } };
const tags = { 'installctl-install': 'acme', 'installctl-customer': 'Acme' };
const models: InstallSettings['models'] = { hosting: 'cloud-managed', provider: 'bedrock', region: null, catalog: [{ name: 'anthropic.claude-sonnet-4-5-20250929-v1:0', role: 'chat', deployment: null, version: null, capacity: null }], gpuPool: null, weights: [] };
const network: InstallSettings['network'] = { mode: 'air-gapped', egressProxy: null, privateEndpoints: { modelService: true, objectStorage: true } };
const endpoints = { core: [], objectStorage: true, modelService: true };

describe('AWS decisions', () => {
  it('keeps the EKS API private unless a public endpoint comes with an allow-list', () => {
    expect(awsApiEndpointAccess(['198.51.100.7/32'])).toEqual({ endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ['198.51.100.7/32'] });
    expect(awsApiEndpointAccess(null)).toEqual({ endpointPrivateAccess: true, endpointPublicAccess: false });
  });

  it('opens a public API endpoint only to the spec\'s CIDRs, else the install\'s own egress, else not at all', () => {
    const publicCluster = { mode: 'new' as const, kubernetesVersion: '1.32', apiEndpoint: 'public' as const, systemNodes: { min: 1, max: 2 } };
    expect(publicApiSources(publicCluster, 'connected', true)).toEqual({ kind: 'own-egress' });
    expect(publicApiSources(publicCluster, 'connected', false)).toEqual({ kind: 'private' });
    expect(publicApiSources({ ...publicCluster, publicAccessCidrs: ['0.0.0.0/0', '198.51.100.0/24'] }, 'connected', false)).toEqual({ kind: 'cidrs', cidrs: ['198.51.100.0/24'] });
    expect(publicApiSources({ ...publicCluster, publicAccessCidrs: ['198.51.100.0/24'] }, 'air-gapped', true)).toEqual({ kind: 'private' });
    expect(publicApiSources({ ...publicCluster, apiEndpoint: 'private' }, 'connected', true)).toEqual({ kind: 'private' });
  });

  it('grants exactly the catalog Bedrock models, in the GovCloud partition where needed', () => {
    expect(bedrockModelArns(cloud, models)).toEqual(['arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0']);
    expect(bedrockModelArns({ ...cloud, region: 'us-gov-west-1' }, models)[0]).toMatch(/^arn:aws-us-gov:bedrock:us-gov-west-1::/);
    expect(partitionOf('eu-west-1')).toBe('aws');
    expect(managedPolicyArn({ region: 'us-gov-east-1' }, 'AmazonEKSClusterPolicy')).toBe('arn:aws-us-gov:iam::aws:policy/AmazonEKSClusterPolicy');
    expect(awsRoleName('acme', 'ai-gateway')).toBe('acme-ai-gateway');
  });
});

describe('AWS components validate their inputs before creating anything', () => {
  it.each([
    ['network with a /24', () => new AwsNetwork('n', { installName: 'acme', cloud: { ...cloud, vpc: { mode: 'new', cidr: '10.0.0.0/24', zones: 3 } }, network, endpoints, tags }), /\/16 to \/22/],
    ['attachments on an existing VPC', () => new AwsNetwork('n', { installName: 'acme', cloud: { ...cloud, vpc: { mode: 'existing', vpcId: 'vpc-1', privateSubnetIds: ['subnet-1', 'subnet-2'] }, attachments: { transitGatewayId: 'tgw-1', routes: ['10.0.0.0/8'], resolverRuleIds: [] } }, network, endpoints, tags }), /existing VPC keeps its own routes/],
    ['an air-gapped default route to the Transit Gateway', () => new AwsNetwork('n', { installName: 'acme', cloud: { ...cloud, attachments: { transitGatewayId: 'tgw-1', routes: ['0.0.0.0/0'], resolverRuleIds: [] } }, network, endpoints, tags }), /no default route/],
    ['a DNS zone that is not a hosted zone id', () => new AwsDns('d', { cloud, dns: { zoneId: 'acme.internal' }, vpcId: 'v' }), /hosted zone id/],
    ['network with one existing subnet', () => new AwsNetwork('n', { installName: 'acme', cloud: { ...cloud, vpc: { mode: 'existing', vpcId: 'vpc-1', privateSubnetIds: ['subnet-1'] } }, network, endpoints, tags }), /two zones/],
    ['air-gapped public API', () => new AwsCluster('c', { installName: 'acme', cloud, cluster: { mode: 'new', kubernetesVersion: '1.32', apiEndpoint: 'public', systemNodes: { min: 1, max: 2 } }, networkMode: 'air-gapped', sizing: 'small', gpuPool: null, privateSubnetIds: [], publicAccessCidrs: null, keyArn: 'k', tags }), /public API/],
    ['GPU pool min above max', () => new AwsCluster('c', { installName: 'acme', cloud, cluster: { mode: 'new', kubernetesVersion: '1.32', apiEndpoint: 'private', systemNodes: { min: 1, max: 2 } }, networkMode: 'connected', sizing: 'small', gpuPool: { product: 'l4', minNodes: 3, maxNodes: 1, shape: { name: 'g6.xlarge', gpus: 1, accelerator: null } }, privateSubnetIds: [], publicAccessCidrs: null, keyArn: 'k', tags }), /minNodes/],
    ['a Kubernetes version without pinned add-ons', () => new AwsCluster('c', { installName: 'acme', cloud, cluster: { mode: 'new', kubernetesVersion: '1.20', apiEndpoint: 'private', systemNodes: { min: 1, max: 2 } }, networkMode: 'connected', sizing: 'small', gpuPool: null, privateSubnetIds: [], publicAccessCidrs: null, keyArn: 'k', tags }), /no pinned EKS add-on versions for Kubernetes 1\.20/],
    ['managed Redis without a token', () => new AwsData('d', { installName: 'acme', release: '2026.11.0', cloud, sizing: 'small', datastores: { postgres: 'managed', redis: 'managed', rabbitmq: 'bundled', highAvailability: false }, vpcId: 'v', vpcCidr: '10.0.0.0/16', privateSubnetIds: [], keyArn: 'k', tags }), /redisAuthToken/],
    ['managed RabbitMQ', () => new AwsData('d', { installName: 'acme', release: '2026.11.0', cloud, sizing: 'small', datastores: { postgres: 'bundled', redis: 'bundled', rabbitmq: 'managed', highAvailability: false }, vpcId: 'v', vpcCidr: '10.0.0.0/16', privateSubnetIds: [], keyArn: 'k', tags }), /RabbitMQ/],
    ['Azure OpenAI on AWS', () => new AwsModels('m', { installName: 'acme', cloud, models: { ...models, provider: 'azure-openai' }, endpoints, vpcId: 'v', privateSubnetIds: [], endpointSecurityGroupId: 'sg', tags }), /bedrock/],
    ['Bedrock in another region behind an endpoint', () => new AwsModels('m', { installName: 'acme', cloud, models: { ...models, region: 'us-west-2' }, endpoints, vpcId: 'v', privateSubnetIds: [], endpointSecurityGroupId: 'sg', tags }), /us-west-2/],
    ['GCS weights on AWS', () => new AwsIdentity('i', { installName: 'acme', cloud, models: { ...models, hosting: 'self-hosted', provider: null, weights: [{ model: 'm', source: 'gcs', bucket: 'b', container: null, prefix: 'p/' }] }, workloads: { platformNamespace: 'p', modelsNamespace: 'm', serviceAccounts: { aiGateway: 'a', platform: 'p', modelServer: 'm' } }, oidcProviderArn: 'o', oidcIssuer: 'i', bucketArn: 'b', keyArn: 'k', postgresResourceId: null, tags }), /s3 only/],
    ['ACR settings on AWS', () => new AwsRegistry('r', { installName: 'acme', cloud, registry: { kind: 'acr', name: 'x' }, keyArn: 'k', tags }), /not ecr/],
    ['a key id that is not an ARN', () => new AwsEncryption('e', { installName: 'acme', cloud: { ...cloud, kmsKeyArn: 'my-key' }, tags }), /not an ARN/],
  ])('%s', async (_, create, message) => {
    const { resources, error } = await registered(create);
    expect(error).toBeInstanceOf(InvalidArgsError);
    expect(error!.message).toMatch(message);
    expect(resources.filter((resource) => resource.custom)).toEqual([]);
  });

  it('creates no KMS key when the spec brings one', async () => {
    const { resources, error } = await registered(() => new AwsEncryption('e', { installName: 'acme', cloud: { ...cloud, kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000' }, tags }));
    expect(error).toBeNull();
    expect(resources.filter((resource) => resource.custom)).toEqual([]);
  });
});

describe('AWS Load Balancer Controller role', () => {
  const workloads = { platformNamespace: 'acme-platform', modelsNamespace: 'acme-models', serviceAccounts: { aiGateway: 'ai-gateway', platform: 'agent-platform', modelServer: 'model-server' } };
  it('trusts only kube-system/aws-load-balancer-controller and changes only load balancers it tagged', async () => {
    const { resources, error } = await registered(() => new AwsIdentity('i', { installName: 'a'.repeat(40), cloud: { ...cloud, region: 'us-gov-west-1' }, models, workloads, oidcProviderArn: 'arn:oidc', oidcIssuer: 'oidc.eks', bucketArn: 'arn:aws:s3:::b', keyArn: 'k', postgresResourceId: null, tags }));
    expect(error).toBeNull();
    const role = resources.find((r) => r.type === 'aws:iam/role:Role' && r.inputs.name === awsLbControllerRoleName('a'.repeat(40)))!;
    expect(role.inputs.name.length).toBeLessThanOrEqual(64);
    const trust = JSON.parse(role.inputs.assumeRolePolicy).Statement[0];
    expect(trust.Condition.StringEquals['oidc.eks:sub']).toBe(`system:serviceaccount:${AWS_LB_CONTROLLER.namespace}:${AWS_LB_CONTROLLER.serviceAccount}`);
    const policy = resources.find((r) => r.type === 'aws:iam/rolePolicy:RolePolicy' && r.name === `i-${AWS_LB_CONTROLLER.serviceAccount}`)!;
    // IAM caps a role's inline policies at 10,240 characters.
    expect(policy.inputs.policy.length).toBeLessThan(10_240);
    const statements = JSON.parse(policy.inputs.policy).Statement as Array<{ Action: string[]; Resource: string | string[]; Condition?: object }>;
    const creates = statements.find((statement) => statement.Action.includes('elasticloadbalancing:CreateLoadBalancer'))!;
    expect(creates.Condition).toEqual({ Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' } });
    expect(statements.flatMap((statement) => [statement.Resource].flat()).filter((arn) => arn !== '*').every((arn) => arn.startsWith('arn:aws-us-gov:'))).toBe(true);
  });
});

describe('AWS network attached to the site', () => {
  it('attaches the new VPC to the Transit Gateway, routes the site through it and associates the Resolver rules', async () => {
    const attachments = { transitGatewayId: 'tgw-0a1b2c3d4e5f60718', routes: ['10.0.0.0/8', '192.168.0.0/16'], resolverRuleIds: ['rslvr-rr-0a1b2c3d4e5f60718'] };
    const { resources, error } = await registered(() => new AwsNetwork('n', { installName: 'acme', cloud: { ...cloud, attachments }, network, endpoints: { ...endpoints, core: ['sts'] }, tags }));
    expect(error).toBeNull();
    const attachment = resources.find((r) => r.type === 'aws:ec2transitgateway/vpcAttachment:VpcAttachment')!;
    expect(attachment.inputs).toMatchObject({ transitGatewayId: attachments.transitGatewayId, dnsSupport: 'enable' });
    expect(attachment.inputs.subnetIds).toHaveLength(3);
    const tables = resources.filter((r) => r.type === 'aws:ec2/routeTable:RouteTable');
    expect(tables).toHaveLength(3);
    for (const table of tables) expect(table.inputs.routes).toEqual(attachments.routes.map((cidrBlock) => ({ cidrBlock, transitGatewayId: attachments.transitGatewayId })));
    expect(resources.filter((r) => r.type === 'aws:route53/resolverRuleAssociation:ResolverRuleAssociation').map((r) => r.inputs.resolverRuleId)).toEqual(attachments.resolverRuleIds);
    const services = resources.filter((r) => r.type === 'aws:ec2/vpcEndpoint:VpcEndpoint').map((r) => String(r.inputs.serviceName).split('.').slice(3).join('.'));
    expect(services).toEqual(expect.arrayContaining(['sts', 'ssm', 'ssmmessages', 'ec2messages']));
  });
});
