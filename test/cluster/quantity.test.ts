/** Kubernetes quantities, the pods' requests a node holds, and the pager and status mapper support bundles reuse. */
import { describe, expect, it } from 'vitest';
import { ApiException, type V1Pod } from '@kubernetes/client-node';
import { collectorStatusOf, listAll } from '../../cli/cluster/api-status.js';
import { podRequests } from '../../cli/cluster/collectors-cluster.js';
import { pullSecretRegistries, registryHost } from '../../cli/cluster/collectors-namespaced.js';
import { formatQuantity, parseQuantity } from '../../cli/cluster/quantity.js';

describe('quantities', () => {
  it.each([
    ['100m', 100_000_000n],
    ['1', 1_000_000_000n],
    ['1.5', 1_500_000_000n],
    ['2Ki', 2048n * 1_000_000_000n],
    ['1G', 1_000_000_000n * 1_000_000_000n],
    ['1e3', 1000n * 1_000_000_000n],
    ['0.1m', 100_000n],
    ['1n', 1n],
    ['.5', 500_000_000n],
  ])('%s is %s nano-units', (text, nanos) => {
    expect(parseQuantity(text)).toBe(nanos);
  });

  it('refuses what is not a quantity', () => {
    for (const text of ['', 'abc', '1.2.3', '5 Gi', '1Q']) expect(parseQuantity(text)).toBeNull();
  });

  it('writes totals back as whole numbers, millis or nanos', () => {
    expect([formatQuantity(8_000_000_000n), formatQuantity(3_920_000_000n), formatQuantity(1_500n)]).toEqual(['8', '3920m', '1500n']);
  });
});

const container = (requests: Record<string, string>, restartPolicy?: string) => ({ name: 'c', image: 'i', resources: { requests }, ...(restartPolicy ? { restartPolicy } : {}) });

describe('podRequests', () => {
  it('counts containers and sidecars, the largest plain init container when it is more, and the overhead', () => {
    const pod: V1Pod = {
      spec: {
        containers: [container({ cpu: '500m', memory: '1Gi' }), container({ cpu: '250m', 'nvidia.com/gpu': '1' })],
        initContainers: [container({ cpu: '2', memory: '128Mi' }), container({ cpu: '100m' }, 'Always')],
        overhead: { cpu: '10m' },
      },
    };
    const total = Object.fromEntries([...podRequests(pod)].map(([name, value]) => [name, formatQuantity(value)]));
    // init: 2 CPUs + the 100m sidecar started before it = 2100m > 850m of the running containers; memory 1Gi > 128Mi.
    expect(total).toEqual({ cpu: '2110m', memory: String(1024 ** 3), 'nvidia.com/gpu': '1' });
  });
});

describe('listAll and collectorStatusOf', () => {
  it('follows continue and stops at maxItems', async () => {
    const pages = [
      { items: [1, 2], metadata: { _continue: 'a' } },
      { items: [3, 4], metadata: { _continue: 'b' } },
      { items: [5], metadata: {} },
    ];
    const asked: Array<string | undefined> = [];
    const fetch = (page: { _continue?: string }) => {
      asked.push(page._continue);
      return Promise.resolve(pages[asked.length - 1]!);
    };
    expect(await listAll(fetch, { maxItems: 10 })).toEqual({ items: [1, 2, 3, 4, 5], truncated: false });
    expect(asked).toEqual([undefined, 'a', 'b']);
    asked.length = 0;
    expect(await listAll(fetch, { maxItems: 3 })).toEqual({ items: [1, 2, 3], truncated: true });
  });

  it('maps 403 and 404 Status answers, escaping what the server said', () => {
    const status = (code: number, message: string) => new ApiException(code, 'x', JSON.stringify({ kind: 'Status', code, message }), {});
    expect(collectorStatusOf(status(403, 'nodes is forbidden'), 'list nodes')).toEqual({
      status: 'forbidden',
      httpStatus: 403,
      message: 'list nodes: HTTP 403: nodes is forbidden',
    });
    expect(collectorStatusOf(status(404, 'not \x1b[31mfound'), 'get x').message).toBe('get x: HTTP 404: not \\x1b[31mfound');
    expect(collectorStatusOf(status(500, 'etcd down'), 'list pods').status).toBe('failed');
    expect(collectorStatusOf(new Error('socket hang up'), 'list pods')).toEqual({ status: 'failed', httpStatus: null, message: 'list pods: socket hang up' });
  });
});

describe('pull secrets', () => {
  it('keeps only the registry hosts of auths', () => {
    const config = { auths: { 'https://index.docker.io/v1/': { auth: 'c2VjcmV0' }, 'Mirror.Corp.Example:5000': { password: 'p' } }, credHelpers: { 'x.example': 'ecr-login' } };
    const secret = { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(JSON.stringify(config)).toString('base64') } };
    expect(pullSecretRegistries(secret)).toEqual(['index.docker.io', 'mirror.corp.example:5000']);
    expect(registryHost('registry.example/v2/')).toBe('registry.example');
  });

  it('gives no registries for a malformed config or another Secret type', () => {
    expect(pullSecretRegistries({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from('{not json').toString('base64') } })).toEqual([]);
    expect(pullSecretRegistries({ type: 'Opaque', data: { '.dockerconfigjson': Buffer.from('{"auths":{"a.example":{}}}').toString('base64') } })).toEqual([]);
  });
});
