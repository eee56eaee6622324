/**
 * The Model weights step on its own: a cloud-registry mirror without a pull Secret gets a minted
 * one for the fetcher; a rerun deletes a Job that did not complete and the wait stops at a
 * failure; a nested weights path exists before kubectl cp.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { baseValues, mergeValues } from '../../cli/emit/charts.js';
import { cloudRegistry, weightsStep, WEIGHTS_PULL_SECRET } from '../../cli/emit/runbook-weights.js';
import { logicalCommands, shellBlocks, syntaxErrors } from '../helpers/shell-sandbox.js';
import type { InstallSettings } from '../../stacks/settings.js';

type Values = Record<string, any>;

const settings = { name: 'acme-prod', workloads: { modelsNamespace: 'acme-models' }, onprem: null } as unknown as InstallSettings;

function values(pullSecret: string | null, path = 'models/qwen'): Values {
  return mergeValues(baseValues('model-server'), {
    global: { imagePullSecrets: pullSecret ? [{ name: pullSecret }] : [] },
    models: [{ name: 'qwen', role: 'chat', gpuCount: 1, tensorParallelSize: 1, weights: { source: 'pvc', claimName: 'weights-qwen', path } }],
  });
}

function jobOf(step: string[]): Values {
  const text = step.join('\n');
  const bodies = [...text.matchAll(/<<'YAML'\n([\s\S]*?)\nYAML/g)].map((match) => match[1]!);
  return bodies.flatMap((body) => parseAllDocuments(body).map((doc) => doc.toJS() as Values)).find((manifest) => manifest.kind === 'Job')!;
}

describe('weights Job against a cloud-registry mirror', () => {
  it.each([
    ['ECR', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/installctl', 'aws ecr get-login-password --region eu-west-1'],
    ['ACR', 'northwindagents.azurecr.io/installctl', 'az acr login --name northwindagents'],
    ['Artifact Registry', 'europe-west4-docker.pkg.dev/northwind-prod/installctl', 'gcloud auth print-access-token'],
  ])('%s without a pull Secret: a minted login authenticates the fetcher', (_, mirror, login) => {
    const step = weightsStep(settings, values(null), mirror);
    const job = jobOf(step);
    const volume = job.spec.template.spec.volumes.find((v: Values) => v.name === 'registry-auth');
    expect(volume?.secret.secretName).toBe(WEIGHTS_PULL_SECRET);
    expect(job.spec.template.spec.containers[0].env).toContainEqual({ name: 'DOCKER_CONFIG', value: '/etc/installctl/registry' });
    const text = step.join('\n');
    const mint = text.indexOf(`create secret docker-registry ${WEIGHTS_PULL_SECRET}`);
    expect(mint).toBeGreaterThan(-1);
    expect(text).toContain(login);
    expect(mint).toBeLessThan(text.indexOf('kind: Job'));
    expect(text).toContain(`delete secret ${WEIGHTS_PULL_SECRET} --ignore-not-found`);
    expect(syntaxErrors(shellBlocks(['```sh', ...step.slice(step.indexOf('```sh') + 1)].join('\n')).flatMap(logicalCommands))).toEqual([]);
  });

  it.each([
    ['a configured pull Secret on a cloud registry', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/installctl', 'registry-pull'],
    ['a site registry', 'registry.northwind.corp/installctl', 'registry-pull'],
  ])('%s: the configured Secret, nothing minted', (_, mirror, secret) => {
    const step = weightsStep(settings, values(secret), mirror);
    expect(jobOf(step).spec.template.spec.volumes.find((v: Values) => v.name === 'registry-auth').secret.secretName).toBe(secret);
    expect(step.join('\n')).not.toContain(WEIGHTS_PULL_SECRET);
  });

  it.each([['registry.northwind.corp'], ['123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.example'], ['evil.azurecr.io.example']])(
    '%s is not taken for a cloud registry',
    (host) => expect(cloudRegistry(`${host}/x`)).toBeNull(),
  );
});

/** Runs the step's shell block with a kubectl stub answering `wait --for=condition=X` from the given states. */
function runStep(step: string[], states: { complete: boolean; failed: boolean }): { calls: string[]; stderr: string; ms: number } {
  const dir = mkdtempSync(join(tmpdir(), 'installctl-weights-'));
  const script = shellBlocks(['```sh', ...step.slice(step.indexOf('```sh') + 1)].join('\n')).join('\n');
  const stub = [
    'kubectl() {',
    `  printf '%s\\n' "$*" >> ${JSON.stringify(join(dir, 'calls'))}`,
    '  case "$*" in',
    `    *"wait --for=condition=complete"*) return ${states.complete ? 0 : 1} ;;`,
    `    *"wait --for=condition=Failed"*) return ${states.failed ? 0 : 1} ;;`,
    '    *"get pvc"*|*"get job"*) return 1 ;;',
    '  esac',
    '  cat >/dev/null',
    '}',
  ].join('\n');
  writeFileSync(join(dir, 'step.sh'), `${stub}\n${script}\n`);
  const started = Date.now();
  const run = spawnSync('bash', ['--noprofile', '--norc', join(dir, 'step.sh')], { encoding: 'utf8', timeout: 60_000, input: '' });
  const calls = spawnSync('cat', [join(dir, 'calls')], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean);
  return { calls, stderr: run.stderr, ms: Date.now() - started };
}

describe('the weights step on a rerun', () => {
  const mirror = 'registry.northwind.corp/installctl';

  it('a Job that did not complete is deleted before it is applied again', () => {
    const { calls } = runStep(weightsStep(settings, values('registry-pull'), mirror), { complete: false, failed: true });
    const deleted = calls.findIndex((call) => call.includes('delete job load-weights-qwen --ignore-not-found'));
    const applied = calls.findIndex((call, index) => index > deleted && call.includes('apply -f -'));
    expect(deleted).toBeGreaterThan(-1);
    expect(applied).toBeGreaterThan(deleted);
  });

  it('a completed Job is kept: nothing deleted, nothing applied', () => {
    const { calls } = runStep(weightsStep(settings, values('registry-pull'), mirror), { complete: true, failed: false });
    expect(calls.filter((call) => call.includes('delete job'))).toEqual([]);
  });

  it('a failed Job ends the wait at once, with its log', () => {
    const { calls, stderr } = runStep(weightsStep(settings, values('registry-pull'), mirror), { complete: false, failed: true });
    expect(calls.filter((call) => call.includes('wait --for=condition=complete job/') && call.includes('--timeout=30s'))).toHaveLength(1);
    expect(calls.some((call) => call.includes('logs job/load-weights-qwen'))).toBe(true);
    expect(stderr).toContain('job/load-weights-qwen failed');
  });
});

describe('weights copied from this host', () => {
  it.each([
    ['a nested path', 'models/qwen/instruct', true],
    ['no path', '', false],
  ])('%s: the target directory exists before kubectl cp', (_, path, nested) => {
    const text = weightsStep(settings, values(null, path), null).join('\n');
    const mkdir = text.indexOf(`exec copy-weights-qwen -- mkdir -p /models/${path}`);
    expect(mkdir > -1).toBe(nested);
    if (nested) expect(mkdir).toBeLessThan(text.indexOf(' cp weights/qwen/.'));
  });
});
