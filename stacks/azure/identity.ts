import * as pulumi from '@pulumi/pulumi';
import * as authorization from '@pulumi/azure-native/authorization/index.js';
import * as dbforpostgresql from '@pulumi/azure-native/dbforpostgresql/index.js';
import * as managedidentity from '@pulumi/azure-native/managedidentity/index.js';
import * as redisenterprise from '@pulumi/azure-native/redisenterprise/index.js';
import type { AzureCloud, InstallSettings, ObjectStoreWeights } from '../settings.js';
import { requireValid } from '../settings.js';
import { migrationsServiceAccount, serviceAccountSubject } from '../decisions/workloads.js';
import { roleDefinitionId, WORKLOAD_IDENTITY_AUDIENCE, type AzureRole } from './common.js';

export interface AzureIdentityArgs {
  installName: string;
  cloud: AzureCloud;
  models: InstallSettings['models'];
  workloads: InstallSettings['workloads'];
  resourceGroupName: pulumi.Input<string>;
  /** The cluster's OIDC issuer URL (https://...). */
  oidcIssuerUrl: pulumi.Input<string>;
  storageAccountId: pulumi.Input<string>;
  /** The Azure OpenAI account (cloud-managed models); null otherwise. */
  openAiAccountId: pulumi.Input<string> | null;
  /** Managed PostgreSQL server: the platform identity becomes its Entra ID administrator. */
  postgresServerName: pulumi.Input<string> | null;
  /** The last operation on that server: the administrator waits for it (a flexible server takes one operation at a time). */
  postgresLastOperation?: pulumi.Resource | null;
  /** Managed Redis: the platform identity gets the default access policy on its database. */
  redis: { clusterName: pulumi.Input<string>; databaseName: pulumi.Input<string> } | null;
  tags: Record<string, string>;
}

/** Identity names are fixed so operators can find them from the service account. */
export function azureIdentityName(installName: string, serviceAccount: string): string {
  return `${installName}-${serviceAccount}`;
}

/**
 * Role scopes for the model server's weights: each container, in the install's resource group (the
 * spec names the storage account and container, not the account's resource group).
 */
export function azureWeightsScopes(cloud: Pick<AzureCloud, 'subscriptionId' | 'resourceGroup'>, weights: ObjectStoreWeights[]): string[] {
  const scopes = weights.map(
    (w) => `/subscriptions/${cloud.subscriptionId}/resourceGroups/${cloud.resourceGroup}/providers/Microsoft.Storage/storageAccounts/${w.bucket}/blobServices/default/containers/${w.container ?? ''}`,
  );
  return [...new Set(scopes)];
}

/**
 * Workload identities for the platform's service accounts: one user-assigned identity each, with a
 * federated credential that trusts only that service account through the cluster's OIDC issuer.
 * The platform may use its storage account (and is the Entra ID user of the managed PostgreSQL and
 * Redis), the AI gateway may call the Azure OpenAI account (cloud-managed), and the model server
 * may read its weights containers (self-hosted, azure-blob).
 */
export class AzureIdentity extends pulumi.ComponentResource {
  /** Client ids by service account: the Helm values' azure.workload.identity/client-id annotations. */
  readonly clientIds: Record<string, pulumi.Output<string>> = {};
  /** The Entra ID administrator's principal name on the managed PostgreSQL, or null: what the chart must sign in as. */
  readonly databaseUser: pulumi.Output<string> | null = null;

  constructor(name: string, args: AzureIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:azure:Identity', name, {}, opts);
    const { models, workloads, cloud } = args;
    requireValid('AzureIdentity', [
      models.hosting === 'cloud-managed' && models.provider !== 'azure-openai' && `Azure serves cloud-managed models through azure-openai, not ${models.provider}`,
      models.hosting === 'cloud-managed' && args.openAiAccountId === null && 'cloud-managed models need the Azure OpenAI account',
      models.hosting !== 'cloud-managed' && args.openAiAccountId !== null && `no Azure OpenAI access for ${models.hosting} models`,
      models.weights.some((weights) => weights.source !== 'azure-blob') && 'Azure model servers read weights from azure-blob only',
      models.weights.some((weights) => !weights.container) && 'azure-blob weights need a container',
    ]);
    const parent = { parent: this };

    const identity = (serviceAccount: string, namespace: string, grants: Array<{ role: AzureRole; scope: pulumi.Input<string> }>) => {
      const created = new managedidentity.UserAssignedIdentity(
        `${name}-${serviceAccount}`,
        { resourceGroupName: args.resourceGroupName, location: cloud.location, resourceName: azureIdentityName(args.installName, serviceAccount), tags: args.tags },
        parent,
      );
      // The platform identity also serves the chart's migration Job account (same namespace).
      const trusted = serviceAccount === workloads.serviceAccounts.platform ? [serviceAccount, migrationsServiceAccount(serviceAccount)] : [serviceAccount];
      for (const account of trusted) {
        new managedidentity.FederatedIdentityCredential(
          `${name}-${account}`,
          {
            resourceGroupName: args.resourceGroupName,
            resourceName: created.name,
            federatedIdentityCredentialResourceName: account,
            issuer: args.oidcIssuerUrl,
            subject: serviceAccountSubject(namespace, account),
            audiences: [WORKLOAD_IDENTITY_AUDIENCE],
          },
          parent,
        );
      }
      grants.forEach((grant, index) =>
        new authorization.RoleAssignment(
          `${name}-${serviceAccount}-${grant.role}${grants.length > 1 ? `-${index}` : ''}`,
          { scope: grant.scope, roleDefinitionId: roleDefinitionId(cloud, grant.role), principalId: created.principalId, principalType: 'ServicePrincipal', description: `installctl ${args.installName}: ${serviceAccount}` },
          parent,
        ),
      );
      this.clientIds[serviceAccount] = created.clientId;
      return created;
    };

    const platform = identity(workloads.serviceAccounts.platform, workloads.platformNamespace, [{ role: 'storageBlobDataContributor', scope: args.storageAccountId }]);
    if (args.postgresServerName !== null) {
      const administrator = new dbforpostgresql.Administrator(
        `${name}-postgres-admin`,
        { resourceGroupName: args.resourceGroupName, serverName: args.postgresServerName, objectId: platform.principalId, principalName: platform.name, principalType: 'ServicePrincipal', tenantId: cloud.tenantId },
        { parent: this, dependsOn: args.postgresLastOperation ? [args.postgresLastOperation] : [] },
      );
      // Entra ID sign-in uses the administrator's principal name as the PostgreSQL role.
      this.databaseUser = administrator.principalName.apply((principal) => principal ?? '');
    }
    if (args.redis !== null) {
      new redisenterprise.AccessPolicyAssignment(
        `${name}-redis-access`,
        { resourceGroupName: args.resourceGroupName, clusterName: args.redis.clusterName, databaseName: args.redis.databaseName, accessPolicyName: 'default', accessPolicyAssignmentName: 'platform', user: { objectId: platform.principalId } },
        parent,
      );
    }
    if (models.hosting === 'cloud-managed' && args.openAiAccountId !== null) {
      identity(workloads.serviceAccounts.aiGateway, workloads.platformNamespace, [{ role: 'cognitiveServicesOpenAiUser', scope: args.openAiAccountId }]);
    }
    if (models.hosting === 'self-hosted' && models.weights.length > 0) {
      identity(
        workloads.serviceAccounts.modelServer,
        workloads.modelsNamespace,
        azureWeightsScopes(cloud, models.weights).map((scope) => ({ role: 'storageBlobDataReader', scope })),
      );
    }
    this.registerOutputs({ clientIds: this.clientIds, databaseUser: this.databaseUser });
  }
}
