/**
 * `installctl support-bundle SPEC --out FILE.tar.gz`: collect what a support engineer needs to
 * diagnose an install, without a secret in it. The spec is checked and its requirements derived
 * (cli/preflight), the preflight evidence collected (cli/cluster/collect.ts) plus pods, events,
 * workloads, claims, Helm release metadata and bounded logs of the install's namespaces
 * (cli/cluster/bundle-collect.ts); cli/support-bundle trims, redacts and archives them, and the
 * archive is written atomically. The collectors come in as deps (real ones by default) so the
 * orchestration is tested without a cluster.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../lib/errors.js';
import { writeFileAtomic } from '../lib/atomic-write.js';
import { readTextCapped, SIZE_CAPS } from '../lib/read-capped.js';
import { packageVersion } from '../lib/package-root.js';
import { parseSpecText, looksLikeJson } from '../install-spec/parse-yaml.js';
import { settingsFor } from '../emit/settings.js';
import { renderFiles } from '../emit/render-files.js';
import { MANIFEST_FILE, MANIFEST_KIND } from '../emit/output-dir.js';
import { PREFLIGHT_EXITS } from '../preflight/types.js';
import { BUNDLE_CAPS, BUNDLE_API_VERSION, BUNDLE_KIND, writeBundleArchive } from '../support-bundle/archive.js';
import { assembleBundleFiles } from '../support-bundle/assemble.js';
import type { BundleObjects } from '../cluster/bundle-collect.js';
import { defaultSupportBundleDeps, type SupportBundleDeps } from './support-bundle-deps.js';
import { checkNamespacePrefix, loadValidSpec, type ClusterSpec } from './preflight.js';
import type * as Output from '../generated/cli-output.js';

export type { SupportBundleDeps };

export interface SupportBundleOptions {
  spec: string;
  out: string;
  force: boolean;
  /** --since: how far back logs go (90s, 30m, 24h, 7d). */
  since: string;
  maxLogLines: number;
  kubeconfig: string | null;
  context: string | null;
  namespacePrefix: string | null;
  /** --render DIR: take manifest.json from that render instead of rendering in memory. */
  render: string | null;
  /** --insecure-skip-tls-verify: as preflight, accept a kubeconfig cluster that skips TLS verification. */
  allowInsecure: boolean;
}

const MAX_SINCE_SECONDS = 30 * 24 * 3600;
const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `--since` in seconds: a whole number and one unit, at most 30 days. */
export function parseSince(text: string): number {
  const match = /^([1-9][0-9]{0,6})([smhd])$/.exec(text);
  const seconds = match ? Number(match[1]) * UNITS[match[2]!]! : NaN;
  if (!Number.isFinite(seconds) || seconds > MAX_SINCE_SECONDS) {
    throw new UserError(`--since ${JSON.stringify(text).slice(0, 40)} is not a duration such as 90s, 30m, 24h or 7d (at most 30d)`, { code: 'USAGE', hint: 'e.g. --since 24h' });
  }
  return seconds;
}

function checkOut(out: string, force: boolean): void {
  if (!/\.(tar\.gz|tgz)$/.test(out))
    throw new UserError(`--out ${out} must end in .tar.gz or .tgz`, { code: 'SUPPORT_BUNDLE_OUT_EXISTS', hint: 'e.g. --out support-bundle.tar.gz' });
  const parent = dirname(out);
  if (!existsSync(parent) || !statSync(parent).isDirectory()) {
    // Found before anything is collected, not after.
    throw new UserError(`cannot write ${out}: ${parent} is not a directory`, { code: 'OUTPUT_NOT_WRITABLE', hint: 'create the directory first, or choose another --out' });
  }
  if (!existsSync(out)) return;
  if (statSync(out).isDirectory())
    throw new UserError(`--out ${out} is a directory`, { code: 'SUPPORT_BUNDLE_OUT_EXISTS', hint: 'name the file to write, e.g. DIR/support-bundle.tar.gz' });
  if (!force) throw new UserError(`--out ${out} exists`, { code: 'SUPPORT_BUNDLE_OUT_EXISTS', hint: 'pass --force to replace it, or choose another name' });
}

/** The render's manifest.json: from --render DIR (checked to be one), or rendered in memory from the spec. */
function renderManifest(options: SupportBundleOptions, spec: ClusterSpec): string {
  if (options.render === null) {
    const files = renderFiles(options.spec, spec.text, spec.install, settingsFor(spec.install, spec.cell), spec.cell.status);
    return files.get(MANIFEST_FILE)!;
  }
  const file = join(options.render, MANIFEST_FILE);
  const problem = new UserError(`${options.render} holds no render manifest (${MANIFEST_FILE} of kind ${MANIFEST_KIND})`, {
    code: 'SUPPORT_BUNDLE_RENDER_INVALID',
    hint: 'pass the directory installctl render --out wrote, or leave --render out to render the spec in memory',
  });
  if (!existsSync(file)) throw problem;
  const text = readTextCapped(file, { what: 'render manifest', maxBytes: SIZE_CAPS.renderState, tooLargeCode: 'SUPPORT_BUNDLE_RENDER_INVALID' });
  try {
    if ((JSON.parse(text) as { kind?: unknown })?.kind === MANIFEST_KIND) return text;
  } catch {
    // not JSON: the same problem
  }
  throw problem;
}

/** Whether anything at all came from the cluster: a bundle of failures only means it could not be reached. */
function reachedCluster(evidence: { version: unknown; collectors: Record<string, { status: string } | undefined> }, objects: BundleObjects): boolean {
  if (evidence.version !== null || Object.values(evidence.collectors).some((collector) => collector?.status === 'ok')) return true;
  return objects.namespaces.some((entry) => Object.values(entry.status).some((status) => status.status === 'ok'));
}

function problemsOf(objects: BundleObjects): Output.SupportBundle['problems'] {
  return objects.namespaces.flatMap((entry) =>
    Object.entries(entry.status).flatMap(([collector, status]) =>
      status.status === 'ok' ? [] : [{ namespace: entry.namespace, collector, status: status.status, httpStatus: status.httpStatus }],
    ),
  );
}

export async function supportBundle(options: SupportBundleOptions, deps: SupportBundleDeps = defaultSupportBundleDeps()): Promise<Output.SupportBundle> {
  const now = deps.now();
  const sinceSeconds = parseSince(options.since);
  checkOut(options.out, options.force);
  const spec = loadValidSpec(options.spec, now);
  checkNamespacePrefix(options.namespacePrefix, spec.install);
  const manifest = renderManifest(options, spec);
  const specSha256 = spec.sha256;
  // As preflight: the requirements and the evidence take the prefix as given ('' when none is).
  const namespacePrefix = options.namespacePrefix ?? '';
  const requirements = deps.requirements(spec.install, spec.cell, { now, namespacePrefix: options.namespacePrefix });
  const plan = deps.plan(requirements, { active: false });
  const platform = spec.install.spec.platform;
  const context = options.context ?? (platform.type === 'onprem' ? platform.kubeContext : null);
  const connection = await deps.connect({ kubeconfig: options.kubeconfig, context, allowInsecure: options.allowInsecure, env: deps.env });
  const installctl = packageVersion();
  const install = { name: spec.install.metadata.name, cell: spec.cell.id, specSha256 };
  const evidence = await deps.collectEvidence(connection, plan, { install, namespacePrefix, installctl, now });
  const objects = await deps.collectObjects(connection, {
    namespaces: plan.namespaces,
    sinceSeconds,
    maxLogLines: options.maxLogLines,
    // 8x what is kept per log: the bundle keeps the newest 2 MiB of what arrives (assemble.ts boundLog).
    maxLogBytes: BUNDLE_CAPS.logBytes * 8,
    maxObjects: 2000,
    maxLogs: 500,
    maxLogsTotalBytes: BUNDLE_CAPS.totalBytes,
  });
  const parsed = parseSpecText(spec.text, { json: looksLikeJson(options.spec, spec.text) });
  const files = assembleBundleFiles({
    installctl,
    cluster: { context: connection.context, server: connection.server, version: evidence.version },
    specDocument: parsed.ok ? parsed.data : null,
    manifest,
    evidence,
    objects,
    maxLogLines: options.maxLogLines,
  });
  const collectedAt = now.toISOString();
  const header = {
    apiVersion: BUNDLE_API_VERSION,
    kind: BUNDLE_KIND,
    installctl,
    collectedAt,
    install,
    options: {
      since: options.since,
      sinceSeconds,
      maxLogLines: options.maxLogLines,
      namespacePrefix: options.namespacePrefix,
      render: options.render === null ? 'in memory' : 'directory',
    },
  } as const;
  const archive = await writeBundleArchive(header, files);
  writeFileAtomic(options.out, archive.bytes, 0o600);
  const report = JSON.parse(files[files.length - 1]!.content) as { files: Array<{ rules: Record<string, number> }> };
  const byRule: Record<string, number> = {};
  for (const entry of report.files) for (const [rule, count] of Object.entries(entry.rules)) byRule[rule] = (byRule[rule] ?? 0) + count;
  return {
    out: options.out,
    bytes: archive.bytes.length,
    sha256: createHash('sha256').update(archive.bytes).digest('hex'),
    collectedAt,
    install: { name: install.name, cell: install.cell },
    namespaces: [...plan.namespaces],
    files: archive.index.files.length + 1,
    truncated: archive.index.files.filter((file) => file.truncated !== null).map((file) => file.path),
    omitted: archive.index.omitted.map((file) => file.path),
    redactions: { total: Object.values(byRule).reduce((sum, count) => sum + count, 0), byRule },
    problems: problemsOf(objects),
    exitCode: reachedCluster(evidence, objects) ? PREFLIGHT_EXITS.pass : PREFLIGHT_EXITS.couldNotRun,
  };
}
