// DO NOT EDIT. Generated from schemas/install.schema.json by scripts/generate.mjs (npm run generate).

/**
 * a DNS-1123 label of at most 40 characters: lowercase letters, digits and '-', starting with a letter (it becomes the Pulumi stack name and the namespace prefix)
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "installName".
 */
export type InstallName = string;
/**
 * a Kubernetes label value: at most 63 characters of letters, digits, '-', '_' and '.', beginning and ending with a letter or digit
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "labelValue".
 */
export type LabelValue = string;
/**
 * Where the install runs: aws, azure, gcp or onprem (an existing Kubernetes cluster).
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "platform".
 */
export type Platform = AwsPlatform | AzurePlatform | GcpPlatform | OnpremPlatform;
/**
 * a Kubernetes minor version of matrix/kubernetes-versions.yaml, quoted ("1.36", not 1.36)
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "kubernetesVersion".
 */
export type KubernetesVersion = "1.30" | "1.31" | "1.32" | "1.33" | "1.34" | "1.35" | "1.36" | "1.37";
/**
 * The Kubernetes cluster: mode new (created by the Pulumi stack) or existing.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "cluster".
 */
export type Cluster = NewCluster | ExistingCluster;
/**
 * the Kubernetes API endpoint's reachability: private (default) or public (connected networks only)
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "clusterApiEndpoint".
 */
export type ClusterApiEndpoint = "private" | "public";
/**
 * a Kubernetes object name (DNS-1123 subdomain: lowercase letters, digits, '-' and '.')
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "kubernetesName".
 */
export type KubernetesName = string;
/**
 * The VPC: mode new (with a CIDR) or existing (VPC and private subnet ids).
 */
export type AwsVpc = NewAwsVpc | ExistingAwsVpc;
/**
 * an IPv4 CIDR block such as 10.40.0.0/16
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "cidr".
 */
export type Cidr = string;
/**
 * a lowercase UUID such as 00000000-0000-4000-8000-000000000000
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "uuid".
 */
export type Uuid = string;
/**
 * The VNet: mode new (with a CIDR) or existing (VNet and subnet resource ids).
 */
export type AzureVnet = NewNetwork | ExistingAzureVnet;
/**
 * a private DNS zone resource id (/subscriptions/.../privateDnsZones/NAME)
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "azurePrivateDnsZoneId".
 */
export type AzurePrivateDnsZoneId = string;
/**
 * The VPC network: mode new (with a CIDR) or existing (network and subnetwork names).
 */
export type GcpVpc = NewNetwork | ExistingGcpVpc;
/**
 * a GCP resource name: lowercase letters, digits and '-', starting with a letter, at most 63 characters
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "gcpResourceName".
 */
export type GcpResourceName = string;
/**
 * a lowercase DNS hostname such as agents.acme.internal
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "hostname".
 */
export type Hostname = string;
/**
 * The source-code host the agents work against.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "scm".
 */
export type Scm = GithubScm | GithubEnterpriseServerScm | GitlabSelfManagedScm | BitbucketDataCenterScm;
/**
 * the organizations, groups or projects the platform may access
 *
 * @minItems 1
 * @maxItems 100
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "scmNamespaces".
 *
 * Items: an organization, group path or project key
 */
export type ScmNamespaces = [string, ...string[]];
/**
 * a key inside a Kubernetes Secret or ConfigMap (letters, digits, '-', '_' and '.')
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "secretKey".
 */
export type SecretKey = string;
/**
 * How SCM events reach the platform: ingress (the SCM calls url), relay (through a relay at url) or polling.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "webhooks".
 */
export type Webhooks = IngressWebhooks | RelayWebhooks | PollingWebhooks;
/**
 * an https:// URL with a lowercase hostname, such as https://git.acme.internal
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "httpsUrl".
 */
export type HttpsUrl = string;
/**
 * github-app (recommended) or access-token.
 */
export type GithubEnterpriseServerAuth = GithubAppAuth | TokenAuth;
/**
 * oauth-app or access-token (a group or service-account token).
 */
export type GitlabAuth = OauthAppAuth | TokenAuth;
/**
 * access-token (an HTTP access token) or oauth-app.
 */
export type BitbucketAuth = TokenAuth | OauthAppAuth;
/**
 * Where the LLMs come from: saas-api (a vendor's public API), cloud-managed (the cloud's model service) or self-hosted (vLLM on GPUs in the cluster).
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "models".
 */
export type Models = SaasApiModels | CloudManagedModels | SelfHostedModels;
/**
 * the models to use, each with its role
 *
 * @minItems 1
 * @maxItems 32
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "catalog".
 */
export type Catalog = [CatalogEntry, ...CatalogEntry[]];
/**
 * a model id as the provider names it, such as claude-sonnet-4-5 or text-embedding-3-large
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "modelId".
 */
export type ModelId = string;
/**
 * what the platform uses the model for
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "modelRole".
 */
export type ModelRole = "chat" | "embedding" | "completion";
/**
 * the NVIDIA GPU product
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "gpuProduct".
 */
export type GpuProduct = "h100-80gb" | "a100-80gb" | "a100-40gb" | "l40s" | "l4" | "a10g" | "t4";
/**
 * Where the model weights come from: pvc, oci, s3, gcs, azure-blob or hf (the public hub; connected only).
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "weightsSource".
 */
export type WeightsSource = PvcWeights | OciWeights | S3Weights | GcsWeights | AzureBlobWeights | HfWeights;
/**
 * a bucket name (3-63 lowercase letters, digits, '-' and '.')
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "bucketName".
 */
export type BucketName = string;
/**
 * an object key prefix such as models/qwen2.5-coder-32b/
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "objectPrefix".
 */
export type ObjectPrefix = string;
/**
 * connected (outbound internet, possibly through a proxy) or air-gapped (none at all).
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "network".
 */
export type Network = ConnectedNetwork | AirGappedNetwork;
/**
 * an http:// or https:// proxy URL without credentials, such as http://proxy.acme.internal:3128
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "proxyUrl".
 */
export type ProxyUrl = string;
/**
 * The TLS certificate: an existing Secret (mode secret), one issued by cert-manager, or (aws) an ACM certificate.
 */
export type IngressTls = SecretTls | CertManagerTls | AcmTls;
/**
 * managed (the cloud's service; default on clouds), bundled (a StatefulSet in the cluster; default on-prem) or external (an existing server).
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "datastore".
 */
export type Datastore = ManagedDatastore | BundledDatastore | ExternalDatastore;
/**
 * an e-mail address such as jane.doe@acme.example
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "email".
 */
export type Email = string;

/**
 * An installctl install spec: one customer's install of the AI code-agent platform.
 */
export interface Install {
  /**
   * Optional pointer to this schema, for editors.
   */
  $schema?: string;
  /**
   * Spec format version; must be installctl.dev/v1alpha1.
   */
  apiVersion: "installctl.dev/v1alpha1";
  /**
   * Document kind; must be Install.
   */
  kind: "Install";
  metadata: Metadata;
  spec: InstallSpec;
}
/**
 * Identity of the install.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "metadata".
 */
export interface Metadata {
  name: InstallName;
  /**
   * The customer's display name; tagged onto every cloud resource. One line of printable text: no control, bidi or invisible format characters.
   */
  customer: string;
  /**
   * Extra labels copied onto every resource and Kubernetes object (Kubernetes label syntax).
   */
  labels?: {
    [k: string]: LabelValue | undefined;
  };
}
/**
 * What to install and where.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "spec".
 */
export interface InstallSpec {
  release: Release;
  /**
   * the install size: small (up to 200 developers), medium (up to 2,000) or large (more)
   */
  sizing?: "small" | "medium" | "large";
  platform: Platform;
  scm: Scm;
  models: Models;
  network: Network;
  ingress: Ingress;
  registry?: Registry;
  trust?: Trust;
  datastores?: Datastores;
  /**
   * Explicit acceptance of the conditions of a conditional support-matrix cell.
   *
   * @maxItems 16
   */
  acknowledgements?: Acknowledgement[];
}
/**
 * The platform release to install.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "release".
 */
export interface Release {
  /**
   * a platform release version of installctl's release catalog (releases/), such as 2026.11.0 (year.month.patch)
   */
  version: string;
  /**
   * the release channel
   */
  channel?: "stable" | "lts";
}
/**
 * Amazon Web Services (EKS).
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "awsPlatform".
 */
export interface AwsPlatform {
  type: "aws";
  /**
   * an AWS region such as us-east-1
   */
  region: string;
  /**
   * the 12-digit AWS account id, quoted
   */
  accountId: string;
  kubernetesVersion: KubernetesVersion;
  cluster: Cluster;
  vpc: AwsVpc;
  /**
   * an existing customer-managed KMS key ARN; when absent the stack creates one
   */
  kmsKeyArn?: string;
}
/**
 * Create a new managed cluster.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "newCluster".
 */
export interface NewCluster {
  mode: "new";
  apiEndpoint?: ClusterApiEndpoint;
  /**
   * The CPU node pool for the platform's services.
   */
  systemNodes?: {
    /**
     * minimum node count
     */
    min: number;
    /**
     * maximum node count
     */
    max: number;
  };
}
/**
 * Adopt an existing managed cluster by name.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "existingCluster".
 */
export interface ExistingCluster {
  mode: "existing";
  name: KubernetesName;
}
/**
 * Create a new VPC with private subnets across zones, attached to the site's network when it must reach it.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "newAwsVpc".
 */
export interface NewAwsVpc {
  mode: "new";
  cidr: Cidr;
  /**
   * how many availability zones to spread subnets across (2 or 3)
   */
  zones?: number;
  attachments?: AwsVpcAttachments;
}
/**
 * How the new VPC reaches the site's network (the SCM server, datastores, operators): a Transit Gateway attachment, the routes through it, and Route 53 Resolver rules that forward the site's DNS domains.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "awsVpcAttachments".
 */
export interface AwsVpcAttachments {
  /**
   * the Transit Gateway to attach the VPC to, such as tgw-0a1b2c3d4e5f60718 (shared with this account through RAM when it lives elsewhere)
   */
  transitGatewayId: string;
  /**
   * site networks the private subnets route through the Transit Gateway (cover the SCM server and every allowedEgressCidrs entry)
   *
   * @minItems 1
   * @maxItems 50
   */
  routes: [Cidr, ...Cidr[]];
  /**
   * Route 53 Resolver forwarding rules (shared through RAM) to associate with the VPC, such as rslvr-rr-0a1b2c3d4e5f60718, so the site's DNS names resolve
   *
   * @maxItems 20
   */
  resolverRuleIds?: string[];
}
export interface ExistingAwsVpc {
  mode: "existing";
  /**
   * an existing VPC id such as vpc-0a1b2c3d4e5f60718
   */
  vpcId: string;
  /**
   * private subnet ids in at least two availability zones
   *
   * @minItems 2
   * @maxItems 6
   *
   * Items: a subnet id such as subnet-0a1b2c3d4e5f60718
   */
  privateSubnetIds: [string, string, ...string[]];
}
/**
 * Microsoft Azure (AKS).
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "azurePlatform".
 */
export interface AzurePlatform {
  type: "azure";
  /**
   * an Azure location such as eastus2
   */
  location: string;
  subscriptionId: Uuid;
  tenantId: Uuid;
  /**
   * the resource group name (letters, digits, '-', '_', '.', '(' and ')')
   */
  resourceGroup: string;
  kubernetesVersion: KubernetesVersion;
  cluster: Cluster;
  vnet: AzureVnet;
  /**
   * Entra ID principals granted Azure Kubernetes Service RBAC Cluster Admin on a new cluster (local accounts are off); default: whoever runs pulumi up
   *
   * @minItems 1
   * @maxItems 16
   */
  clusterAdmins?: [AzureClusterAdmin, ...AzureClusterAdmin[]];
  hub?: AzureHub;
}
/**
 * Create a new virtual network with private subnets across zones.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "newNetwork".
 */
export interface NewNetwork {
  mode: "new";
  cidr: Cidr;
  /**
   * how many availability zones to spread subnets across (2 or 3)
   */
  zones?: number;
}
export interface ExistingAzureVnet {
  mode: "existing";
  /**
   * a VNet resource id (/subscriptions/.../virtualNetworks/NAME)
   */
  vnetId: string;
  /**
   * the resource id of the subnet for cluster nodes
   */
  nodeSubnetId: string;
  /**
   * the resource id of the subnet for private endpoints
   */
  endpointSubnetId: string;
}
export interface AzureClusterAdmin {
  objectId: Uuid;
  /**
   * the principal's kind
   */
  type: "User" | "Group" | "ServicePrincipal";
}
/**
 * The site's hub VNet a new VNet is peered with (both ways), and the hub's private DNS zones linked to it: how the SCM, operators and the mirror reach an air-gapped install.
 */
export interface AzureHub {
  /**
   * the hub VNet's resource id (/subscriptions/.../virtualNetworks/NAME)
   */
  vnetId: string;
  /**
   * reach on-premises networks through the hub's VPN or ExpressRoute gateway (the hub must have one)
   */
  useRemoteGateways?: boolean;
  /**
   * resource ids of the hub's private DNS zones (the SCM's, the site's) to link to the new VNet
   *
   * @maxItems 32
   */
  privateDnsZoneIds?: AzurePrivateDnsZoneId[];
}
/**
 * Google Cloud (GKE).
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "gcpPlatform".
 */
export interface GcpPlatform {
  type: "gcp";
  /**
   * a GCP project id: 6-30 lowercase letters, digits and '-', starting with a letter
   */
  projectId: string;
  /**
   * a GCP region such as us-central1
   */
  region: string;
  kubernetesVersion: KubernetesVersion;
  cluster: Cluster;
  vpc: GcpVpc;
  hub?: GcpHub;
}
export interface ExistingGcpVpc {
  mode: "existing";
  network: GcpResourceName;
  subnetwork: GcpResourceName;
}
/**
 * The customer's hub network a new VPC is attached to, so the SCM, datastores and operators outside it are reachable: VPC Network Peering (custom routes imported, so the hub's VPN and Interconnect routes apply) and Cloud DNS peering zones for the hub's private domains. The hub side must create the reverse peering and export its custom routes.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "gcpHub".
 */
export interface GcpHub {
  /**
   * the hub VPC network: projects/PROJECT/global/networks/NETWORK
   */
  network: string;
  /**
   * private DNS domains the hub resolves (the SCM's, the sign-in's): each gets a Cloud DNS peering zone to the hub network
   */
  dnsDomains?: Hostname[];
}
/**
 * An existing Kubernetes cluster in the customer's data centre; no cloud resources are created.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "onpremPlatform".
 */
export interface OnpremPlatform {
  type: "onprem";
  /**
   * the Kubernetes distribution
   */
  distribution: "openshift" | "rancher" | "vanilla";
  kubernetesVersion: KubernetesVersion;
  /**
   * the kubeconfig context that reaches the cluster
   */
  kubeContext: string;
  storageClass: KubernetesName;
  ingressClass?: KubernetesName;
}
/**
 * GitHub.com (SaaS).
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "githubScm".
 */
export interface GithubScm {
  type: "github";
  organizations: ScmNamespaces;
  auth: GithubAppAuth;
  webhooks?: Webhooks;
}
/**
 * Authenticate as a GitHub App.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "githubAppAuth".
 */
export interface GithubAppAuth {
  method: "github-app";
  /**
   * the GitHub App id
   */
  appId: number;
  privateKey: SecretReference;
  webhookSecret: SecretReference;
}
/**
 * a reference to a secret, never the secret itself: either secretRef (a Kubernetes Secret name and key) or externalRef (a path in an external secret store)
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "secretReference".
 */
export interface SecretReference {
  /**
   * A key of a Kubernetes Secret in the install namespace.
   */
  secretRef?: {
    name: KubernetesName;
    key: SecretKey;
  };
  /**
   * A secret in an external store, synced into the cluster by the External Secrets Operator.
   */
  externalRef?: {
    /**
     * the external secret store
     */
    store: "vault" | "aws-secrets-manager" | "azure-key-vault" | "gcp-secret-manager";
    /**
     * the secret's path or name in the store, such as secret/data/acme/ghes
     */
    path: string;
    key?: SecretKey;
  };
}
export interface IngressWebhooks {
  delivery: "ingress";
  url: HttpsUrl;
}
export interface RelayWebhooks {
  delivery: "relay";
  url: HttpsUrl;
}
export interface PollingWebhooks {
  delivery: "polling";
  /**
   * seconds between polls (30-3600)
   */
  intervalSeconds?: number;
}
/**
 * GitHub Enterprise Server, self-hosted.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "githubEnterpriseServerScm".
 */
export interface GithubEnterpriseServerScm {
  type: "github-enterprise-server";
  url: HttpsUrl;
  organizations: ScmNamespaces;
  auth: GithubEnterpriseServerAuth;
  caBundle?: ConfigMapKeyReference;
  webhooks?: Webhooks;
}
/**
 * Authenticate with a service account's access token.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "tokenAuth".
 */
export interface TokenAuth {
  method: "access-token";
  token: SecretReference;
  webhookSecret: SecretReference;
}
/**
 * a key of a ConfigMap in the install namespace, holding PEM certificates
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "configMapKeyReference".
 */
export interface ConfigMapKeyReference {
  configMapRef: {
    name: KubernetesName;
    key: SecretKey;
  };
}
/**
 * GitLab Self-Managed.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "gitlabSelfManagedScm".
 */
export interface GitlabSelfManagedScm {
  type: "gitlab-self-managed";
  url: HttpsUrl;
  groups: ScmNamespaces;
  auth: GitlabAuth;
  caBundle?: ConfigMapKeyReference;
  webhooks?: Webhooks;
}
/**
 * Authenticate as an OAuth application.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "oauthAppAuth".
 */
export interface OauthAppAuth {
  method: "oauth-app";
  /**
   * the OAuth application's client id (not secret)
   */
  clientId: string;
  clientSecret: SecretReference;
  webhookSecret: SecretReference;
}
/**
 * Bitbucket Data Center.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "bitbucketDataCenterScm".
 */
export interface BitbucketDataCenterScm {
  type: "bitbucket-data-center";
  url: HttpsUrl;
  /**
   * the Bitbucket project keys the platform may access
   *
   * @minItems 1
   * @maxItems 100
   *
   * Items: a Bitbucket project key: uppercase letters, digits and '_', starting with a letter
   */
  projects: [string, ...string[]];
  auth: BitbucketAuth;
  caBundle?: ConfigMapKeyReference;
  webhooks?: Webhooks;
}
/**
 * A model vendor's public API over the internet.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "saasApiModels".
 */
export interface SaasApiModels {
  hosting: "saas-api";
  /**
   * the model vendor
   */
  provider: "anthropic" | "openai" | "google-gemini";
  apiKey: SecretReference;
  baseUrl?: HttpsUrl;
  catalog: Catalog;
}
/**
 * A model the platform may route to.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "catalogEntry".
 */
export interface CatalogEntry {
  name: ModelId;
  role: ModelRole;
  /**
   * the Azure OpenAI deployment name (azure-openai only)
   */
  deployment?: string;
  /**
   * the model version (azure-openai only), such as 2024-11-20
   */
  version?: string;
  /**
   * provisioned capacity in thousands of tokens per minute (azure-openai only)
   */
  capacity?: number;
}
/**
 * The cloud's managed model service: Amazon Bedrock, Azure OpenAI or Vertex AI.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "cloudManagedModels".
 */
export interface CloudManagedModels {
  hosting: "cloud-managed";
  /**
   * the cloud model service
   */
  provider: "bedrock" | "azure-openai" | "vertex";
  /**
   * the model service's region or location, when it differs from the platform's
   */
  region?: string;
  /**
   * the Azure OpenAI account name, AWS account id or GCP project id of the model service, when it differs from the platform's
   */
  account?: string;
  credentials?: SecretReference;
  catalog: Catalog;
}
/**
 * Open-weight models served by vLLM on GPU nodes in the cluster.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "selfHostedModels".
 */
export interface SelfHostedModels {
  hosting: "self-hosted";
  gpuPool?: GpuPool;
  /**
   * the models to serve, one vLLM deployment each
   *
   * @minItems 1
   * @maxItems 16
   */
  catalog: [ServedModel, ...ServedModel[]];
}
/**
 * The GPU nodes: created on clouds, existing on-prem.
 */
export interface GpuPool {
  product: GpuProduct;
  /**
   * minimum GPU node count (0-64)
   */
  minNodes: number;
  /**
   * maximum GPU node count (1-64)
   */
  maxNodes: number;
  /**
   * GPUs per node (on-prem only; clouds take it from the instance preset)
   */
  gpusPerNode?: 1 | 2 | 4 | 8;
}
/**
 * A model served by vLLM.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "servedModel".
 */
export interface ServedModel {
  /**
   * the served model name (lowercase letters, digits, '-' and '.'), used as the deployment name
   */
  name: string;
  role: ModelRole;
  /**
   * GPUs per replica; must equal tensorParallelSize
   */
  gpuCount: 1 | 2 | 4 | 8;
  /**
   * vLLM tensor-parallel size (1, 2, 4 or 8)
   */
  tensorParallelSize: 1 | 2 | 4 | 8;
  /**
   * replica count (1-16)
   */
  replicas?: number;
  /**
   * maximum context length in tokens
   */
  maxModelLen?: number;
  weights?: WeightsSource;
}
export interface PvcWeights {
  source: "pvc";
  claimName: KubernetesName;
  /**
   * the directory inside the volume that holds the weights
   */
  path?: string;
  create?: WeightsClaim;
}
/**
 * the model-server release creates the claim and a Job fills it from the mirror's models/<model>:weights artifact; without create the claim must already exist
 */
export interface WeightsClaim {
  /**
   * the claim's size, such as 200Gi
   */
  size: string;
  storageClass?: KubernetesName;
  /**
   * ReadWriteOnce (one replica), ReadOnlyMany or ReadWriteMany (several replicas: a file storage class)
   */
  accessMode: "ReadWriteOnce" | "ReadOnlyMany" | "ReadWriteMany";
}
export interface OciWeights {
  source: "oci";
  /**
   * an OCI artifact reference pinned by digest, such as registry.acme.internal/models/qwen@sha256:<64 hex>
   */
  reference: string;
}
export interface S3Weights {
  source: "s3";
  bucket: BucketName;
  prefix: ObjectPrefix;
}
export interface GcsWeights {
  source: "gcs";
  bucket: BucketName;
  prefix: ObjectPrefix;
}
export interface AzureBlobWeights {
  source: "azure-blob";
  /**
   * a storage account name (3-24 lowercase letters and digits)
   */
  account: string;
  /**
   * a blob container name (3-63 lowercase letters, digits and '-')
   */
  container: string;
  prefix: ObjectPrefix;
}
export interface HfWeights {
  source: "hf";
  /**
   * a Hugging Face repository such as Qwen/Qwen2.5-Coder-32B-Instruct
   */
  repo: string;
  /**
   * the commit hash to pin (40 hex characters)
   */
  revision: string;
  token?: SecretReference;
}
export interface ConnectedNetwork {
  mode: "connected";
  /**
   * networks outside the cluster the platform's pods may reach (the SCM server, external datastores, proxies); the NetworkPolicies allow exactly these plus the install's own network
   *
   * @maxItems 64
   */
  allowedEgressCidrs?: Cidr[];
  /**
   * An outbound HTTP(S) proxy.
   */
  egressProxy?: {
    url: ProxyUrl;
    /**
     * hosts, domains (.acme.internal) and CIDRs that bypass the proxy
     *
     * @maxItems 64
     */
    noProxy?: string[];
  };
  privateEndpoints?: PrivateEndpoints;
}
/**
 * Private endpoints (PrivateLink, Private Endpoint, Private Service Connect) to cloud services.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "privateEndpoints".
 */
export interface PrivateEndpoints {
  /**
   * reach the cloud model service through a private endpoint
   */
  modelService?: boolean;
  /**
   * reach object storage through a private endpoint
   */
  objectStorage?: boolean;
}
export interface AirGappedNetwork {
  mode: "air-gapped";
  /**
   * networks outside the cluster the platform's pods may reach (the SCM server, external datastores, proxies); the NetworkPolicies allow exactly these plus the install's own network
   *
   * @maxItems 64
   */
  allowedEgressCidrs?: Cidr[];
  privateEndpoints?: PrivateEndpoints;
}
/**
 * How users reach the portal and API.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "ingress".
 */
export interface Ingress {
  hostname: Hostname;
  /**
   * internal (a private load balancer; default) or external; renamed visibility in release 2026.12.0 (validate: RELEASE_FIELD_RENAMED, RELEASE_FIELD_TOO_NEW; installctl upgrade apply-spec moves it)
   */
  exposure?: "internal" | "external";
  /**
   * exposure's name from release 2026.12.0 on: internal (a private load balancer; default) or external. A spec sets one of the two, the one its release reads
   */
  visibility?: "internal" | "external";
  className?: KubernetesName;
  tls: IngressTls;
  dns?: IngressDns;
}
export interface SecretTls {
  mode: "secret";
  secretName: KubernetesName;
}
export interface CertManagerTls {
  mode: "cert-manager";
  issuer: KubernetesName;
  /**
   * the issuer's kind
   */
  issuerKind?: "ClusterIssuer" | "Issuer";
}
/**
 * An AWS Certificate Manager certificate (imported or issued by ACM or a private CA) that the ALB serves: the only kind an ALB can serve.
 */
export interface AcmTls {
  mode: "acm";
  /**
   * the ACM certificate's ARN, in the install's region, covering the hostname
   */
  certificateArn: string;
}
/**
 * The private DNS zone that gets the hostname's record, named in the platform's way (validate refuses another platform's key: RULE_INGRESS_DNS_PLATFORM): aws zoneId, a Route 53 private hosted zone the stack associates with a new VPC (the runbook upserts the alias to the ALB); azure privateZoneId, the zone the application routing add-on writes the A record into; gcp managedZone (and project when the zone lives in another project), a Cloud DNS private zone the stack writes the A record into. Absent: the runbook says which record to create, or external-dns does.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "ingressDns".
 */
export interface IngressDns {
  /**
   * the private hosted zone's id, such as Z0123456789ABCDEFGHIJ
   */
  zoneId?: string;
  privateZoneId?: AzurePrivateDnsZoneId;
  managedZone?: GcpResourceName;
  /**
   * the zone's project when it is not the install's (a hub project); the deployer needs roles/dns.admin there
   */
  project?: string;
}
/**
 * A private registry mirror that holds every image (required when air-gapped).
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "registry".
 */
export interface Registry {
  /**
   * the registry host, optional port and path prefix, such as registry.acme.internal:5000/installctl
   */
  mirror: string;
  /**
   * The image pull Secret for the mirror.
   */
  pullSecret?: {
    name: KubernetesName;
  };
  caBundle?: ConfigMapKeyReference;
}
/**
 * Extra certificate authorities trusted for all outbound TLS (internal services, TLS-inspecting proxies).
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "trust".
 */
export interface Trust {
  caBundle: ConfigMapKeyReference;
}
/**
 * PostgreSQL (with pgvector), Redis and RabbitMQ.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "datastores".
 */
export interface Datastores {
  postgres?: Datastore;
  redis?: Datastore;
  rabbitmq?: Datastore;
}
export interface ManagedDatastore {
  mode: "managed";
  /**
   * run a standby in a second zone
   */
  highAvailability?: boolean;
}
export interface BundledDatastore {
  mode: "bundled";
  /**
   * volume size in GiB
   */
  storageGiB?: number;
}
export interface ExternalDatastore {
  mode: "external";
  host: Hostname;
  /**
   * TCP port
   */
  port: number;
  credentials: SecretReference;
}
/**
 * A named condition accepted by a person at the customer.
 *
 * This interface was referenced by `Install`'s JSON-Schema
 * via the `definition` "acknowledgement".
 */
export interface Acknowledgement {
  /**
   * the acknowledgement id the support matrix asks for
   */
  id: string;
  acceptedBy: Email;
  /**
   * free text, one line of printable text: no control, bidi or invisible format characters
   */
  note?: string;
}
