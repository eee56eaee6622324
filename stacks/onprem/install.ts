import * as pulumi from '@pulumi/pulumi';
import type { InstallSettings } from '../settings.js';
import { requireValid } from '../settings.js';

export interface OnpremInstallArgs {
  settings: InstallSettings;
}

/**
 * An on-prem install creates no cloud resources: the cluster exists. The stack records the
 * cluster facts the charts and the runbook need (kubeconfig context, storage class, ingress
 * class, namespaces) as outputs, so every platform is driven the same way.
 */
export class OnpremInstall extends pulumi.ComponentResource {
  readonly outputs: Record<string, pulumi.Input<unknown>>;

  constructor(name: string, args: OnpremInstallArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:onprem:Install', name, {}, opts);
    const { settings } = args;
    const onprem = settings.onprem;
    requireValid('OnpremInstall', [
      settings.platform !== 'onprem' && `platform is ${settings.platform}, not onprem`,
      onprem === null && 'settings.onprem is missing',
      settings.cloud !== null && 'an on-prem install has no cloud settings',
      settings.registry !== null && 'an on-prem install does not create a registry',
    ]);
    this.outputs = {
      distribution: onprem!.distribution,
      kubeContext: onprem!.kubeContext,
      storageClass: onprem!.storageClass,
      ingressClass: onprem!.ingressClass,
      platformNamespace: settings.workloads.platformNamespace,
      modelsNamespace: settings.workloads.modelsNamespace,
    };
    this.registerOutputs(this.outputs);
  }
}
