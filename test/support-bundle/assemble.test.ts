import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { assembleBundleFiles } from '../../cli/support-bundle/assemble.js';
import type { BundleObjects } from '../../cli/cluster/bundle-collect.js';
import { AIR_GAPPED_SPEC } from '../helpers/bundles.js';
import { sampleEvidence } from './sample-bundle.js';
import { NS } from './objects.js';

const OK = { status: 'ok', httpStatus: null, message: '' } as const;

function filesWith(log: BundleObjects['logs'][number]) {
  const lists = { pods: [], events: [], deployments: [], statefulSets: [], jobs: [], persistentVolumeClaims: [], helmReleases: [] };
  const status = Object.fromEntries(Object.keys(lists).map((name) => [name, OK])) as BundleObjects['namespaces'][number]['status'];
  return assembleBundleFiles({
    installctl: '0.1.0',
    cluster: { context: 'fake', server: 'https://127.0.0.1:6443', version: sampleEvidence().version },
    specDocument: parse(readFileSync(AIR_GAPPED_SPEC, 'utf8')),
    manifest: null,
    evidence: sampleEvidence(),
    objects: { namespaces: [{ namespace: NS, lists, status }], logs: [log] },
    maxLogLines: 1000,
  });
}

describe('a container log in the bundle', () => {
  it('says when the server cut it at limitBytes: the newest lines are what is missing', () => {
    const cut = filesWith({ namespace: NS, pod: 'api-0', container: 'api', previous: false, text: 'old line\n', cutByServer: true, status: OK });
    expect(cut.find((file) => file.path.endsWith('api-0/api.log'))!.truncated).toMatch(/^server-limit: the newest lines are missing$/);
    const whole = filesWith({ namespace: NS, pod: 'api-0', container: 'api', previous: false, text: 'old line\n', cutByServer: false, status: OK });
    expect(whole.find((file) => file.path.endsWith('api-0/api.log'))!.truncated).toBeNull();
  });
});
