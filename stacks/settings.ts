/**
 * InstallSettings: everything an install's Pulumi stack needs, read from the stack config key
 * `installctl:install` (written by `installctl render`). Components take these typed settings as
 * Args and never read Pulumi config themselves, so tests construct them directly.
 * This directory is copied verbatim into every rendered project: it imports only @pulumi/*.
 */
import * as pulumi from '@pulumi/pulumi';

export type Platform = 'aws' | 'azure' | 'gcp' | 'onprem';
export type Sizing = 'small' | 'medium' | 'large';
export type DatastoreMode = 'managed' | 'bundled' | 'external';

export interface NewNetwork {
  mode: 'new';
  /** IPv4 block, /16 to /22, host bits zero. */
  cidr: string;
  /** Availability zones to spread subnets across (2 or 3). */
  zones: number;
}

export interface AwsCloud {
  type: 'aws';
  region: string;
  accountId: string;
  /** An existing customer-managed KMS key; the data stack creates one when absent. */
  kmsKeyArn: string | null;
  vpc: NewNetwork | { mode: 'existing'; vpcId: string; privateSubnetIds: string[] };
  /** How a new VPC reaches the site's network (spec vpc.attachments); absent or null: it is not attached. */
  attachments?: AwsVpcAttachments | null;
}

/** A new VPC's link to the site's network: Transit Gateway attachment, routes through it, shared Resolver rules. */
export interface AwsVpcAttachments {
  transitGatewayId: string;
  /** Site CIDRs the private subnets route through the Transit Gateway. */
  routes: string[];
  resolverRuleIds: string[];
}

export interface AzureCloud {
  type: 'azure';
  location: string;
  subscriptionId: string;
  tenantId: string;
  resourceGroup: string;
  vnet: NewNetwork | { mode: 'existing'; vnetId: string; nodeSubnetId: string; endpointSubnetId: string };
  /** Principals granted Azure Kubernetes Service RBAC Cluster Admin on a new cluster; absent or empty: the deployer. */
  clusterAdmins?: AzureClusterAdmin[];
  /** The hub VNet a new VNet is peered with and the hub's private DNS zones linked to it; absent or null: none. */
  hub?: AzureHub | null;
  /** The private DNS zone the application routing add-on writes the Ingress host's A record into; absent or null: none. */
  ingressPrivateZoneId?: string | null;
}

export interface AzureClusterAdmin {
  /** The Entra ID object id of the user, group or service principal. */
  objectId: string;
  type: 'User' | 'Group' | 'ServicePrincipal';
}

export interface AzureHub {
  /** The hub VNet's resource id. */
  vnetId: string;
  /** Reach on-premises networks through the hub's VPN or ExpressRoute gateway. */
  useRemoteGateways: boolean;
  /** Resource ids of the hub's private DNS zones (the SCM's, the site's) to link to the new VNet. */
  privateDnsZoneIds: string[];
}

export interface GcpCloud {
  type: 'gcp';
  projectId: string;
  region: string;
  vpc: NewNetwork | { mode: 'existing'; network: string; subnetwork: string };
  /** The hub network a new VPC is peered with (routes to the SCM and operators) and the hub's private DNS domains; null or absent: none. */
  hub?: { network: string; dnsDomains: string[] } | null;
}

export type CloudSettings = AwsCloud | AzureCloud | GcpCloud;

export interface OnpremSettings {
  distribution: 'openshift' | 'rancher' | 'vanilla';
  kubeContext: string;
  storageClass: string;
  /** Ingress class for the charts; null on OpenShift (Routes). */
  ingressClass: string | null;
}

export type ClusterSettings =
  | {
      mode: 'new';
      kubernetesVersion: string;
      /** public only when the spec asks and the network is connected. */
      apiEndpoint: 'private' | 'public';
      /**
       * Sources allowed to reach a public API endpoint. The install schema has no field for them
       * yet, so render leaves this unset and the stacks fall back to publicApiSources' narrowest list.
       */
      publicAccessCidrs?: string[];
      systemNodes: { min: number; max: number };
    }
  | { mode: 'existing'; kubernetesVersion: string; name: string };
export type NewClusterSettings = Extract<ClusterSettings, { mode: 'new' }>;
export type ExistingClusterSettings = Extract<ClusterSettings, { mode: 'existing' }>;

export interface GpuShape {
  /** Instance type (aws), VM size (azure) or machine type (gcp). */
  name: string;
  gpus: number;
  /** GKE accelerator type (gcp only). */
  accelerator: string | null;
}

export interface GpuPoolSettings {
  product: string;
  minNodes: number;
  maxNodes: number;
  /** The node shape chosen from the GPU preset table (smallest that fits the largest model). */
  shape: GpuShape;
  /**
   * GKE: the region's zones that offer the shape's accelerator (the GPU pool's nodeLocations);
   * absent or null where the platform places nodes itself or the table does not know the region.
   */
  zones?: string[] | null;
}

export interface ObjectStoreWeights {
  model: string;
  source: 's3' | 'gcs' | 'azure-blob';
  /** Bucket (s3, gcs) or storage account (azure-blob). */
  bucket: string;
  /** Blob container (azure-blob only). */
  container: string | null;
  prefix: string;
}

export interface CloudModel {
  name: string;
  role: 'chat' | 'embedding' | 'completion';
  /** Azure OpenAI deployment name, model version and capacity (thousands of tokens per minute). */
  deployment: string | null;
  version: string | null;
  capacity: number | null;
}

export interface ModelSettings {
  hosting: 'saas-api' | 'cloud-managed' | 'self-hosted';
  /** bedrock | azure-openai | vertex for cloud-managed; the vendor for saas-api; null when self-hosted. */
  provider: string | null;
  /** The model service's region when it differs from the platform's; else null. */
  region: string | null;
  /** cloud-managed: the models to grant (and, on Azure, to deploy). */
  catalog: CloudModel[];
  /** self-hosted only. */
  gpuPool: GpuPoolSettings | null;
  /** self-hosted weights read from the platform's object store (the model server gets read access). */
  weights: ObjectStoreWeights[];
}

export interface WorkloadSettings {
  platformNamespace: string;
  modelsNamespace: string;
  /** Kubernetes service accounts that get a cloud identity (names shared with the Helm charts). */
  serviceAccounts: { aiGateway: string; platform: string; modelServer: string };
}

export interface RegistrySettings {
  /** The cloud registry to create as the air-gapped mirror. */
  kind: 'ecr' | 'acr' | 'artifact-registry';
  /** ECR repository prefix, ACR registry name, or Artifact Registry repository id. */
  name: string;
}

export interface InstallSettings {
  /** DNS-1123 label: the stack name and namespace prefix. */
  name: string;
  customer: string;
  /** Extra labels from the spec, copied into tags where the cloud allows. */
  labels: Record<string, string>;
  /** Support-matrix cell, platform/scm/models/network. */
  cell: string;
  release: string;
  sizing: Sizing;
  platform: Platform;
  network: {
    mode: 'connected' | 'air-gapped';
    egressProxy: { url: string; noProxy: string[] } | null;
    privateEndpoints: { modelService: boolean; objectStorage: boolean };
    /** Networks outside the cluster the pods may reach (spec network.allowedEgressCidrs): a new VPC must route to them. */
    allowedEgressCidrs?: string[];
  };
  cluster: ClusterSettings;
  cloud: CloudSettings | null;
  onprem: OnpremSettings | null;
  models: ModelSettings;
  datastores: { postgres: DatastoreMode; redis: DatastoreMode; rabbitmq: DatastoreMode; highAvailability: boolean };
  registry: RegistrySettings | null;
  workloads: WorkloadSettings;
  /**
   * How the platform's Ingress is exposed (spec.ingress.exposure); absent means internal. hostname
   * and dns (the zone that gets the hostname's record; GKE: a Cloud DNS managed zone) when known.
   */
  ingress?: { exposure: 'internal' | 'external'; hostname?: string; dns?: IngressDns | null };
  /** The product's release channel (spec.release.channel): GKE follows STABLE for lts, REGULAR otherwise. Absent: stable. */
  releaseChannel?: 'stable' | 'lts';
}

/** The private DNS zone of the ingress hostname (spec.ingress.dns), in the platform's shape: aws a Route 53 private hosted zone, gcp a Cloud DNS managed zone (azure keeps its zone in the cloud settings). */
export type IngressDns = { zoneId: string } | { managedZone: string; project: string | null };


/** Raised before any child resource is created when a component's arguments are inconsistent. */
export class InvalidArgsError extends Error {
  constructor(component: string, problems: string[]) {
    super(`${component}: invalid arguments: ${problems.join('; ')}`);
    this.name = 'InvalidArgsError';
  }
}

/** Throws InvalidArgsError listing every problem, so a stack fails before creating anything. */
export function requireValid(component: string, problems: Array<string | false | null | undefined>): void {
  const found = problems.filter((problem): problem is string => typeof problem === 'string');
  if (found.length > 0) throw new InvalidArgsError(component, found);
}

/** The stack's settings: the one place that reads Pulumi config. */
export function readSettings(config: pulumi.Config = new pulumi.Config('installctl')): InstallSettings {
  return config.requireObject<InstallSettings>('install');
}

/** Narrows settings to a cloud platform, with a clear error when the stack and config disagree. */
export function cloudOf<T extends CloudSettings['type']>(settings: InstallSettings, type: T): Extract<CloudSettings, { type: T }> {
  if (settings.cloud?.type !== type) throw new InvalidArgsError(`${type} install`, [`settings.cloud is ${settings.cloud?.type ?? 'absent'}, expected ${type}`]);
  return settings.cloud as Extract<CloudSettings, { type: T }>;
}
