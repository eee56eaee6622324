/** Which private endpoints a network needs: the air-gapped core set, object storage and the model service. */
import type { InstallSettings } from '../settings.js';

/** AWS interface endpoints an air-gapped EKS cluster needs to pull images, join nodes and use IRSA. */
export const AWS_AIRGAP_INTERFACE_SERVICES = ['ec2', 'ecr.api', 'ecr.dkr', 'sts', 'logs', 'elasticloadbalancing', 'autoscaling', 'kms', 'secretsmanager', 'eks', 'eks-auth'] as const;

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
