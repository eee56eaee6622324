/**
 * The commented starter spec for one support-matrix cell. Each block is written for its cell so
 * the result passes validate as written; values a solutions engineer must replace are obvious
 * placeholders (.example hosts, 123456789012), which validate flags as RULE_PLACEHOLDER warnings.
 * The example hosts live in a domain named after --customer (init-domain.ts).
 */
import type { Cell } from '../matrix/engine.js';
import { cellDescriptors } from '../dimensions/index.js';
import { customerLabel, exampleDomain } from '../install-spec/init-domain.js';
import { PLACEHOLDER_SCM_ORGANIZATION, starterPlaceholders } from '../install-spec/init-placeholders.js';
import { packedNodes } from '../install-spec/rules/gpu-demand.js';
import { calendarAsOf, defaultKubernetesVersion } from '../matrix/kubernetes-versions.js';
import { shapesFor } from '../matrix/gpu-presets.js';
import { currentRelease, kubernetesInWindow } from '../releases/catalog.js';

export interface TemplateOptions {
  name: string;
  customer: string;
  schemaLocation: string;
  /**
   * Today: picks the Kubernetes version (the newest in standard support everywhere, from
   * matrix/kubernetes-versions.yaml). init passes the real date; absent, the calendar's asOf, so
   * conformance and the goldens change when the calendar does, not with the wall clock.
   */
  now?: Date;
}

type Lines = string[];

const indent = (lines: Lines, by = 2): Lines => lines.map((line) => (line === '' ? line : ' '.repeat(by) + line));

/**
 * The newest Kubernetes version in standard support on the cell's platform (matrix/kubernetes-versions.yaml)
 * that its stack builds and the current release supports (its window in releases/: RELEASE_KUBERNETES_WINDOW).
 */
function starterKubernetesVersion(cell: Cell, now: Date): string {
  const stackBuilds = cellDescriptors(cell).platform.emit.buildsKubernetesVersion ?? (() => true);
  const release = currentRelease();
  return defaultKubernetesVersion(now, undefined, (version) => stackBuilds(version) && kubernetesInWindow(release, version), [cell.platform]);
}

function platformBlock(cell: Cell, label: string, kubernetesVersion: string): Lines {
  const air = cell.network === 'air-gapped';
  const cluster = [
    'cluster:',
    '  mode: new                   # or: mode: existing + name: CLUSTER to adopt a cluster',
    `  apiEndpoint: private        # ${air ? 'must stay private when air-gapped' : 'public is allowed on a connected network'}`,
    '  systemNodes: { min: 3, max: 6 }',
  ];
  return ['platform:', ...indent(cellDescriptors(cell).platform.emit.starterLines(cluster, starterPlaceholders(label), cell.network, kubernetesVersion))];
}

const SECRET = (name: string, key: string) => `{ secretRef: { name: ${name}, key: ${key} } }`;

function scmBlock(cell: Cell, domain: string): Lines {
  const webhookSecret = `webhookSecret: ${SECRET('scm-credentials', 'webhook-secret')}`;
  const caBundle = ['caBundle:                      # the internal CA that signed the server certificate', '  configMapRef: { name: acme-ca, key: ca.crt }'];
  const lines = cellDescriptors(cell).scm.emit.starterLines({ domain, secret: SECRET, organization: PLACEHOLDER_SCM_ORGANIZATION, webhookSecret, caBundle });
  return ['scm:', ...indent(lines)];
}

const CLOUD_CATALOG: Record<'bedrock' | 'azure-openai' | 'vertex', Lines> = {
  bedrock: ['provider: bedrock', 'catalog:', '  - { name: anthropic.claude-sonnet-4-5-20250929-v1:0, role: chat }', '  - { name: amazon.titan-embed-text-v2:0, role: embedding }'],
  'azure-openai': [
    'provider: azure-openai',
    'catalog:                        # deployments the stack creates in the Azure OpenAI account',
    '  - { name: gpt-4.1, role: chat, deployment: gpt-41, version: 2025-04-14, capacity: 100 }',
    '  - { name: text-embedding-3-large, role: embedding, deployment: embeddings, version: "1", capacity: 100 }',
  ],
  vertex: ['provider: vertex', 'catalog:', '  - { name: gemini-2.5-pro, role: chat }', '  - { name: text-embedding-005, role: embedding }'],
};

function weights(cell: Cell, model: string, label: string): string {
  const inObjectStore = cell.network === 'air-gapped' ? null : cellDescriptors(cell).platform.emit.starterWeights(model, starterPlaceholders(label));
  return inObjectStore ?? `{ source: pvc, claimName: weights-${model} }`;
}

function modelsBlock(cell: Cell, label: string): Lines {
  if (cell.models === 'saas-api') {
    return [
      'models:',
      ...indent([
        "hosting: saas-api              # the vendor's public API, over the internet",
        'provider: openai               # anthropic | openai | google-gemini',
        `apiKey: ${SECRET('model-credentials', 'api-key')}`,
        'catalog:',
        '  - { name: gpt-4.1, role: chat }',
        '  - { name: text-embedding-3-large, role: embedding }',
      ]),
    ];
  }
  if (cell.models === 'cloud-managed') {
    // No model service of the platform's own (on-prem): a cloud's service reached from the data centre.
    const ownProvider = cellDescriptors(cell).platform.cloudModelService;
    const onprem = ownProvider === null;
    const provider = ownProvider ?? 'bedrock';
    return [
      'models:',
      ...indent([
        `hosting: cloud-managed         # ${onprem ? 'a cloud model service reached from the data centre' : `the cloud's own model service (${provider} on ${cell.platform})`}`,
        ...(onprem ? ['# provider: bedrock | azure-openai | vertex', 'region: us-east-1'] : []),
        ...CLOUD_CATALOG[provider],
        ...(onprem ? [`credentials: ${SECRET('model-credentials', 'credentials.json')}`] : []),
      ]),
    ];
  }
  const platform = cellDescriptors(cell).platform.emit;
  const pool = platform.starterGpuPool;
  const nodes = starterGpuNodes(
    pool.chatGpus,
    platform.gpuPresets === null ? gpusPerNodeOf(pool.extra) : (shapesFor(pool.product, platform.gpuPresets).find((shape) => shape.gpus >= pool.chatGpus)?.gpus ?? 0),
  );
  return [
    'models:',
    ...indent([
      'hosting: self-hosted           # vLLM on GPU nodes in the cluster',
      'gpuPool:',
      `  product: ${pool.product}                # h100-80gb | a100-80gb | a100-40gb | l40s | l4 | a10g | t4 (as the platform offers)`,
      `  minNodes: ${nodes}                 # the chat and embedding replicas at install, before any scale-up`,
      platform.gpuPoolAutoscales ? `  maxNodes: ${nodes + 1}                 # room for the autoscaler (one more replica)` : `  maxNodes: ${Math.max(2, nodes)}`,
      ...(pool.extra ? [`  ${pool.extra}`] : []),
      'catalog:                        # one vLLM deployment per model; gpuCount must equal tensorParallelSize',
      '  - name: qwen2.5-coder-32b',
      '    role: chat',
      `    gpuCount: ${pool.chatGpus}`,
      `    tensorParallelSize: ${pool.chatGpus}`,
      '    maxModelLen: 32768',
      `    weights: ${weights(cell, 'qwen2.5-coder-32b', label)}`,
      '  - name: bge-m3',
      '    role: embedding',
      '    gpuCount: 1',
      '    tensorParallelSize: 1',
      `    weights: ${weights(cell, 'bge-m3', label)}`,
    ]),
  ];
}

/** On-prem: the starter's gpusPerNode, read from its `gpusPerNode: N` line. */
const gpusPerNodeOf = (extra: string | undefined) => Number(/gpusPerNode: (\d+)/.exec(extra ?? '')?.[1] ?? 0);

/** GPU nodes the starter's chat model (chatGpus) and bge-m3 (1 GPU) pack onto: the pool starts with them (RULE_GPU_DEMAND_EXCEEDS_POOL). */
function starterGpuNodes(chatGpus: number, gpusPerNode: number): number {
  const nodes = packedNodes([chatGpus, 1], gpusPerNode);
  if (nodes === null) throw new Error(`the starter's ${chatGpus}-GPU chat model does not fit a ${gpusPerNode}-GPU node`);
  return nodes;
}

function networkBlock(cell: Cell, domain: string, label: string): Lines {
  const platform = cellDescriptors(cell).platform;
  if (cell.network === 'connected') {
    return [
      'network:',
      ...indent([
        'mode: connected',
        '# allowedEgressCidrs: [10.0.0.0/8]   # networks outside the cluster the pods may reach (SCM, datastores)',
        '# egressProxy:                 # when outbound traffic goes through a proxy',
        `#   url: http://proxy.${domain}:3128`,
        `#   noProxy: [.${domain}, 10.0.0.0/8]`,
      ]),
    ];
  }
  return [
    'network:',
    ...indent([
      'mode: air-gapped               # no internet at all: no NAT, no internet gateway, no public IPs',
      'allowedEgressCidrs: [10.0.0.0/8]   # networks outside the cluster the pods may reach (the SCM server, ...)',
      ...(platform.emit.cloud ? ['privateEndpoints:', `  modelService: ${cell.models === 'cloud-managed' ? 'true' : 'false'}`, '  objectStorage: true'] : []),
    ]),
    'registry:                         # every image is pulled from this mirror (installctl bundle push fills it)',
    // The cloud's own registry (the stack creates it) or, on-prem, the site's registry.
    `  mirror: ${platform.emit.starterMirror(starterPlaceholders(label))}`,
    '  pullSecret: { name: registry-pull }',
    '  caBundle: { configMapRef: { name: acme-ca, key: ca.crt } }',
  ];
}

export function renderTemplate(cell: Cell, options: TemplateOptions): string {
  const domain = exampleDomain(options.customer);
  const label = customerLabel(options.customer);
  const datastores = cellDescriptors(cell).platform.emit.defaultDatastores;
  const lines: Lines = [
    `# yaml-language-server: $schema=${options.schemaLocation}`,
    `# Starter install spec for support-matrix cell ${cell.id} (${cell.status}).`,
    '# Replace the placeholder values (*.example hosts, 123456789012, 0000... ids), then run:',
    '#   installctl validate THIS-FILE',
    'apiVersion: installctl.dev/v1alpha1',
    'kind: Install',
    'metadata:',
    `  name: ${options.name}                # DNS-1123 label: the Pulumi stack name and namespace prefix`,
    `  customer: ${JSON.stringify(options.customer)}`,
    'spec:',
    ...indent([
      'release:',
      `  version: ${currentRelease().version}`,
      'sizing: medium                  # small | medium | large',
      ...platformBlock(cell, label, starterKubernetesVersion(cell, options.now ?? calendarAsOf())),
      ...scmBlock(cell, domain),
      ...modelsBlock(cell, label),
      ...networkBlock(cell, domain, label),
      'ingress:',
      `  hostname: agents.${domain}`,
      `  exposure: internal            # a private load balancer; external only if users come from the internet`,
      ...indent(cellDescriptors(cell).platform.emit.starterIngressLines?.(starterPlaceholders(label)) ?? ['tls: { mode: secret, secretName: agents-tls }']),
      '# trust:                         # extra CAs for outbound TLS (TLS-inspecting proxies, internal services)',
      '#   caBundle: { configMapRef: { name: acme-ca, key: ca.crt } }',
      `# datastores:                    # defaults: ${datastores === 'bundled' ? 'bundled in the cluster' : 'managed cloud services'}; or mode: external with host, port, credentials`,
      '#   postgres: { mode: ' + datastores + ' }',
    ]),
  ];
  if (cell.status === 'conditional' && cell.acknowledgement) {
    lines.push(
      ...wrapComment('This cell is conditional: ' + cell.reasons.map((reason) => reason.message).join(' '), '  # '),
      '  # The customer must accept that explicitly; validate refuses the spec without it.',
      '  acknowledgements:',
      `    - id: ${cell.acknowledgement}`,
      `      acceptedBy: security-review@${domain}`,
    );
  }
  return alignComments(lines).join('\n') + '\n';
}

/** Lines up trailing "# comments" in one column so the starter spec reads as a form. */
function alignComments(lines: Lines): Lines {
  const split = lines.map((line) => {
    const at = line.trimStart().startsWith('#') ? -1 : line.indexOf(' # ');
    return at === -1 ? null : { code: line.slice(0, at).trimEnd(), comment: line.slice(at + 1) };
  });
  const column = Math.min(44, Math.max(...split.map((part) => (part ? part.code.length + 2 : 0))));
  return lines.map((line, index) => {
    const part = split[index];
    return part ? `${part.code.padEnd(column - 1)} ${part.comment}` : line;
  });
}

function wrapComment(text: string, prefix: string, width = 100): Lines {
  const out: Lines = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && prefix.length + line.length + word.length + 1 > width) {
      out.push(prefix + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(prefix + line);
  return out;
}
