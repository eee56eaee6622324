/**
 * Which Ingress controller serves the agent-platform chart on each platform, and what the cluster
 * must run for it: the chart's Ingress gets no address until that controller exists.
 */
import type { InstallSettings } from '../settings.js';

export type IngressExposure = 'internal' | 'external';

/**
 * AKS application routing add-on: a managed NGINX whose default controller serves this class from
 * the namespace below, behind the Service `nginx`. No Application Gateway is needed (AGIC's class
 * azure-application-gateway would need one that no install creates).
 */
export const AKS_APP_ROUTING = { ingressClass: 'webapprouting.kubernetes.azure.com', namespace: 'app-routing-system', service: 'nginx' } as const;

/**
 * The add-on on a new AKS cluster. Whether its load balancer is internal is a property of the
 * default NGINX controller, not of the Ingress: Internal keeps it on the VNet whatever an annotation says.
 */
export function aksAppRouting(exposure: IngressExposure): { webAppRouting: { enabled: true; nginx: { defaultIngressControllerType: 'Internal' | 'External' } } } {
  return { webAppRouting: { enabled: true, nginx: { defaultIngressControllerType: exposure === 'external' ? 'External' : 'Internal' } } };
}

/**
 * The chart's default ingress class for the platform (its ap.ingressClass helper): null on OpenShift,
 * which gets Routes. GKE's classes are annotations, not IngressClass objects.
 */
export function defaultIngressClass(settings: Pick<InstallSettings, 'platform' | 'onprem'>, exposure: IngressExposure): string | null {
  switch (settings.platform) {
    case 'aws':
      return 'alb';
    case 'azure':
      return AKS_APP_ROUTING.ingressClass;
    case 'gcp':
      return exposure === 'internal' ? 'gce-internal' : 'gce';
    case 'onprem':
      return settings.onprem?.distribution === 'openshift' ? null : (settings.onprem?.ingressClass ?? 'nginx');
  }
}

/** The ingress zone when it is a Route 53 private hosted zone (aws). */
export function awsIngressDns(settings: Pick<InstallSettings, 'ingress'>): { zoneId: string } | null {
  const dns = settings.ingress?.dns;
  return dns && 'zoneId' in dns ? dns : null;
}

/** The ingress zone when it is a Cloud DNS managed zone (gcp; project null: the install's own). */
export function gcpIngressDns(settings: Pick<InstallSettings, 'ingress'>): { managedZone: string; project: string | null } | null {
  const dns = settings.ingress?.dns;
  return dns && 'managedZone' in dns ? dns : null;
}
