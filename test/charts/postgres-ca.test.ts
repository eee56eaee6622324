/** The PostgreSQL CA bundle the agent-platform chart ships for Azure: exactly the roots postgres-tls expects, byte for byte Node's (Mozilla's) copies. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { AZURE_POSTGRES_ROOTS, pemCertificates } from '../../cli/conformance/helm/manifest-postgres-tls.js';
import { REPO } from '../helpers/cli.js';

const AZURE_BUNDLE = readFileSync(join(REPO, 'charts', 'agent-platform', 'files', 'postgres-ca', 'azure.pem'), 'utf8');

describe('charts/agent-platform/files/postgres-ca/azure.pem', () => {
  it("the chart's Azure bundle is exactly AZURE_POSTGRES_ROOTS, each one of Node's (Mozilla's) root certificates", () => {
    const shipped = pemCertificates(AZURE_BUNDLE);
    const nodeRoots = new Map(rootCertificates.map((pem) => [new X509Certificate(pem).fingerprint256, pem]));
    expect(shipped.map((certificate) => certificate.fingerprint256).sort()).toEqual(Object.values(AZURE_POSTGRES_ROOTS).sort());
    for (const [name, print] of Object.entries(AZURE_POSTGRES_ROOTS)) {
      expect(nodeRoots.has(print), name).toBe(true);
      expect(new X509Certificate(nodeRoots.get(print)!).subject).toContain(`CN=${name}`);
    }
    for (const certificate of shipped) expect(certificate.raw.equals(new X509Certificate(nodeRoots.get(certificate.fingerprint256)!).raw)).toBe(true);
  });
});
