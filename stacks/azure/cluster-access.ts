/**
 * Who may use a new AKS cluster and what its add-ons may write: the Azure RBAC cluster admins a
 * cluster without local accounts needs (or nobody runs kubectl), and the application routing add-on's
 * right to write the Ingress host's record into the customer's private DNS zone.
 */
import * as pulumi from '@pulumi/pulumi';
import * as authorization from '@pulumi/azure-native/authorization/index.js';
import type { AzureCloud, AzureClusterAdmin } from '../settings.js';
import { armIdParts, roleDefinitionId } from './common.js';

/** The principals to grant Azure Kubernetes Service RBAC Cluster Admin: the spec's, else whoever runs `pulumi up`. */
export type ClusterAdminPlan = { kind: 'spec'; admins: AzureClusterAdmin[] } | { kind: 'deployer' };

export function clusterAdminPlan(cloud: Pick<AzureCloud, 'clusterAdmins'>): ClusterAdminPlan {
  const admins = cloud.clusterAdmins ?? [];
  return admins.length > 0 ? { kind: 'spec', admins } : { kind: 'deployer' };
}

/** Client ids of Microsoft's first-party CLIs: a deployer signed in through them is a user. */
const USER_CLI_CLIENT_IDS = new Set([
  '04b07795-8ddb-461a-bbee-02f9e1bf7b46', // Azure CLI
  '1950a258-227b-4e31-a9cf-717495945fc2', // Azure PowerShell
]);

/**
 * The deployer's principal type, from the client id its token carries: the role assignment must
 * name it (the SDK defaults to User, and Azure refuses a type that does not match the principal).
 * A token without a client id (managed identity, OIDC federation, a config that omits it) is not one
 * of the user CLIs: a service principal.
 */
export function deployerPrincipalType(clientId: string | undefined | null): 'User' | 'ServicePrincipal' {
  return typeof clientId === 'string' && USER_CLI_CLIENT_IDS.has(clientId.toLowerCase()) ? 'User' : 'ServicePrincipal';
}

/** One RBAC Cluster Admin assignment per planned principal, scoped to the cluster. */
export function assignClusterAdmins(
  component: pulumi.Resource,
  name: string,
  args: { installName: string; cloud: AzureCloud; clusterId: pulumi.Input<string> },
): authorization.RoleAssignment[] {
  const parent = { parent: component };
  const plan = clusterAdminPlan(args.cloud);
  const grant = (suffix: string, principalId: pulumi.Input<string>, principalType: pulumi.Input<AzureClusterAdmin['type']>) =>
    new authorization.RoleAssignment(
      `${name}-admin-${suffix}`,
      {
        scope: args.clusterId,
        roleDefinitionId: roleDefinitionId(args.cloud, 'aksRbacClusterAdmin'),
        principalId,
        principalType,
        description: `installctl ${args.installName}: AKS cluster admin`,
      },
      parent,
    );
  if (plan.kind === 'spec') return plan.admins.map((admin) => grant(admin.objectId, admin.objectId, admin.type));
  const deployer = authorization.getClientConfigOutput(parent);
  return [grant('deployer', deployer.objectId, deployer.clientId.apply(deployerPrincipalType))];
}

/**
 * The application routing add-on's managed external-dns writes an A record for each Ingress host it
 * serves into the zones the cluster lists (the internal NGINX load balancer's private address, known
 * only once the add-on has created it): its identity needs Private DNS Zone Contributor on the zone.
 * The role is defined in the zone's own subscription.
 */
export function grantIngressDns(component: pulumi.Resource, name: string, args: { installName: string; zoneId: string; addOnObjectId: pulumi.Input<string> }): authorization.RoleAssignment {
  const zone = armIdParts(args.zoneId);
  if (!zone) throw new Error(`${args.zoneId} is not a private DNS zone resource id`);
  return new authorization.RoleAssignment(
    `${name}-ingress-dns`,
    {
      scope: args.zoneId,
      roleDefinitionId: roleDefinitionId({ subscriptionId: zone.subscriptionId }, 'privateDnsZoneContributor'),
      principalId: args.addOnObjectId,
      principalType: 'ServicePrincipal',
      description: `installctl ${args.installName}: application routing DNS records`,
    },
    { parent: component },
  );
}

/** The zone's name (the DNS suffix the Ingress host must end with). */
export function privateZoneName(zoneId: string): string | null {
  return armIdParts(zoneId)?.name ?? null;
}
