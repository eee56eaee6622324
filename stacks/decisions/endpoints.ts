/**
 * Which private endpoints a network needs (the air-gapped core set, object storage and the model
 * service), and who may reach a public cluster API endpoint.
 */
import type { ClusterSettings, InstallSettings } from '../settings.js';

/**
 * AWS interface endpoints an air-gapped EKS cluster needs to pull images, join nodes and use IRSA;
 * acm: the AWS Load Balancer Controller finds the ALB's certificate by the Ingress host.
 */
export const AWS_AIRGAP_INTERFACE_SERVICES = ['ec2', 'ecr.api', 'ecr.dkr', 'sts', 'logs', 'elasticloadbalancing', 'autoscaling', 'kms', 'secretsmanager', 'eks', 'eks-auth', 'acm'] as const;

export interface EndpointPlan {
  /** Interface endpoints for the cluster itself (AWS service names, without the com.amazonaws.REGION prefix). */
  core: string[];
  /** Reach object storage privately (S3 gateway endpoint, blob private endpoint, Private Google Access). */
  objectStorage: boolean;
  /** Reach the cloud model service through a private endpoint (cloud-managed models only). */
  modelService: boolean;
}

export function planEndpoints(settings: Pick<InstallSettings, 'network' | 'models' | 'platform'> & { newNetwork: boolean }): EndpointPlan {
  const airGapped = settings.network.mode === 'air-gapped';
  const cloudModels = settings.models.hosting === 'cloud-managed';
  return {
    // Existing air-gapped networks come with their landing zone's endpoints; we add only what the cell needs.
    core: airGapped && settings.newNetwork && settings.platform === 'aws' ? [...AWS_AIRGAP_INTERFACE_SERVICES] : [],
    objectStorage: airGapped || settings.network.privateEndpoints.objectStorage,
    modelService: cloudModels && (airGapped || settings.network.privateEndpoints.modelService),
  };
}

/**
 * Who may reach the cluster API from outside. private: nobody (the default, and always when
 * air-gapped). cidrs: the spec's allow-list. own-egress: only the install's own NAT addresses, the
 * narrowest list known without one (new connected networks; the caller resolves the addresses).
 * A public endpoint never falls back to "anywhere": with no list at all it stays private.
 */
export type PublicApiSources = { kind: 'private' } | { kind: 'cidrs'; cidrs: string[] } | { kind: 'own-egress' };

export function publicApiSources(cluster: ClusterSettings, networkMode: 'connected' | 'air-gapped', ownEgressKnown: boolean): PublicApiSources {
  if (cluster.mode !== 'new' || cluster.apiEndpoint !== 'public' || networkMode !== 'connected') return { kind: 'private' };
  const cidrs = (cluster.publicAccessCidrs ?? []).filter((cidr) => cidr !== '0.0.0.0/0');
  if (cidrs.length > 0) return { kind: 'cidrs', cidrs };
  return ownEgressKnown ? { kind: 'own-egress' } : { kind: 'private' };
}
