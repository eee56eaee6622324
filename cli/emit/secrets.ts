/**
 * Secret references from the spec become Kubernetes Secret references in the Helm values. A
 * secretRef names an existing Secret; an externalRef becomes an ExternalSecret (External Secrets
 * Operator) that syncs into a Secret named after the install and purpose. No value ever passes.
 */
import type { SecretReference } from '../generated/install-spec.js';

export interface SecretKeyValue {
  secretName: string;
  key: string;
}

export interface ExternalSecretValue {
  name: string;
  store: string;
  path: string;
  keys: Array<{ secretKey: string; remoteKey?: string }>;
}

export class SecretReferences {
  readonly external: ExternalSecretValue[] = [];

  constructor(private readonly installName: string) {}

  /** The Secret name and key a workload reads; registers an ExternalSecret for external references. */
  ref(reference: SecretReference, purpose: string): SecretKeyValue {
    if (reference.secretRef) return { secretName: reference.secretRef.name, key: reference.secretRef.key };
    const external = reference.externalRef!;
    const name = `${this.installName}-${purpose}`;
    const key = external.key ?? purpose;
    if (!this.external.some((entry) => entry.name === name)) {
      this.external.push({ name, store: external.store, path: external.path, keys: [{ secretKey: key, ...(external.key ? { remoteKey: external.key } : {}) }] });
    }
    return { secretName: name, key };
  }
}
