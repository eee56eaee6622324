/**
 * RUNBOOK.md of every supported and conditional cell, read as the shell an operator runs: every
 * `pulumi stack output X` is an output the emitted program exports, every file a command reads
 * (-f, --values, --file, --from-file) was rendered or written by an earlier step, and an
 * air-gapped runbook installs npm packages only from the site's mirror and names no public host.
 * Its Prerequisites section, before the charts install, checks the controller of the ingress class
 * the emitted values use and, for self-hosted models, the GPUs the nodes advertise.
 * For one cell per cloud the stack outputs the runbook reads with jq exist in the synthesis.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { parse } from 'yaml';
import { supportMatrix } from '../../cli/matrix/engine.js';
import { hostOf, publicHostMatch } from '../../cli/matrix/public-hosts.js';
import { synthesizeProject } from '../../cli/conformance/pulumi/synthesize.js';
import { renderableCells, renderCell } from '../helpers/cells.js';
import { init } from '../../cli/services/init.js';
import { render } from '../../cli/services/render.js';
import { pushFiles } from '../../cli/emit/push-files.js';
import { parseTarget } from '../../cli/bundle/push-target.js';

/** The vendor's own internet endpoints, which an air-gapped site cannot reach either. */
const VENDOR_HOSTS = ['registry.installctl.dev', 'pulumi.com', 'pulumi.io'];

interface Command {
  line: string;
  /** Directory the shell is in, relative to the rendered output. */
  cwd: string;
}

/** The shell lines of the ```sh blocks in order, heredoc bodies left out, with the directory each runs in. */
function shellCommands(runbook: string): Command[] {
  const commands: Command[] = [];
  let inBlock = false;
  let heredoc: string | null = null;
  let cwd = '.';
  let pending = '';
  for (const raw of runbook.split('\n')) {
    if (raw.startsWith('```')) {
      inBlock = raw === '```sh';
      continue;
    }
    if (!inBlock) continue;
    if (heredoc !== null) {
      if (raw.trim() === heredoc) heredoc = null;
      continue;
    }
    if (raw.endsWith('\\')) {
      pending += raw.slice(0, -1);
      continue;
    }
    const line = (pending + raw).replace(/\s+#\s.*$/, '');
    pending = '';
    heredoc = /<<'?(\w+)'?/.exec(line)?.[1] ?? null;
    const cd = /^cd (\S+)$/.exec(line.trim());
    if (cd) cwd = posix.normalize(posix.join(cwd, cd[1]!));
    else commands.push({ line, cwd });
  }
  return commands;
}

/** Files a command reads through the flags that name input files (stdin, `-`, excluded). */
function filesRead(line: string): string[] {
  const found = [...line.matchAll(/(?:^|\s)(?:-f|--values|--file)\s+"?([^\s"]+)"?/g), ...line.matchAll(/--from-file=(?:[^=\s]+=)?([^\s"]+)/g)].map((match) => match[1]!);
  return found.filter((file) => file !== '-');
}

/** Files a command writes: redirect targets, and the directory `oras pull -o DIR` fills. */
function filesWritten(line: string): string[] {
  const redirects = [...line.matchAll(/(?<![<>&\d])>>?\s*([^\s;|&)]+)/g)].map((match) => match[1]!);
  const oras = /^oras pull .* -o (\S+)/.exec(line.trim());
  return [...redirects, ...(oras ? [`${oras[1]}/`] : [])];
}

const at = (cwd: string, file: string) => posix.normalize(posix.join(cwd, file));

function runbookProblems(runbook: string, indexTs: string, rendered: string[], airGapped: boolean): string[] {
  const problems: string[] = [];
  const exported = new Set([...indexTs.matchAll(/^export const (\w+)/gm)].map((match) => match[1]!));
  const available = new Set(rendered);
  const directories: string[] = [];
  for (const { line, cwd } of shellCommands(runbook)) {
    for (const match of line.matchAll(/pulumi (?:-C \S+ )?stack output (\w+)/g)) {
      if (!exported.has(match[1]!)) problems.push(`pulumi stack output ${match[1]}: index.ts exports only ${[...exported].join(', ')}`);
    }
    for (const file of filesRead(line)) {
      const path = at(cwd, file);
      if (!available.has(path) && !directories.some((dir) => path.startsWith(dir))) problems.push(`${line.trim()}: reads ${path}, which nothing rendered or wrote before`);
    }
    for (const file of filesWritten(line)) {
      if (file.endsWith('/')) directories.push(at(cwd, file).replace(/\/?$/, '/'));
      else available.add(at(cwd, file));
    }
    if (airGapped && /\bnpm (?:install|i|ci)\b/.test(line) && !/--registry\s/.test(line)) problems.push(`air-gapped: ${line.trim()} reaches the public npm registry`);
  }
  if (airGapped) {
    const publicHosts = [...supportMatrix().publicHosts(), ...VENDOR_HOSTS];
    for (const word of runbook.split(/[\s"'`(),;|<>[\]{}]+/)) {
      const host = hostOf(word);
      const hit = host ? publicHostMatch(host, publicHosts) : null;
      if (hit) problems.push(`air-gapped: names ${host} (public host ${hit})`);
    }
  }
  return problems;
}

const GPU_PRESET_LABEL: Record<string, string> = {
  eks: 'node.kubernetes.io/instance-type',
  aks: 'kubernetes.azure.com/accelerator',
  gke: 'cloud.google.com/gke-accelerator',
  'gpu-feature-discovery': 'nvidia.com/gpu.product',
};

type Values = Record<string, any>;

/** The markdown section whose heading is `## N. title`, up to the next heading. */
function section(runbook: string, title: string): string | null {
  const match = new RegExp(`^## \\d+\\. ${title}\\n([\\s\\S]*?)(?=^## |(?![\\s\\S]))`, 'm').exec(runbook);
  return match ? match[1]! : null;
}

/** What the Prerequisites section must check, judged from the values the install emits. */
function prerequisiteProblems(runbook: string, platform: string, agentPlatform: Values, modelServer: Values | null): string[] {
  const prereqs = section(runbook, 'Prerequisites');
  if (prereqs === null) return ['no Prerequisites section'];
  const problems: string[] = [];
  if (runbook.indexOf('. Prerequisites') > runbook.indexOf('. Install the charts')) problems.push('Prerequisites come after the charts install');
  const className: string = agentPlatform.ingress.className;
  const checks = shellCommands(prereqs).map((command) => command.line);
  if (agentPlatform.global.platform === 'openshift') {
    if (!checks.some((line) => line.includes('get ingresscontroller default'))) problems.push('no check of the OpenShift IngressController');
  } else if (platform === 'gcp') {
    // GKE's classes are annotations: the check is the load balancing add-on, and the section names the class.
    if (!prereqs.includes(`\`${className}\``) || !checks.some((line) => line.includes('addonsConfig.httpLoadBalancing')))
      problems.push(`no check of GKE load balancing for class ${className}`);
    if (className === 'gce-internal' && !checks.some((line) => line.includes('--filter=purpose=REGIONAL_MANAGED_PROXY'))) problems.push('no check of the proxy-only subnetwork');
  } else if (!checks.includes(`kubectl get ingressclass ${className}`)) {
    problems.push(`no \`kubectl get ingressclass ${className}\` check`);
  }
  if (platform === 'aws' && !checks.some((line) => line.includes('.loadBalancerControllerRoleArn'))) problems.push('the controller install does not use its IAM role');
  if (modelServer) {
    const gpus = `kubectl get nodes -l ${GPU_PRESET_LABEL[modelServer.gpu.preset]}=${modelServer.gpu.selectorValue} -o jsonpath='{..allocatable.nvidia\\.com/gpu}'`;
    // The chart's own device plugin (aws, azure) makes the GPUs appear only once it is installed.
    const where = modelServer.devicePlugin.enabled ? (section(runbook, 'Verify') ?? '') : prereqs;
    if (!shellCommands(where).some((command) => command.line.startsWith(gpus)))
      problems.push(`no GPU check ${gpus} in ${modelServer.devicePlugin.enabled ? 'Verify' : 'Prerequisites'}`);
    if (!prereqs.includes('nvidia.com/gpu')) problems.push('Prerequisites do not name nvidia.com/gpu');
  }
  return problems;
}

describe('RUNBOOK.md of every renderable cell', () => {
  it.each(renderableCells().map((cell) => [cell.id, cell] as const))('%s', (_, cell) => {
    const rendered = renderCell(cell);
    const runbook = readFileSync(join(rendered.dir, 'RUNBOOK.md'), 'utf8');
    const indexTs = readFileSync(join(rendered.dir, 'pulumi', 'index.ts'), 'utf8');
    expect(
      runbookProblems(
        runbook,
        indexTs,
        rendered.files.map((file) => file.path),
        cell.network === 'air-gapped',
      ),
    ).toEqual([]);
    if (cell.network === 'air-gapped') {
      // The map it re-renders with is the one bundle push writes for the registry it pushes to (one per registry).
      const registry = /installctl bundle push BUNDLE --registry '?([^'`\s]+)'?/.exec(runbook)?.[1];
      expect(registry, 'the runbook pushes the bundle into the mirror').toBeTruthy();
      expect(runbook).toContain(`\`--relocate ${pushFiles('BUNDLE', parseTarget(registry!)).relocation}\``);
    }
    const values = (chart: string) =>
      rendered.files.some((file) => file.path === `helm/${chart}.values.yaml`) ? (parse(readFileSync(join(rendered.dir, 'helm', `${chart}.values.yaml`), 'utf8')) as Values) : null;
    const modelServer = values('model-server');
    expect(prerequisiteProblems(runbook, cell.platform, values('agent-platform')!, modelServer)).toEqual([]);
    if (modelServer) expect(modelServer.devicePlugin.enabled, 'the chart runs the device plugin exactly on aws and azure').toBe(['aws', 'azure'].includes(cell.platform));
  });
});

describe('runbook checks catch what they guard', () => {
  const index = 'export const outputs = 1;\nexport const agentPlatformValues = 2;\n';
  const sh = (...lines: string[]) => ['```sh', ...lines, '```'].join('\n');
  it('an output the program does not export, a file nothing wrote, npm from the internet, a public host', () => {
    expect(runbookProblems(sh('pulumi -C pulumi stack output redisAuth --show-secrets > redis-password'), index, [], false)).toEqual([
      'pulumi stack output redisAuth: index.ts exports only outputs, agentPlatformValues',
    ]);
    expect(runbookProblems(sh('kubectl create secret generic x --from-file=password=./registry-password'), index, [], false)).toHaveLength(1);
    expect(
      runbookProblems(
        sh('cd pulumi', 'pulumi stack output agentPlatformValues --json > ../helm/ap.json', 'cd ..', 'helm upgrade --install ap chart -f helm/ap.json -f helm/missing.yaml'),
        index,
        [],
        false,
      ),
    ).toEqual(['helm upgrade --install ap chart -f helm/ap.json -f helm/missing.yaml: reads helm/missing.yaml, which nothing rendered or wrote before']);
    expect(runbookProblems(sh('npm install', 'npm install --registry "$NPM_REGISTRY"'), index, [], true)).toEqual(['air-gapped: npm install reaches the public npm registry']);
    expect(runbookProblems('Images come from registry.installctl.dev and https://huggingface.co/x.', index, [], true)).toHaveLength(2);
  });

  it('prerequisites: a missing section, another ingress class, no GPU check', () => {
    const ap = { global: { platform: 'aws' }, ingress: { className: 'alb' } };
    const ms = { gpu: { preset: 'gke', selectorValue: 'nvidia-l4' }, devicePlugin: { enabled: false } };
    const good = [
      '## 3. Prerequisites',
      '',
      sh('kubectl get ingressclass alb', 'helm upgrade --install x y --set a="$(jq -r .loadBalancerControllerRoleArn pulumi-outputs.json)"'),
      '## 5. Install the charts',
      '',
    ].join('\n');
    expect(prerequisiteProblems(good, 'aws', ap, null)).toEqual([]);
    expect(prerequisiteProblems('## 4. Install the charts\n', 'aws', ap, null)).toEqual(['no Prerequisites section']);
    expect(prerequisiteProblems(good, 'aws', { ...ap, ingress: { className: 'nginx' } }, null)).toEqual(['no `kubectl get ingressclass nginx` check']);
    expect(prerequisiteProblems(good, 'aws', ap, ms)).toEqual([
      "no GPU check kubectl get nodes -l cloud.google.com/gke-accelerator=nvidia-l4 -o jsonpath='{..allocatable.nvidia\\.com/gpu}' in Prerequisites",
      'Prerequisites do not name nvidia.com/gpu',
    ]);
  });
});

describe('prerequisites of what an install adopts rather than creates', () => {
  const renderEdited = (id: string, edit: (spec: string) => string) => {
    const root = mkdtempSync(join(tmpdir(), 'installctl-runbook-'));
    const cell = supportMatrix().cell(id)!;
    const spec = init({ platform: cell.platform, scm: cell.scm, models: cell.models, network: cell.network, name: 'acme-prod', customer: 'Example Corp' }).spec;
    writeFileSync(join(root, 'spec.yaml'), edit(spec));
    const result = render({ spec: join(root, 'spec.yaml'), outDir: join(root, 'out'), allowPlaceholders: true });
    expect(result.valid, JSON.stringify(result.issues)).toBe(true);
    return section(readFileSync(join(root, 'out', 'RUNBOOK.md'), 'utf8'), 'Prerequisites') ?? '';
  };
  const checks = (prereqs: string) => shellCommands(prereqs).map((command) => command.line);

  it('gcp, existing network: the proxy-only subnetwork is checked in that network, and how to create it is shown', () => {
    const prereqs = renderEdited('gcp/github/self-hosted/connected', (spec) =>
      spec.replace(/vpc:\n(\s+)mode: new[^\n]*\n\s+cidr:[^\n]*\n/, 'vpc:\n$1mode: existing\n$1network: shared-vpc\n$1subnetwork: agents-nodes\n'),
    );
    expect(checks(prereqs)).toContain(
      "gcloud compute networks subnets list --project example-project --regions us-central1 --network shared-vpc --filter=purpose=REGIONAL_MANAGED_PROXY --format='value(name,role)'",
    );
    expect(prereqs).toContain('--purpose=REGIONAL_MANAGED_PROXY --role=ACTIVE --region=us-central1 --network=shared-vpc');
  });

  it('azure, existing cluster: the application routing add-on is enabled when its class is missing', () => {
    const prereqs = renderEdited('azure/github/saas-api/connected', (spec) =>
      spec.replace(/cluster:\n(\s+)mode: new[^\n]*\n\s+apiEndpoint:[^\n]*\n\s+systemNodes:[^\n]*\n/, 'cluster:\n$1mode: existing\n$1name: agents-aks\n'),
    );
    expect(checks(prereqs)[0]).toMatch(
      /^kubectl get ingressclass webapprouting\.kubernetes\.azure\.com >\/dev\/null 2>&1 \|\| \{ az aks approuting enable --resource-group rg-agents-prod --name agents-aks && az aks approuting update .* --nginx Internal; \}$/,
    );
    expect(checks(prereqs)).toContain('kubectl get ingressclass webapprouting.kubernetes.azure.com');
  });
});

describe('the stack outputs a runbook reads with jq exist', () => {
  it.each(['aws/github/cloud-managed/connected', 'gcp/github/cloud-managed/connected', 'azure/github/cloud-managed/connected'])('%s', async (id) => {
    const rendered = renderCell(supportMatrix().cell(id)!);
    const runbook = readFileSync(join(rendered.dir, 'RUNBOOK.md'), 'utf8');
    const synthesis = await synthesizeProject(join(rendered.dir, 'pulumi'));
    expect(synthesis.errors).toEqual([]);
    const files: Record<string, unknown> = { 'pulumi-outputs.json': synthesis.outputs.outputs, 'helm/agent-platform.infra.values.json': synthesis.outputs.agentPlatformValues };
    const reads = [...runbook.matchAll(/jq -r \.([\w.]+) (\S+?)\)?"?(?:\s|$)/g)].map((match) => ({ path: match[1]!, file: match[2]! }));
    if (id.startsWith('aws') || id.startsWith('gcp')) expect(reads.length).toBeGreaterThan(0);
    for (const { path, file } of reads) {
      expect(Object.keys(files), `${file} is not a file the runbook writes from the stack`).toContain(file);
      const value = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], files[file]);
      expect(value, `${file}: .${path}`).not.toBeUndefined();
    }
  });
});
