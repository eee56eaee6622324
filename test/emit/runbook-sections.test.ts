/**
 * RUNBOOK.md sections per dimension, over every example and every supported or conditional cell's
 * starter spec (and each on-prem one again as OpenShift with an ingress class set):
 * - OpenShift: Routes, checked as Routes; no IngressClass anywhere;
 * - pvc weights: every claim the model server mounts is created (name, namespace, size of the
 *   values) and filled, by a Job pulling MIRROR/models/<model>:weights with the fetcher image the
 *   bundle carries, or without a mirror by `kubectl cp` from weights/<model>/;
 * - cloud-managed models: a model access and quota step before the infrastructure naming every
 *   catalog model id with its check;
 * - a private API server: how to reach it comes before the first kubectl line;
 * - the SCM's scopes by their own name (organizations, groups, projects);
 * - every shell command passes bash -n.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { render } from '../../cli/services/render.js';
import { init } from '../../cli/services/init.js';
import { renderableCells, cellFileName } from '../helpers/cells.js';
import { exampleFiles } from '../helpers/specs.js';
import { logicalCommands, shellBlocks, syntaxErrors } from '../helpers/shell-sandbox.js';
import { apiReach } from '../../cli/emit/runbook-cluster-access.js';
import type { InstallSettings } from '../../stacks/settings.js';

type Values = Record<string, any>;

interface Rendered {
  id: string;
  spec: any;
  runbook: string;
  images: string[];
  agentPlatform: Values;
  modelServer: Values | null;
  settings: InstallSettings;
}

function renderSpec(id: string, specText: string): Rendered {
  const root = mkdtempSync(join(tmpdir(), 'installctl-runbook-sections-'));
  writeFileSync(join(root, 'spec.yaml'), specText);
  const result = render({ spec: join(root, 'spec.yaml'), outDir: join(root, 'out'), allowPlaceholders: true });
  if (!result.valid) throw new Error(`${id}: ${JSON.stringify(result.issues)}`);
  const read = (path: string) => readFileSync(join(root, 'out', path), 'utf8');
  const has = (path: string) => result.files.some((file) => file.path === path);
  return {
    id,
    spec: parse(specText),
    runbook: read('RUNBOOK.md'),
    images: read('images.txt').trim().split('\n'),
    agentPlatform: parse(read('helm/agent-platform.values.yaml')),
    modelServer: has('helm/model-server.values.yaml') ? parse(read('helm/model-server.values.yaml')) : null,
    settings: result.settings!,
  };
}

const starter = (cell: { platform: string; scm: string; models: string; network: string }) =>
  init({ platform: cell.platform, scm: cell.scm, models: cell.models, network: cell.network, name: 'acme-prod', customer: 'Example Corp' }).spec;

/** An on-prem starter spec as OpenShift, with an ingress class the chart must ignore there. */
const asOpenShift = (spec: string) => spec.replace(/distribution: vanilla/, 'distribution: openshift').replace(/(\n\s+)hostname: ([^\n]+)/, '$1hostname: $2$1className: nginx');

const SPECS: Array<[string, () => string]> = [
  ...exampleFiles().map((file) => [`example ${basename(file)}`, () => readFileSync(file, 'utf8')] as [string, () => string]),
  ...renderableCells().map((cell) => [`cell ${cell.id}`, () => starter(cell)] as [string, () => string]),
  ...renderableCells()
    .filter((cell) => cell.platform === 'onprem')
    .map((cell) => [`cell ${cell.id} on OpenShift`, () => asOpenShift(starter(cell))] as [string, () => string]),
];

/** The markdown section whose heading is `## N. title`, up to the next heading. */
function section(runbook: string, title: string): string | null {
  const match = new RegExp(`^## \\d+\\. ${title.replace(/[()]/g, '\\$&')}\\n([\\s\\S]*?)(?=^## |(?![\\s\\S]))`, 'm').exec(runbook);
  return match ? match[1]! : null;
}

const position = (runbook: string, title: string) => runbook.search(new RegExp(`^## \\d+\\. ${title}`, 'm'));

/** The manifests given to `kubectl apply -f - <<'YAML'` in a section, parsed. */
function inlineManifests(text: string): Values[] {
  return [...text.matchAll(/<<'YAML'\n([\s\S]*?)\nYAML$/gm)].flatMap((match) => parseAllDocuments(match[1]!).map((doc) => doc.toJS() as Values));
}

function openShiftProblems(r: Rendered): string[] {
  const openshift = r.agentPlatform.global.platform === 'openshift';
  const problems: string[] = [];
  if (openshift) {
    if (/ingress ?class/i.test(r.runbook)) problems.push('an OpenShift runbook names an ingress class');
    if (!/Routes?\b/.test(section(r.runbook, 'Prerequisites') ?? '')) problems.push('Prerequisites do not name Routes');
    if (
      !shellBlocks(section(r.runbook, 'Verify') ?? '')
        .join('\n')
        .includes('get routes.route.openshift.io')
    )
      problems.push('Verify does not check the Routes');
  } else if (r.runbook.includes('route.openshift.io')) problems.push('Routes outside OpenShift');
  return problems;
}

function weightsProblems(r: Rendered): string[] {
  const models = ((r.modelServer?.models ?? []) as Values[]).filter((model) => model.weights.source === 'pvc');
  const step = section(r.runbook, 'Model weights');
  if (models.length === 0) return step === null ? [] : ['a Model weights step without pvc weights'];
  if (step === null) return ['no Model weights step'];
  const problems: string[] = [];
  if (position(r.runbook, 'Model weights') > position(r.runbook, 'Install the charts')) problems.push('weights are loaded after the charts install');
  const namespace = r.settings.workloads.modelsNamespace;
  const manifests = inlineManifests(step);
  const mirror: string | undefined = r.spec.spec.registry?.mirror;
  const fetcher = r.images.find((image) => image.includes('/agent-platform/model-fetcher@'));
  for (const model of models) {
    const claim = manifests.find((m) => m.kind === 'PersistentVolumeClaim' && m.metadata.name === model.weights.claimName);
    if (!claim) problems.push(`${model.name}: no claim ${model.weights.claimName}`);
    else {
      if (claim.metadata.namespace !== namespace) problems.push(`${model.name}: claim in ${claim.metadata.namespace}`);
      if (claim.spec.resources.requests.storage !== (r.modelServer!.defaults?.weightsVolume?.size ?? '200Gi'))
        problems.push(`${model.name}: claim size ${claim.spec.resources.requests.storage}`);
    }
    if (!step.includes(`get pvc ${model.weights.claimName} >/dev/null 2>&1 || kubectl -n ${namespace} apply -f - <<'YAML'`))
      problems.push(`${model.name}: the claim is not created only when missing`);
    const path = String(model.weights.path ?? '').replace(/^\/+|\/+$/g, '');
    const dest = path ? `/models/${path}` : '/models';
    if (mirror) {
      const job = manifests.find((m) => m.kind === 'Job' && m.spec.template.spec.volumes.some((v: Values) => v.persistentVolumeClaim?.claimName === model.weights.claimName));
      const container = job?.spec.template.spec.containers[0];
      if (!container) problems.push(`${model.name}: no load Job`);
      else {
        if (JSON.stringify(container.args) !== JSON.stringify(['fetch', 'oci', '--dest', dest, '--reference', `${mirror}/models/${model.name}:weights`]))
          problems.push(`${model.name}: Job args ${JSON.stringify(container.args)}`);
        if (!fetcher || container.image.slice(container.image.indexOf('@')) !== fetcher.slice(fetcher.indexOf('@')))
          problems.push(`${model.name}: the Job's image ${container.image} is not the fetcher images.txt lists`);
        if (!step.includes(`wait --for=condition=complete job/${job.metadata.name}`)) problems.push(`${model.name}: the Job is not waited for`);
      }
    } else if (!step.includes(`cp weights/${model.name}/. copy-weights-${model.name}:${dest}`)) problems.push(`${model.name}: no kubectl cp into the claim`);
  }
  // images.txt lists what runs: the fetcher only when a chart init container or the load Job runs it.
  const fetchedByChart = ((r.modelServer?.models ?? []) as Values[]).some((model) => model.weights.source !== 'pvc' && model.weights.source !== 'hf');
  if (!mirror && !fetchedByChart && fetcher) problems.push('images.txt lists the fetcher, which nothing runs');
  return problems;
}

const MODEL_CHECK: Record<string, (name: string) => string> = {
  bedrock: (name) => `get-foundation-model-availability --model-id ${name} `,
  'azure-openai': (name) => `OpenAI.Standard.${name}'`,
  vertex: (name) => `--model-filter ${name}`,
};

function modelAccessProblems(r: Rendered): string[] {
  const models = r.spec.spec.models;
  const step = section(r.runbook, 'Model access and quota');
  if (models.hosting !== 'cloud-managed') return step === null ? [] : ['a model access step without cloud-managed models'];
  if (step === null) return ['no Model access and quota step'];
  const problems: string[] = [];
  if (position(r.runbook, 'Infrastructure') >= 0 && position(r.runbook, 'Model access and quota') > position(r.runbook, 'Infrastructure'))
    problems.push('model access comes after the infrastructure');
  const checks = shellBlocks(step).join('\n');
  for (const model of models.catalog) {
    if (!step.includes(`\`${model.name}\``)) problems.push(`${model.name} is not named`);
    if (!checks.includes(MODEL_CHECK[models.provider]!(model.name))) problems.push(`${model.name} has no ${models.provider} check`);
  }
  if (!/quota/i.test(step)) problems.push('no quota');
  return problems;
}

const REACH_PATH: Record<string, string> = { aws: 'AWS-StartPortForwardingSessionToRemoteHost', azure: 'az aks command invoke', gcp: '--tunnel-through-iap' };

function clusterAccessProblems(r: Rendered): string[] {
  const step = section(r.runbook, 'Cluster access') ?? '';
  const commands = shellBlocks(step).flatMap(logicalCommands);
  const firstKubectl = commands.findIndex((line) => line.startsWith('kubectl '));
  if (!r.settings.cloud) return commands[firstKubectl]?.startsWith('kubectl config use-context') ? [] : ['on-prem: no kube context first'];
  const reach = apiReach(r.settings);
  const path = commands.findIndex((line) => line.includes(REACH_PATH[r.settings.platform]!));
  if (reach === 'public') return path >= 0 ? ['a public endpoint with a private path'] : [];
  const problems: string[] = [];
  if (path < 0) problems.push(`private API server: no ${REACH_PATH[r.settings.platform]}`);
  if (path > firstKubectl) problems.push('the way in comes after the first kubectl line');
  if (!step.includes(reach === 'private' ? 'API endpoint is private' : "If the cluster's API endpoint is private")) problems.push(`no sentence for a ${reach} endpoint`);
  return problems;
}

const SCOPES: Record<string, [string, string]> = {
  github: ['GitHub organizations', 'organizations'],
  'github-enterprise-server': ['GitHub Enterprise Server organizations', 'organizations'],
  'gitlab-self-managed': ['GitLab groups', 'groups'],
  'bitbucket-data-center': ['Bitbucket Data Center projects', 'projects'],
};

function scmProblems(r: Rendered): string[] {
  const scm = r.spec.spec.scm;
  const [label, key] = SCOPES[scm.type]!;
  const problems: string[] = [];
  const expected = `connect the ${label} ${(scm[key] as string[]).map((scope) => `\`${scope}\``).join(', ')}.`;
  if (!r.runbook.includes(expected)) problems.push(`does not say: ${expected}`);
  if (/organization\(s\)/.test(r.runbook)) problems.push('organization(s)');
  if (key !== 'organizations' && /organi[sz]ation/i.test(r.runbook)) problems.push(`${scm.type}: names organizations`);
  return problems;
}

describe.each(SPECS)('RUNBOOK.md of %s', (id, spec) => {
  const rendered = renderSpec(id, spec());
  it('OpenShift: Routes, never an ingress class', () => expect(openShiftProblems(rendered)).toEqual([]));
  it('pvc weights: each claim created and loaded before the charts', () => expect(weightsProblems(rendered)).toEqual([]));
  it('cloud-managed: access and quota for every catalog model', () => expect(modelAccessProblems(rendered)).toEqual([]));
  it('a private API server is reached before the first kubectl line', () => expect(clusterAccessProblems(rendered)).toEqual([]));
  it('the SCM scopes by their own name', () => expect(scmProblems(rendered)).toEqual([]));
  it('every shell command passes bash -n', () => expect(syntaxErrors(shellBlocks(rendered.runbook).flatMap(logicalCommands))).toEqual([]));
});

describe('the checks catch what they guard', () => {
  const base = renderSpec('openshift', asOpenShift(starter({ platform: 'onprem', scm: 'gitlab-self-managed', models: 'self-hosted', network: 'air-gapped' })));
  it('an ingress class on OpenShift, Routes elsewhere', () => {
    expect(openShiftProblems({ ...base, runbook: base.runbook + '\nkubectl get ingressclass nginx\n' })).toContain('an OpenShift runbook names an ingress class');
    expect(openShiftProblems({ ...base, agentPlatform: { global: { platform: 'vanilla' } } })).toEqual(['Routes outside OpenShift']);
  });
  it('a missing claim, Job or weights step; a step without pvc weights', () => {
    expect(weightsProblems({ ...base, runbook: base.runbook.replace(/kind: PersistentVolumeClaim/g, 'kind: ConfigMap') })[0]).toMatch(/no claim/);
    expect(weightsProblems({ ...base, runbook: base.runbook.replace(/kind: Job/g, 'kind: Pod') })[0]).toMatch(/no load Job/);
    expect(weightsProblems({ ...base, runbook: base.runbook.replace('. Model weights', '. Weights') })).toEqual(['no Model weights step']);
    expect(weightsProblems({ ...base, modelServer: null })).toEqual(['a Model weights step without pvc weights']);
  });
  it('groups called organizations', () => {
    expect(scmProblems({ ...base, runbook: base.runbook.replace('GitLab groups', 'gitlab-self-managed organization(s)') })).toHaveLength(3);
  });
  it('a cloud model without its check', () => {
    const bedrock = renderSpec('bedrock', starter({ platform: 'aws', scm: 'github', models: 'cloud-managed', network: 'connected' }));
    const name = bedrock.spec.spec.models.catalog[0].name;
    expect(modelAccessProblems({ ...bedrock, runbook: bedrock.runbook.replaceAll(`--model-id ${name}`, '--model-id other') })).toEqual([`${name} has no bedrock check`]);
    expect(clusterAccessProblems({ ...bedrock, runbook: bedrock.runbook.replace('AWS-StartPortForwardingSessionToRemoteHost', 'X') })).toEqual([
      'private API server: no AWS-StartPortForwardingSessionToRemoteHost',
    ]);
  });
});

describe('an existing cluster: the way in is conditional', () => {
  it.each(['aws/github/saas-api/connected', 'azure/github/saas-api/connected', 'gcp/github/saas-api/connected'])('%s', (id) => {
    const cell = renderableCells().find((c) => c.id === id)!;
    const spec = starter(cell).replace(/cluster:\n( +)mode: new[^\n]*\n(?:\1\w+:[^\n]*\n)*/, 'cluster:\n$1mode: existing\n$1name: agents-prod\n');
    const rendered = renderSpec(cellFileName(id), spec);
    expect(rendered.settings.cluster.mode).toBe('existing');
    expect(clusterAccessProblems(rendered)).toEqual([]);
    expect(section(rendered.runbook, 'Cluster access')).toContain("If the cluster's API endpoint is private");
  });
});
