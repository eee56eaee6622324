/**
 * ingress-class: what serves the chart's Ingress. An IngressClass object by the values' className;
 * on GKE the gce classes are annotations served by ingress-gce (its cloud.google.com API shows it
 * runs); on OpenShift the chart writes Routes, so route.openshift.io/v1 must be served.
 */
import { checkResult, shown, type Analyzer } from './analyzer-kit.js';

export const ingressClass: Analyzer = (requirements, evidence) => {
  const id = 'ingress-class';
  const ingress = requirements.ingress!;
  if (ingress.kind === 'route' || ingress.kind === 'gce') {
    const served = evidence.apiResources.includes(ingress.apiGroupVersion);
    const what = ingress.kind === 'route' ? 'OpenShift Routes' : `GKE's ${ingress.className} class (ingress-gce)`;
    return [
      served
        ? checkResult(id, 'pass', `${ingress.apiGroupVersion} is served: ${what} available`, '', ingress.kind === 'route' ? 'Route' : ingress.className)
        : checkResult(
            id,
            'fail',
            `${ingress.apiGroupVersion} is not served: ${what} unavailable`,
            ingress.kind === 'route' ? 'run on OpenShift, or set spec.platform.distribution to what the cluster is' : 'enable the HTTP Load Balancing add-on of the GKE cluster',
            ingress.kind === 'route' ? 'Route' : ingress.className,
          ),
    ];
  }
  const found = evidence.ingressClasses.find((candidate) => candidate.name === ingress.className);
  const available = evidence.ingressClasses.map((candidate) => `${shown(candidate.name)} (${shown(candidate.controller)})`).join(', ') || 'none';
  if (!found)
    return [
      checkResult(
        id,
        'fail',
        `IngressClass ${ingress.className} does not exist: the Ingress would get no address; classes: ${available}`,
        `install the controller that serves ${ingress.className}${requirements.platform === 'onprem' ? ', or set spec.platform.ingressClass (or spec.ingress.className) to an existing class' : ' (see RUNBOOK.md, prerequisites), or set spec.ingress.className to an existing class'}`,
        ingress.className,
      ),
    ];
  return [checkResult(id, 'pass', `IngressClass ${shown(found.name)} exists (controller ${shown(found.controller)})`, '', ingress.className)];
};
