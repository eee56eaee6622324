/**
 * A support bundle written in-process (no cluster): valid preflight evidence of an EKS cluster, the
 * air-gapped example spec, and one namespace whose indexer is crash-looping after an OOM kill. For
 * tests that analyze a bundle (the CLI's --json rows among them).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { PreflightEvidence } from '../../cli/generated/preflight-evidence.js';
import type { BundleObjects } from '../../cli/cluster/bundle-collect.js';
import { assembleBundleFiles } from '../../cli/support-bundle/assemble.js';
import { BUNDLE_API_VERSION, BUNDLE_KIND, writeBundleArchive } from '../../cli/support-bundle/archive.js';
import { AIR_GAPPED_SPEC } from '../helpers/bundles.js';
import { NS, oomCrashLoop, pod } from './objects.js';

export const SAMPLE_COLLECTED_AT = '2026-12-02T21:00:00.000Z';

export function sampleEvidence(server = 'https://127.0.0.1:6443'): PreflightEvidence {
  return {
    apiVersion: 'installctl.dev/v1alpha1',
    kind: 'PreflightEvidence',
    installctl: '0.1.0',
    collectedAt: '2026-12-02T21:00:00Z',
    install: { name: 'acme-gov', cell: 'aws/github-enterprise-server/self-hosted/air-gapped', specSha256: 'a'.repeat(64) },
    cluster: { context: 'fake', server, namespacePrefix: '' },
    collectors: { version: { status: 'ok', httpStatus: null, message: '' }, storageClasses: { status: 'ok', httpStatus: null, message: '' } },
    version: { gitVersion: 'v1.35.2-eks-3025e55', major: '1', minor: '35', platform: 'linux/amd64' },
    distribution: { name: 'eks', signals: ['version suffix -eks-'] },
    apiResources: ['v1'],
    nodes: [],
    daemonSets: [],
    storageClasses: [{ name: 'gp3', provisioner: 'ebs.csi.aws.com', isDefault: true, volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true }],
    ingressClasses: [],
    crds: [],
    namespaces: [],
    accessReviews: [],
    secrets: [],
    configMaps: [],
    active: null,
  };
}

const OK = { status: 'ok', httpStatus: null, message: '' } as const;

function sampleObjects(): BundleObjects {
  const lists = { pods: [pod('api-0'), oomCrashLoop('indexer-0')], events: [], deployments: [], statefulSets: [], jobs: [], persistentVolumeClaims: [], helmReleases: [] };
  const status = Object.fromEntries(Object.keys(lists).map((name) => [name, OK])) as BundleObjects['namespaces'][number]['status'];
  return {
    namespaces: [{ namespace: NS, lists, status }],
    logs: [{ namespace: NS, pod: 'indexer-0', container: 'api', previous: true, text: 'Killed\n', cutByServer: false, status: OK }],
  };
}

/** Writes the sample bundle to file. */
export async function writeSampleBundle(file: string): Promise<void> {
  const files = assembleBundleFiles({
    installctl: '0.1.0',
    cluster: { context: 'fake', server: 'https://127.0.0.1:6443', version: sampleEvidence().version },
    specDocument: parse(readFileSync(AIR_GAPPED_SPEC, 'utf8')),
    manifest: null,
    evidence: sampleEvidence(),
    objects: sampleObjects(),
    maxLogLines: 1000,
  });
  const header = {
    apiVersion: BUNDLE_API_VERSION,
    kind: BUNDLE_KIND,
    installctl: '0.1.0',
    collectedAt: SAMPLE_COLLECTED_AT,
    install: { name: 'acme-gov', cell: 'aws/github-enterprise-server/self-hosted/air-gapped', specSha256: 'a'.repeat(64) },
    options: { since: '24h', sinceSeconds: 86400, maxLogLines: 1000, namespacePrefix: null, render: 'in memory' },
  } as const;
  writeFileSync(file, (await writeBundleArchive(header, files)).bytes);
}
