/**
 * Adversarial suite, boundaries "values -> Helm output" and "relocation map -> values" (issue 10,
 * item 1): no value can add a key, a list item or a document to what the charts render.
 *
 * Every scalar leaf of the merged values of real cells (customer layer from `installctl render`,
 * infrastructure layer from the Pulumi outputs) and of chart fixtures (proxy, external secrets,
 * OpenShift routes, autoscalers, hf weights), plus a new key in each user-extensible map, is set to
 * each hostile payload of PAYLOADS, and rendered by the real Helm 3 and Helm 4 with the schema
 * skipped (the templates alone, as a customer who skips it would get them). Helm must refuse the
 * values, or render exactly what it renders for a harmless marker in the same leaf (see
 * test/helpers/hostile-values.ts). Relocation: every image of a cell relocated to a hostile target
 * lands verbatim in `image:`, or Helm refuses the values. Last, the values schemas themselves refuse
 * line breaks and control characters in names, image references, hosts and URLs (Helm 3 and 4, and
 * installctl's precompiled validators of the same schemas).
 */
import type { RelocatedImage } from '../../cli/bundle/relocation.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { helmTemplate, type HelmResult } from '../../cli/conformance/helm/helm.js';
import { containersOf, podTemplates } from '../../cli/conformance/helm/pods.js';
import { chartDir, chartImages, checkChartValues, type ChartName, type Values } from '../../cli/emit/charts.js';
import { relocateValues } from '../../cli/emit/relocate.js';
import { UserError } from '../../cli/lib/errors.js';
import { CONCURRENCY, fixturePath, helmBinaries, mapLimit, mergedValues, type HelmBinary } from '../charts/helpers.js';
import { cellValues, type CellValues } from '../helpers/cell-values.js';
import { leafName, PAYLOADS, probe, valuesJson, type Finding, type ProbeStats } from '../helpers/hostile-values.js';

const AWS_SELF_HOSTED = 'aws/github-enterprise-server/self-hosted/air-gapped';
const CELLS = [
  AWS_SELF_HOSTED,
  'gcp/gitlab-self-managed/cloud-managed/connected',
  'onprem/bitbucket-data-center/saas-api/connected',
  'onprem/gitlab-self-managed/self-hosted/air-gapped',
];

/** Values sets per chart: cells first, then fixtures for what cells never emit. */
const SETS: Record<ChartName, string[]> = {
  'agent-platform': [CELLS[0]!, CELLS[1]!, CELLS[2]!, 'openshift-gitlab-in-cluster-air-gapped.yaml', 'aws-ghes-bedrock-connected.yaml'],
  'model-server': [CELLS[0]!, CELLS[3]!, 'vanilla-hf-connected.yaml', 'gke-gcs-keda-air-gapped.yaml'],
};
/** Leaves the templates check before use (their harmless marker fails): tested one by one. Others are found by halving. */
const CHECKED = /^(scm\.type|scm\.auth\.method|models\.\d+\.weights\.source|autoscaling\.(hpa|keda)\.enabled|networkPolicy\.allowedCidrs\.\d+)$/;
/** The payload for those leaves (each costs a render per leaf); the batched leaves get every payload. */
const SINGLE_PAYLOADS = PAYLOADS.slice(0, 1);

const cells = new Map<string, CellValues>();
const outcomes = new Map<string, { findings: Finding[]; stats: ProbeStats }>();
const probeKey = (chart: ChartName, set: string, helm: string) => `${chart} ${set} ${helm}`;
let binaries: HelmBinary[];

function valuesOf(chart: ChartName, set: string): Values {
  return set.endsWith('.yaml') ? mergedValues(chart, [fixturePath(chart, set)]) : cells.get(set)!.merged[chart]!;
}

beforeAll(async () => {
  binaries = await helmBinaries();
  for (const id of CELLS) cells.set(id, await cellValues(id));
  const jobs = (Object.keys(SETS) as ChartName[]).flatMap((chart) => SETS[chart].flatMap((set) => binaries.map((binary) => ({ chart, set, binary }))));
  const started = performance.now();
  await mapLimit(jobs, CONCURRENCY, async ({ chart, set, binary }) => {
    const renderer = { chart, helm: binary.helm, releaseName: chart, namespace: `acme-${chart}` };
    // The checked leaves are checked by the same template code in every set: test them in the first one.
    const options = { single: CHECKED, singlePayloads: SINGLE_PAYLOADS, testSingles: set === SETS[chart][0] };
    outcomes.set(probeKey(chart, set, binary.name), await probe(renderer, valuesOf(chart, set), options));
  });
  const renders = [...outcomes.values()].reduce((sum, outcome) => sum + outcome.stats.renders, 0);
  console.log(`hostile values: ${renders} helm renders in ${Math.round(performance.now() - started)} ms`);
}, 900_000);

describe('hostile strings in every value leaf: Helm refuses them or renders them verbatim, adding nothing', () => {
  it('no template runs tpl (a value holding {{ }} would be executed)', () => {
    for (const chart of Object.keys(SETS) as ChartName[]) {
      for (const file of readdirSync(join(chartDir(chart), 'templates'))) {
        const actions = readFileSync(join(chartDir(chart), 'templates', file), 'utf8').match(/\{\{(?!-?\s*\/\*)[\s\S]*?\}\}/g) ?? [];
        expect(
          actions.filter((action) => /(^|[\s(|{])tpl\s/.test(action)),
          `${chart}/templates/${file}`,
        ).toEqual([]);
      }
    }
  });

  describe.each(Object.keys(SETS) as ChartName[])('%s', (chart) => {
    it.each(SETS[chart].flatMap((set) => ['helm3', 'helm4'].map((helm) => [set, helm] as const)))('%s (%s)', (set, helm) => {
      const { findings, stats } = outcomes.get(probeKey(chart, set, helm))!;
      expect(stats.leaves).toBeGreaterThan(chart === 'agent-platform' ? 150 : 60);
      expect(findings.map((finding) => `${leafName(finding.leaf)} <- ${finding.payload}: ${finding.problem}`)).toEqual([]);
    });
  });
});

function documents(result: HelmResult): unknown[] {
  return loadAll(result.stdout, null, { schema: CORE_SCHEMA }).filter((document) => document !== null && document !== undefined);
}

/** Every key of every map in the documents. */
function keysOf(node: unknown, into: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) keysOf(item, into);
  else if (node !== null && typeof node === 'object')
    for (const [key, value] of Object.entries(node)) {
      into.push(key);
      keysOf(value, into);
    }
  return into;
}

/**
 * A relocation map that points each image at a hostile target: the payload in the registry host or
 * in the repository path (the issue's example: a newline and YAML in a target reached `image:` of the
 * root device-plugin DaemonSet). The map's own checks are another layer (RELOCATION_*); this is the
 * charts' own defence, whatever a map lets through.
 */
function hostileMap(chart: ChartName, merged: Values, make: (tag: string) => string, where: 'registry' | 'repository'): Map<string, RelocatedImage> {
  const map = new Map<string, RelocatedImage>();
  chartImages(chart, merged).forEach((source, index) => {
    const [name, digest] = source.split('@') as [string, string];
    const repository = name.slice(name.indexOf('/') + 1);
    const tag = `rl${index}x`;
    // Parts as a map reader that let anything through would hand them over: the charts must hold on their own.
    map.set(
      source,
      where === 'registry'
        ? { registry: make(tag), repository: `site/${repository}`, digest }
        : { registry: 'registry.acme.internal:5000', repository: `site/${repository}${make(tag)}`, digest },
    );
  });
  return map;
}

describe('relocation map -> values: a hostile target lands verbatim in image: or Helm refuses it', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'hostile-relocation-'));
  });

  const cases = PAYLOADS.flatMap((payload) => (['registry', 'repository'] as const).map((where) => [payload.name, where, payload.make] as const));
  it.each(cases)(
    "%s in the target's %s",
    async (_name, where, make) => {
      const cell = cells.get(AWS_SELF_HOSTED)!;
      for (const chart of ['model-server', 'agent-platform'] as const) {
        const map = hostileMap(chart, cell.merged[chart]!, make, where);
        let layer: Values;
        try {
          layer = relocateValues(chart, cell.layers[chart]!, map, 'hostile.relocation.json');
        } catch (error) {
          // Refused at the map already (RELOCATION_*): nothing reaches the chart.
          expect(error instanceof UserError && error.code.startsWith('RELOCATION_'), String(error)).toBe(true);
          continue;
        }
        const files = [join(work, `${chart}-${where}-${map.size}-${Math.random().toString(36).slice(2)}.json`), join(work, `${chart}-infra.json`)];
        writeFileSync(files[0]!, valuesJson(layer));
        writeFileSync(files[1]!, valuesJson(cell.infra[chart]));
        // Helm 3 with the chart's schema, Helm 4 with the templates alone.
        for (const [binary, extraArgs] of [
          [binaries[0]!, []],
          [binaries[1]!, ['--skip-schema-validation']],
        ] as const) {
          {
            const result = await helmTemplate({ helm: binary.helm, chartDir: chartDir(chart), valuesFiles: files, releaseName: chart, namespace: 'acme', extraArgs });
            const context = `${chart}, ${binary.name}${extraArgs.length ? ', schema skipped' : ''}`;
            if (!result.ok) {
              expect(result.stderr, context).not.toMatch(/YAML parse error on|error converting YAML to JSON/);
              continue;
            }
            const docs = documents(result);
            expect(
              keysOf(docs).filter((key) => /injected/.test(key)),
              context,
            ).toEqual([]);
            expect(
              docs.map((doc) => (doc as { kind?: string }).kind).filter((kind) => kind === 'Pod' || kind === undefined),
              context,
            ).toEqual([]);
            const targets = new Set([...map.values()].map((target) => `${target.registry}/${target.repository}@${target.digest}`));
            const images = podTemplates(docs as never).flatMap((template) => containersOf(template.spec).map(({ container }) => container.image));
            expect(images.length, context).toBeGreaterThan(0);
            for (const image of images) expect(targets.has(image!), `${context}: ${JSON.stringify(image)}`).toBe(true);
          }
        }
      }
    },
    120_000,
  );
});

/** Sets a value (or, with key, adds a map entry) at a dotted path of a copy. */
function withValue(values: Values, path: string, value: unknown, key?: string): Values {
  const copy = structuredClone(values);
  const keys = path.split('.');
  const parent = keys.slice(0, key ? undefined : -1).reduce<any>((node, part) => node[part], copy);
  if (key) parent[key] = value;
  else parent[keys[keys.length - 1]!] = value;
  return copy;
}

const DIGEST = 'sha256:32d8e77b27449f85c979b36ee509e89e4bee68213011018202fea8ea856cd667';
const SCHEMA_CASES: ReadonlyArray<readonly [ChartName, string, string, unknown, string?]> = [
  ['agent-platform', 'aws-ghes-bedrock-connected.yaml', 'images.portal.registry', 'registry.acme.internal\ninjected: true'],
  ['agent-platform', 'aws-ghes-bedrock-connected.yaml', 'images.portal.repository', 'agent-platform/portal\n          command: [sh] #'],
  ['agent-platform', 'aws-ghes-bedrock-connected.yaml', 'images.portal.tag', 'v1 #'],
  ['agent-platform', 'aws-ghes-bedrock-connected.yaml', 'global.imageRegistry', 'mirror.acme.internal:5000/site\r\ninjected: true'],
  ['agent-platform', 'aws-ghes-bedrock-connected.yaml', 'postgres.host', 'db.acme.internal\ninjected: true'],
  ['agent-platform', 'aws-ghes-bedrock-connected.yaml', 'postgres.credentials.secretName', 'pg\u0085injected: true'],
  ['agent-platform', 'aws-ghes-bedrock-connected.yaml', 'scm.auth.secrets.webhookSecret.key', 'webhook\ninjected: true'],
  ['agent-platform', 'aws-ghes-bedrock-connected.yaml', 'global.caBundle.configMapName', 'ca\u2028injected: true'],
  ['agent-platform', 'aws-ghes-bedrock-connected.yaml', 'scm.url', 'https://git.acme.internal/\ninjected: true'],
  ['agent-platform', 'aws-ghes-bedrock-connected.yaml', 'install.release', '2026.11.0\u001b[31m'],
  ['agent-platform', 'aws-ghes-bedrock-connected.yaml', 'networkPolicy.dnsNamespace', 'kube-system\n'],
  ['agent-platform', 'aws-ghes-bedrock-connected.yaml', 'ingress.annotations', 'x', 'example.com/a\ninjected: true'],
  ['agent-platform', 'openshift-gitlab-in-cluster-air-gapped.yaml', 'externalSecrets.0.path', 'secret/data/acme\ninjected: true'],
  ['model-server', 'eks-pvc-oci-air-gapped.yaml', 'images.devicePlugin.repository', `vendor/k8s-device-plugin\n          command: [sh] #`],
  ['model-server', 'eks-pvc-oci-air-gapped.yaml', 'images.vllm.registry', `registry.acme.internal/x@${DIGEST}`],
  ['model-server', 'eks-pvc-oci-air-gapped.yaml', 'gpu.selectorValue', 'p5.48xlarge\ninjected: true'],
  ['model-server', 'eks-pvc-oci-air-gapped.yaml', 'gpu.nodeSelector', 'x', 'node.acme/pool\ninjected'],
  ['model-server', 'eks-pvc-oci-air-gapped.yaml', 'models.0.extraArgs', ['--enable-prefix-caching\n']],
  ['model-server', 'eks-pvc-oci-air-gapped.yaml', 'runtimeClassName', 'nvidia\n'],
  ['model-server', 'eks-pvc-oci-air-gapped.yaml', 'apiKey.secretName', 'models-key\tinjected'],
];

describe('the values schemas refuse line breaks and control characters in names, references, hosts and URLs', () => {
  const cases = SCHEMA_CASES.map(([chart, fixture, path, value, key]) => ({ chart, fixture, path, value, key }));
  it.each(cases)('$chart ($fixture): $path', async ({ chart, fixture, path, value, key }) => {
    const values = withValue(mergedValues(chart, [fixturePath(chart, fixture)]), path, value, key);
    expect(checkChartValues(chart, values).length, "installctl's validator of the chart schema").toBeGreaterThan(0);
    const file = join(mkdtempSync(join(tmpdir(), 'hostile-schema-')), 'values.json');
    writeFileSync(file, valuesJson(values));
    for (const binary of binaries) {
      const result = await helmTemplate({ helm: binary.helm, chartDir: chartDir(chart), valuesFiles: [file], releaseName: chart, namespace: 'acme' });
      expect(result.ok, `${binary.name} accepted it`).toBe(false);
      expect(result.stderr, binary.name).toMatch(/schema/i);
    }
  });
});
