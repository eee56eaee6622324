/**
 * What the charts must refuse, with both Helm 3.17 and Helm 4.1: cross-field `fail`s (GPU count vs
 * tensor parallelism, hf weights when air-gapped, digests, internet-only backends...) and schema
 * violations caught by `helm lint --strict`. (Whole-render properties are in render.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { helmLint } from '../../cli/conformance/helm/helm.js';
import { chartOptions, fixturePath, helmBinaries, overrideFile, render, type ChartName } from './helpers.js';

const AP = 'agent-platform' as const;
const MS = 'model-server' as const;
const AWS_CONNECTED = fixturePath(AP, 'aws-ghes-bedrock-connected.yaml');
const AWS_AIR_GAPPED = fixturePath(AP, 'aws-gitlab-bedrock-air-gapped.yaml');
const HF_CONNECTED = fixturePath(MS, 'vanilla-hf-connected.yaml');
const EKS_AIR_GAPPED = fixturePath(MS, 'eks-pvc-oci-air-gapped.yaml');

/** Renders with both Helm versions; returns [helm3, helm4]. */
async function renderBoth(chart: ChartName, files: string[], extraArgs: string[] = []) {
  const binaries = await helmBinaries();
  return Promise.all(binaries.map((binary) => render(chart, binary.helm, files, { extraArgs })));
}

async function expectFailure(chart: ChartName, name: string, base: string, override: Record<string, unknown>, message: string | RegExp, extraArgs: string[] = []) {
  for (const { result } of await renderBoth(chart, [base, overrideFile(name, override)], extraArgs)) {
    expect(result.ok, result.command.join(' ')).toBe(false);
    expect(result.stderr).toMatch(message);
  }
}

describe.concurrent('rendering fails with a clear message', () => {
  it('when a model has gpuCount != tensorParallelSize', async () => {
    const models = [{ name: 'coder', tensorParallelSize: 4, gpuCount: 2, weights: { source: 'pvc', claimName: 'weights' } }];
    await expectFailure(MS, 'gpu-mismatch', EKS_AIR_GAPPED, { models }, 'models[coder]: gpuCount (2) must equal tensorParallelSize (4)');
  });

  it('when hf weights are used in an air-gapped install', async () => {
    await expectFailure(MS, 'hf-air-gapped', HF_CONNECTED, { global: { network: 'air-gapped' } }, /models\[qwen2\.5-coder-14b\]: weights\.source hf downloads from the public Hugging Face hub, which an air-gapped install cannot reach/);
  });

  it('when a digest is missing or malformed (the schema says so; without the schema, the template does)', async () => {
    await expectFailure(AP, 'no-digest', AWS_AIR_GAPPED, { images: { migrations: { digest: '' } } }, /images.*migrations.*digest/);
    await expectFailure(AP, 'no-digest-noschema', AWS_AIR_GAPPED, { images: { migrations: { digest: '' } } }, 'images.migrations.digest must be sha256:<64 lowercase hex> (images run by digest), got ""', ['--skip-schema-validation']);
    await expectFailure(MS, 'bad-digest-noschema', EKS_AIR_GAPPED, { images: { fetcher: { digest: 'sha256:1234' } } }, 'images.fetcher.digest must be sha256:<64 lowercase hex> (images run by digest), got "sha256:1234"', ['--skip-schema-validation']);
    await expectFailure(MS, 'tag-digest-noschema', EKS_AIR_GAPPED, { images: { vllm: { digest: 'v0.11.0' } } }, 'images.vllm.digest must be sha256', ['--skip-schema-validation']);
  });

  it('when the model backend or the SCM needs the internet in an air-gapped install', async () => {
    await expectFailure(AP, 'saas-air-gapped', AWS_AIR_GAPPED, { aiGatewayBackend: { type: 'saas-api', provider: 'openai', credentials: { secretName: 'k', key: 'k' } } }, 'aiGatewayBackend.type saas-api is reached over the public internet');
    await expectFailure(AP, 'github-air-gapped', AWS_AIR_GAPPED, { scm: { type: 'github', auth: { method: 'github-app', appId: '1', secrets: { privateKey: { secretName: 'a', key: 'b' } } } } }, 'scm.type github (GitHub.com) is a public SaaS');
  });

  it('on inconsistent platform settings', async () => {
    await expectFailure(AP, 'auth-method', AWS_CONNECTED, { scm: { auth: { method: 'oauth-app', clientId: 'x' } } }, 'scm.auth.method "oauth-app" is not available for scm.type github-enterprise-server (use one of: github-app, access-token)');
    await expectFailure(AP, 'scm-secret', AWS_CONNECTED, { scm: { auth: { secrets: { webhookSecret: { secretName: '', key: '' } } } } }, 'scm.auth.secrets.webhookSecret (secretName and key) is required');
    await expectFailure(AP, 'pg-host', AWS_CONNECTED, { postgres: { host: '' } }, 'postgres.host is required when postgres.mode is external');
    await expectFailure(AP, 'bundled-iam', AWS_CONNECTED, { postgres: { mode: 'bundled' } }, 'postgres.auth iam needs a managed database');
  });

  it('on inconsistent model-server settings', async () => {
    await expectFailure(MS, 'two-autoscalers', EKS_AIR_GAPPED, { autoscaling: { hpa: { enabled: true }, keda: { enabled: true, prometheusAddress: 'http://prometheus:9090' } } }, 'enable autoscaling.hpa or autoscaling.keda, not both');
    await expectFailure(MS, 'no-api-key', EKS_AIR_GAPPED, { apiKey: { secretName: '' } }, 'apiKey.secretName is required');
    await expectFailure(MS, 'no-selector', EKS_AIR_GAPPED, { gpu: { selectorValue: '' } }, 'gpu.selectorValue is required with gpu.preset eks');
    await expectFailure(MS, 'oci-tag', EKS_AIR_GAPPED, { models: [{ name: 'm', tensorParallelSize: 1, gpuCount: 1, weights: { source: 'oci', reference: 'registry.acme.internal/models/m:latest' } }] }, 'models[m]: weights.reference must be an OCI reference pinned by digest');
    const created = (name: string, replicas: number, accessMode: string) => ({ name, tensorParallelSize: 1, gpuCount: 1, replicas, weights: { source: 'pvc', claimName: 'weights', create: { size: '10Gi', accessMode } } });
    await expectFailure(MS, 'rwo-shared', EKS_AIR_GAPPED, { models: [created('m', 2, 'ReadWriteOnce')] }, 'models[m]: a ReadWriteOnce weights claim attaches to one node');
    await expectFailure(MS, 'claim-twice', EKS_AIR_GAPPED, { models: [created('a', 1, 'ReadWriteMany'), created('b', 1, 'ReadWriteMany')] }, 'models[b]: weights.create: another model creates the claim weights too');
  });
});

describe.concurrent('helm lint --strict enforces values.schema.json', () => {
  async function lint(chart: ChartName, base: string, name: string, override: Record<string, unknown>) {
    const binaries = await helmBinaries();
    return Promise.all(binaries.map((binary) => helmLint(chartOptions(chart, binary.helm, [base, overrideFile(name, override)]))));
  }

  it.each([
    ['an unknown key in a component', AP, { portal: { replica: 3 } }, /replica/],
    ['an unknown top-level key', AP, { portals: { replicas: 3 } }, /portals/],
    ['a value outside an enum', AP, { global: { network: 'offline' } }, /network/],
    ['a wrong type', AP, { ingress: { enabled: 'sometimes' } }, /enabled/],
    ['a malformed digest', MS, { images: { vllm: { digest: 'sha256:abc' } } }, /digest/],
    ['an unknown weights source', MS, { models: [{ name: 'm', tensorParallelSize: 1, gpuCount: 1, weights: { source: 'ftp' } }] }, /source/],
  ] as const)('rejects %s', async (name, chart, override, where) => {
    for (const result of await lint(chart, chart === AP ? AWS_CONNECTED : EKS_AIR_GAPPED, `lint-${name}`, override)) {
      expect(result.ok, result.command.join(' ')).toBe(false);
      expect(result.stdout + result.stderr).toMatch(/values don't meet the specifications of the schema/);
      expect(result.stdout + result.stderr).toMatch(where);
    }
  });

  it('accepts keys a parent chart adds under global', async () => {
    for (const chart of [AP, MS] as const) {
      for (const result of await lint(chart, chart === AP ? AWS_CONNECTED : EKS_AIR_GAPPED, `global-${chart}`, { global: { storageClass: 'gp3', parentOnly: { x: 1 } } })) {
        expect(result.ok, result.stdout + result.stderr).toBe(true);
      }
    }
  });
});
