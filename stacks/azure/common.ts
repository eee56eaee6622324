/** Small Azure helpers shared by the Azure components: built-in roles, resource names, private link. */
import type { AzureCloud, InstallSettings } from '../settings.js';
import { planEndpoints } from '../decisions/endpoints.js';

/** Built-in role definition GUIDs (fixed across all Azure tenants). */
export const AZURE_ROLES = {
  keyVaultCryptoServiceEncryptionUser: 'e147488a-f6f5-4113-8e2d-b22465e65bf6',
  keyVaultCryptoUser: '12338af0-0e69-4776-bea7-57ae8d297424',
  keyVaultContributor: 'f25e0fa2-a7c8-4377-a976-54943a77a395',
  networkContributor: '4d97b98b-1d4f-4787-a291-c67834d212e7',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
  cognitiveServicesOpenAiUser: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd',
  /** Azure Kubernetes Service RBAC Cluster Admin: kubectl on a cluster without local accounts. */
  aksRbacClusterAdmin: 'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b',
  /** Private DNS Zone Contributor: the application routing add-on writes the Ingress host's records. */
  privateDnsZoneContributor: 'b12aa53e-6015-4669-85d0-8515ebb3ae7f',
} as const;

export type AzureRole = keyof typeof AZURE_ROLES;

export function roleDefinitionId(cloud: Pick<AzureCloud, 'subscriptionId'>, role: AzureRole): string {
  return `/subscriptions/${cloud.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${AZURE_ROLES[role]}`;
}

/** The parts of an ARM resource id (/subscriptions/S/resourceGroups/G/providers/NS/TYPE/NAME): null when it is not one. */
export function armIdParts(id: string): { subscriptionId: string; resourceGroup: string; name: string } | null {
  const match = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/[^/]+\/[^/]+\/([^/]+)$/i.exec(id);
  return match ? { subscriptionId: match[1]!, resourceGroup: match[2]!, name: match[3]! } : null;
}

/** The audience AKS workload identity tokens carry. */
export const WORKLOAD_IDENTITY_AUDIENCE = 'api://AzureADTokenExchange';

/** FNV-1a, 32 bits, as 8 hex digits: a short deterministic suffix for globally unique names. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

const alnum = (value: string) => value.toLowerCase().replace(/[^a-z0-9]/g, '');
/** A DNS-label prefix of at most max characters that does not end with '-'. */
const labelPrefix = (value: string, max: number) => value.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/-{2,}/g, '-').slice(0, max).replace(/-+$/, '');

export interface AzureNames {
  /** Key Vault: 3-24 letters, digits and '-', globally unique. */
  keyVault: string;
  /** Storage account: 3-24 lowercase letters and digits, globally unique. */
  storageAccount: string;
  /** PostgreSQL flexible server: 3-63 lowercase letters, digits and '-', globally unique (DNS). */
  postgres: string;
  /** Azure Managed Redis cluster: globally unique DNS label. */
  redis: string;
  /** Azure OpenAI account and its custom subdomain: globally unique DNS label. */
  openAi: string;
}

/**
 * Names of the install's globally unique Azure resources: the install name plus a hash of the
 * subscription, resource group and install, so the same spec always renders the same names and
 * two installs with one name in different subscriptions do not collide.
 */
export function azureNames(installName: string, cloud: Pick<AzureCloud, 'subscriptionId' | 'resourceGroup'>): AzureNames {
  const hash = shortHash(`${cloud.subscriptionId}/${cloud.resourceGroup}/${installName}`);
  const short = hash.slice(0, 6);
  return {
    keyVault: `kv-${labelPrefix(installName, 13)}-${short}`,
    storageAccount: `${alnum(installName).slice(0, 16)}${hash}`,
    postgres: `${labelPrefix(installName, 50)}-pg-${short}`,
    redis: `${labelPrefix(installName, 47)}-redis-${short}`,
    openAi: `${labelPrefix(installName, 46)}-openai-${short}`,
  };
}

/** Services reached through private endpoints, with their private DNS zone and private link group. */
export const PRIVATE_LINK = {
  vault: { zone: 'privatelink.vaultcore.azure.net', groupId: 'vault' },
  postgres: { zone: 'privatelink.postgres.database.azure.com', groupId: 'postgresqlServer' },
  redis: { zone: 'privatelink.redis.azure.net', groupId: 'redisEnterprise' },
  blob: { zone: 'privatelink.blob.core.windows.net', groupId: 'blob' },
  openai: { zone: 'privatelink.openai.azure.com', groupId: 'account' },
  acr: { zone: 'privatelink.azurecr.io', groupId: 'registry' },
} as const;

export type PrivateService = keyof typeof PRIVATE_LINK;

/**
 * The private endpoints an install needs, hence its private DNS zones: the Key Vault and the storage
 * account always (their public access is off), each managed data service, the registry, and the
 * model service when the endpoint plan asks for it.
 */
export function azurePrivateServices(settings: Pick<InstallSettings, 'network' | 'models' | 'platform' | 'datastores' | 'registry' | 'cloud'>): PrivateService[] {
  const newNetwork = settings.cloud?.type === 'azure' && settings.cloud.vnet.mode === 'new';
  const plan = planEndpoints({ ...settings, newNetwork });
  const services: PrivateService[] = [];
  services.push('vault');
  if (settings.datastores.postgres === 'managed') services.push('postgres');
  if (settings.datastores.redis === 'managed') services.push('redis');
  services.push('blob');
  if (plan.modelService) services.push('openai');
  if (settings.registry?.kind === 'acr') services.push('acr');
  return services;
}
