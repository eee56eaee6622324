/**
 * The files of a support bundle, in their fixed order, from what was collected: pure (the same
 * collection gives the same files, so the same bytes). Cluster objects are trimmed (trim.ts), every
 * document is redacted (redact.ts) and the counts go to redaction-report.json, the last file.
 *
 * Layout under support-bundle/ (index.json first, written by archive.ts):
 *   versions.json                 installctl and the cluster's version
 *   spec.json                     the install spec, parsed and redacted by its schema
 *   render/manifest.json          the render's manifest (--render DIR, or rendered in memory)
 *   preflight/evidence.json       the preflight evidence (schemas/preflight-evidence.schema.json)
 *   collectors.json               each bundle collector's status per namespace, and each log's
 *   cluster/NS/pods.json, events.json, workloads.json, persistentvolumeclaims.json, helm-releases.json
 *   logs/NS/POD/CONTAINER.log     (CONTAINER.previous.log for the run before a restart)
 *   redaction-report.json         per file, which rule redacted how many values (never the values)
 */
import { compareText } from '../lib/compare.js';
import type { BundleObjects, NamespaceObjects } from '../cluster/bundle-collect.js';
import { BUNDLE_CAPS, safeSegment, type BundleFile } from './archive.js';
import { redactSpec, redactStrings, redactText, type RedactionCounts } from './redact.js';
import { trimEvent, trimHelmRelease, trimJob, trimPod, trimPvc, trimReplicated } from './trim.js';

export const BUNDLE_FILES = {
  versions: 'versions.json',
  spec: 'spec.json',
  manifest: 'render/manifest.json',
  evidence: 'preflight/evidence.json',
  collectors: 'collectors.json',
  redactionReport: 'redaction-report.json',
} as const;

/** The per-namespace files, by kind. */
export const NAMESPACE_FILES = {
  pods: 'pods.json',
  events: 'events.json',
  workloads: 'workloads.json',
  pvcs: 'persistentvolumeclaims.json',
  helmReleases: 'helm-releases.json',
} as const;

export const REDACTION_RULES: Record<string, string> = {
  'spec-unknown-key': 'install spec: a key the install schema does not define (its value is dropped whatever it looks like)',
  'spec-free-text': 'install spec: a free-text value (no enum, pattern or format) that may hold a credential',
  'spec-credential-shape': 'install spec: a constrained value that still has the shape of a credential',
  'credential-assignment': 'a value assigned to a credential-named key (password=, token:, api_key=, Authorization: ...)',
  'random-token': 'a run of 24+ token characters with mixed case, digits and high entropy (a token of no known shape)',
};

export interface AssembleInput {
  installctl: string;
  cluster: { context: string | null; server: string; version: unknown };
  specDocument: unknown;
  /** The render's manifest.json text; null when none could be had. */
  manifest: string | null;
  evidence: unknown;
  objects: BundleObjects;
  maxLogLines: number;
}

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';
const byName = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  compareText(String((a.metadata as { name?: unknown })?.name ?? ''), String((b.metadata as { name?: unknown })?.name ?? ''));

function eventOrder(a: Record<string, unknown>, b: Record<string, unknown>): number {
  return compareText(String(a.lastTimestamp ?? ''), String(b.lastTimestamp ?? '')) || byName(a, b);
}

function namespaceDocuments(objects: NamespaceObjects): Array<[string, unknown]> {
  const { lists } = objects;
  const trimmed = (items: unknown[] | null, trim: (raw: unknown) => Record<string, unknown>, order = byName): Array<Record<string, unknown>> | null =>
    items === null ? null : items.map(trim).sort(order);
  const workloads =
    lists.deployments === null && lists.statefulSets === null && lists.jobs === null
      ? null
      : {
          deployments: trimmed(lists.deployments, (raw) => trimReplicated('Deployment', raw)),
          statefulSets: trimmed(lists.statefulSets, (raw) => trimReplicated('StatefulSet', raw)),
          jobs: trimmed(lists.jobs, trimJob),
        };
  const helm = lists.helmReleases === null ? null : lists.helmReleases.map(trimHelmRelease).sort((a, b) => compareText(String(a.secret), String(b.secret)));
  return [
    [NAMESPACE_FILES.pods, trimmed(lists.pods, trimPod)],
    [NAMESPACE_FILES.events, trimmed(lists.events, trimEvent, eventOrder)],
    [NAMESPACE_FILES.workloads, workloads],
    [NAMESPACE_FILES.pvcs, trimmed(lists.persistentVolumeClaims, trimPvc)],
    [NAMESPACE_FILES.helmReleases, helm],
  ];
}

/** The newest lines of a log within the line and byte caps, and why it was cut. */
export function boundLog(text: string, maxLines: number, maxBytes: number): { text: string; truncated: string | null } {
  let lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let truncated: string | null = null;
  if (lines.length > maxLines) {
    lines = lines.slice(lines.length - maxLines);
    truncated = 'max-log-lines';
  }
  let bytes = lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
  while (bytes > maxBytes && lines.length) {
    bytes -= Buffer.byteLength(lines.shift()!) + 1;
    truncated = truncated ? `${truncated}, log-cap` : 'log-cap';
  }
  return { text: lines.length ? lines.join('\n') + '\n' : '', truncated: truncated?.replace(/(, log-cap)+/, ', log-cap') ?? null };
}

function logFiles(objects: BundleObjects, maxLogLines: number, redact: (path: string) => RedactionCounts): BundleFile[] {
  const sorted = [...objects.logs].sort(
    (a, b) => compareText(a.namespace, b.namespace) || compareText(a.pod, b.pod) || compareText(a.container, b.container) || Number(a.previous) - Number(b.previous),
  );
  const collected = sorted.flatMap((log) => {
    if (log.text === null) return [];
    const path = `logs/${safeSegment(log.namespace)}/${safeSegment(log.pod)}/${safeSegment(log.container)}${log.previous ? '.previous' : ''}.log`;
    const bounded = boundLog(log.text, maxLogLines, BUNDLE_CAPS.logBytes);
    const truncated = [bounded.truncated, log.cutByServer ? 'server-limit: the newest lines are missing' : null].filter(Boolean).join(', ') || null;
    return [{ path, content: bounded.text, truncated }];
  });
  return uniquePaths(collected).map((file) => ({ ...file, content: redactText(file.content, redact(file.path)) }));
}

function collectorsDocument(objects: BundleObjects): unknown {
  return {
    namespaces: objects.namespaces.map((entry) => ({ namespace: entry.namespace, collectors: entry.status })),
    logs: objects.logs.map((log) => ({ namespace: log.namespace, pod: log.pod, container: log.container, previous: log.previous, ...log.status })),
  };
}

/**
 * Paths made unique: two cluster names can map to one safe segment ("a/b" and "a_b" from a hostile
 * server); the later file gets ~2, ~3 before its extension instead of a duplicate tar entry.
 */
export function uniquePaths(files: readonly BundleFile[]): BundleFile[] {
  const used = new Set<string>();
  return files.map((file) => {
    let path = file.path;
    for (let n = 2; used.has(path); n++) path = file.path.replace(/(\.[a-z]+)?$/, (extension) => `~${n}${extension}`);
    used.add(path);
    return path === file.path ? file : { ...file, path };
  });
}

/** Every file but index.json, in bundle order, redacted; the report last. */
export function assembleBundleFiles(input: AssembleInput): BundleFile[] {
  const report = new Map<string, RedactionCounts>();
  const countsFor = (path: string): RedactionCounts => {
    if (!report.has(path)) report.set(path, {});
    return report.get(path)!;
  };
  const file = (path: string, value: unknown): BundleFile => ({ path, content: json(redactStrings(value, countsFor(path))), truncated: null });
  const files: BundleFile[] = [
    file(BUNDLE_FILES.versions, { installctl: input.installctl, cluster: input.cluster }),
    { path: BUNDLE_FILES.spec, content: json(redactSpec(input.specDocument, countsFor(BUNDLE_FILES.spec))), truncated: null },
  ];
  if (input.manifest !== null) files.push({ path: BUNDLE_FILES.manifest, content: redactText(input.manifest, countsFor(BUNDLE_FILES.manifest)), truncated: null });
  files.push(file(BUNDLE_FILES.evidence, input.evidence));
  files.push(file(BUNDLE_FILES.collectors, collectorsDocument(input.objects)));
  const namespaces = [...input.objects.namespaces].sort((a, b) => compareText(a.namespace, b.namespace));
  for (const objects of namespaces) {
    for (const [name, document] of namespaceDocuments(objects)) {
      if (document !== null) files.push(file(`cluster/${safeSegment(objects.namespace)}/${name}`, document));
    }
  }
  files.push(...logFiles(input.objects, input.maxLogLines, countsFor));
  const redacted = [...report]
    .filter(([, counts]) => Object.keys(counts).length)
    .map(([path, counts]) => ({ path, rules: Object.fromEntries(Object.entries(counts).sort(([a], [b]) => compareText(a, b))) }))
    .sort((a, b) => compareText(a.path, b.path));
  files.push({
    path: BUNDLE_FILES.redactionReport,
    content: json({
      note: 'counts of values replaced by [REDACTED:rule] markers, per file and rule; the values themselves are in no file of this bundle',
      files: redacted,
      rules: REDACTION_RULES,
      detectors: 'other rule ids are the secret detectors of installctl validate (README "Secret detectors")',
    }),
    truncated: null,
  });
  return files;
}
