/**
 * GCP mocks: what Google Cloud would report for the resources and data sources of a synthesized
 * GCP stack (names, self links, service agents), for the policies in gcp.ts to check against.
 */
import type { InstallSettings } from '../../../../stacks/settings.js';
import { gcpServiceAccountEmail, serviceAgentEmail } from '../../../../stacks/gcp/common.js';

/** The project number the mocks report for every project. */
export const MOCK_PROJECT_NUMBER = '123456789012';

export function project(settings: InstallSettings): string {
  return settings.cloud?.type === 'gcp' ? settings.cloud.projectId : 'mock-project';
}

export function region(settings: InstallSettings): string {
  return settings.cloud?.type === 'gcp' ? settings.cloud.region : 'us-central1';
}

/** Service agents that projects.ServiceIdentity reports, by API. */
const SERVICE_AGENT_DOMAINS: Record<string, string> = {
  'sqladmin.googleapis.com': 'gcp-sa-cloud-sql',
  'artifactregistry.googleapis.com': 'gcp-sa-artifactregistry',
  'aiplatform.googleapis.com': 'gcp-sa-aiplatform',
};

type Outputs = Record<string, unknown>;
interface MockResource {
  name: string;
  inputs: Record<string, any>;
  /** The project and region the resource is in (its inputs, else the spec's). */
  project: string;
  region: string;
  /** The name GCP knows it by (inputs.name, else the Pulumi name). */
  resourceName: string;
}

const computeApi = (project: string) => `https://www.googleapis.com/compute/v1/projects/${project}`;
const nameOnly = ({ name, inputs }: MockResource): Outputs => ({ name: inputs.name ?? inputs.repositoryId ?? name });

/**
 * The server CA a mock Cloud SQL instance reports (serverCaCerts): a self-signed certificate made for the mocks
 * (CN "installctl conformance mock Cloud SQL server CA"), so the chart's CA ConfigMap holds a parseable certificate.
 * It signs nothing and is trusted nowhere.
 */
export const MOCK_CLOUD_SQL_SERVER_CA = [
  '-----BEGIN CERTIFICATE-----',
  'MIIB/zCCAaWgAwIBAgIUMC2o/S4HaCMUD7exa4oO1OQohoYwCgYIKoZIzj0EAwIw',
  'VTE4MDYGA1UEAwwvaW5zdGFsbGN0bCBjb25mb3JtYW5jZSBtb2NrIENsb3VkIFNR',
  'TCBzZXJ2ZXIgQ0ExGTAXBgNVBAoMEGluc3RhbGxjdGwgbW9ja3MwHhcNMjYxMjAy',
  'MTY1MzIzWhcNMzYxMTI5MTY1MzIzWjBVMTgwNgYDVQQDDC9pbnN0YWxsY3RsIGNv',
  'bmZvcm1hbmNlIG1vY2sgQ2xvdWQgU1FMIHNlcnZlciBDQTEZMBcGA1UECgwQaW5z',
  'dGFsbGN0bCBtb2NrczBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABFtCTATuGizA',
  'RCJ+TfYpBIykbVzBQFadljQIYamrLZ24I3NxasLfZUwV8OecoKSiMOjxnItdOUQz',
  'XkzQLHOFm9GjUzBRMB0GA1UdDgQWBBTkfPQH32AVNX1pDXNt0Hs95V6ldjAfBgNV',
  'HSMEGDAWgBTkfPQH32AVNX1pDXNt0Hs95V6ldjAPBgNVHRMBAf8EBTADAQH/MAoG',
  'CCqGSM49BAMCA0gAMEUCIBck7ZxqA4LIvu4e6JjmEVEOtP2Vy0tQKeDxZFL91D43',
  'AiEAzAIufyZP7Gpco9cy5p7hS/IGZL2UAHSUALwbmfob5pM=',
  '-----END CERTIFICATE-----',
].join('\n');

/** Outputs by resource type: a type not listed reports nothing beyond its inputs. */
const COMPUTED: Readonly<Record<string, (resource: MockResource) => Outputs>> = {
  'gcp:compute/network:Network': ({ project, resourceName }) => ({ name: resourceName, selfLink: `${computeApi(project)}/global/networks/${resourceName}` }),
  'gcp:compute/subnetwork:Subnetwork': ({ project, region, resourceName }) => ({
    name: resourceName,
    selfLink: `${computeApi(project)}/regions/${region}/subnetworks/${resourceName}`,
    gatewayAddress: '10.0.0.1',
  }),
  'gcp:compute/router:Router': nameOnly,
  'gcp:compute/globalAddress:GlobalAddress': nameOnly,
  'gcp:dns/managedZone:ManagedZone': nameOnly,
  'gcp:container/nodePool:NodePool': nameOnly,
  'gcp:kms/keyRing:KeyRing': nameOnly,
  'gcp:kms/cryptoKey:CryptoKey': nameOnly,
  'gcp:artifactregistry/repository:Repository': nameOnly,
  'gcp:container/cluster:Cluster': ({ inputs, project, region, resourceName }) => ({
    name: resourceName,
    endpoint: '172.16.0.2',
    selfLink: `https://container.googleapis.com/v1/projects/${project}/locations/${inputs.location ?? region}/clusters/${resourceName}`,
  }),
  'gcp:serviceaccount/account:Account': ({ name, inputs, project }) => {
    const email = gcpServiceAccountEmail(project, inputs.accountId ?? name);
    return { email, name: `projects/${project}/serviceAccounts/${email}`, member: `serviceAccount:${email}`, uniqueId: '100000000000000000001' };
  },
  'gcp:projects/serviceIdentity:ServiceIdentity': ({ inputs }) => {
    const email = `service-${MOCK_PROJECT_NUMBER}@${SERVICE_AGENT_DOMAINS[inputs.service] ?? `gcp-sa-${String(inputs.service).split('.')[0]}`}.iam.gserviceaccount.com`;
    return { email, member: `serviceAccount:${email}` };
  },
  'gcp:sql/databaseInstance:DatabaseInstance': ({ project, region, resourceName }) => ({
    name: resourceName,
    privateIpAddress: '10.40.128.3',
    connectionName: `${project}:${region}:${resourceName}`,
    serverCaCerts: [{ cert: MOCK_CLOUD_SQL_SERVER_CA }],
    selfLink: `https://sqladmin.googleapis.com/sql/v1beta4/projects/${project}/instances/${resourceName}`,
  }),
  'gcp:redis/instance:Instance': ({ resourceName }) => ({ name: resourceName, host: '10.40.128.12', port: 6378 }),
  'gcp:storage/bucket:Bucket': ({ resourceName }) => ({ name: resourceName, url: `gs://${resourceName}`, selfLink: `https://www.googleapis.com/storage/v1/b/${resourceName}` }),
};

export function computed(type: string, name: string, inputs: Record<string, any>, settings: InstallSettings): Outputs {
  const resource = { name, inputs, project: inputs.project ?? project(settings), region: inputs.region ?? region(settings), resourceName: inputs.name ?? name };
  return COMPUTED[type]?.(resource) ?? {};
}

/** Results of the data-source calls the stacks make, by token (p: the project asked about): any other call returns nothing. */
const INVOKES: Readonly<Record<string, (inputs: Record<string, any>, p: string) => Outputs>> = {
  'gcp:organizations/getProject:getProject': (_inputs, p) => ({ id: `projects/${p}`, projectId: p, number: MOCK_PROJECT_NUMBER, name: p }),
  'gcp:storage/getProjectServiceAccount:getProjectServiceAccount': (_inputs, p) => {
    const email = serviceAgentEmail(MOCK_PROJECT_NUMBER, 'storage');
    return { id: email, emailAddress: email, member: `serviceAccount:${email}`, project: p };
  },
  'gcp:container/getCluster:getCluster': (inputs, p) => ({
    id: `projects/${p}/locations/${inputs.location}/clusters/${inputs.name}`,
    name: inputs.name,
    location: inputs.location,
    endpoint: '172.16.0.2',
    workloadIdentityConfigs: [{ workloadPool: `${p}.svc.id.goog` }],
  }),
  'gcp:compute/getSubnetwork:getSubnetwork': (inputs, p) => ({
    id: `projects/${p}/regions/${inputs.region}/subnetworks/${inputs.name}`,
    name: inputs.name,
    ipCidrRange: '10.0.0.0/20',
    region: inputs.region,
    project: p,
  }),
};

export function invoke(token: string, inputs: Record<string, any>, settings: InstallSettings): Outputs {
  return INVOKES[token]?.(inputs, inputs.project ?? inputs.projectId ?? project(settings)) ?? {};
}
