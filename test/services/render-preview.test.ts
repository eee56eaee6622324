/**
 * render --dry-run and --diff, in process: the same files a render writes, and what it would change
 * in --out (added, modified, removed), secrets redacted, with nothing written anywhere.
 */
import { describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from '../../cli/services/render.js';
import { renderDiff, renderDryRun } from '../../cli/services/render-preview.js';
import { init } from '../../cli/services/init.js';
import { REPO } from '../helpers/cli.js';
import { MAX_ISSUES } from '../../cli/schema/issue.js';

const EXAMPLES = readdirSync(join(REPO, 'examples'))
  .filter((name) => name.endsWith('.yaml'))
  .sort();
const TOKEN = 'ghp_' + 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5';

/** Every entry under dir (the parent of --out included), with its size, mode and content hash. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (relative: string) => {
    for (const name of readdirSync(join(dir, relative)).sort()) {
      const path = relative ? `${relative}/${name}` : name;
      const stat = lstatSync(join(dir, path));
      if (stat.isDirectory()) {
        out[path] = `dir ${stat.mode}`;
        walk(path);
      } else
        out[path] = `${stat.mode} ${stat.mtimeMs} ${createHash('sha256')
          .update(readFileSync(join(dir, path)))
          .digest('hex')}`;
    }
  };
  walk('');
  return out;
}

function starter(dir: string, models: string, file: string, edit: (spec: string) => string = (spec) => spec): string {
  const spec = join(dir, file);
  writeFileSync(spec, edit(init({ platform: 'aws', scm: 'github', models, network: 'connected', name: 'acme-prod', customer: 'Initech Inc' }).spec));
  return spec;
}

describe('render --dry-run', () => {
  it.each(EXAMPLES)('%s: the files and hashes a render writes, nothing written', (example) => {
    const root = mkdtempSync(join(tmpdir(), 'installctl-dry-run-'));
    const options = { spec: join(REPO, 'examples', example), outDir: join(root, 'out') };
    const before = snapshot(root);
    const planned = renderDryRun(options);
    expect(planned.exitCode).toBe(0);
    expect(snapshot(root)).toEqual(before);
    expect(existsSync(options.outDir)).toBe(false);
    expect(planned.files).toEqual(render(options).files);
    // Over an earlier render too: not a byte, mode or time changed, no staging directory beside it.
    const again = snapshot(root);
    expect(renderDryRun(options).files).toEqual(planned.files);
    expect(snapshot(root)).toEqual(again);
  });

  it('checks what a render checks: placeholders refused, an invalid spec exit 1', () => {
    const root = mkdtempSync(join(tmpdir(), 'installctl-dry-run-'));
    const spec = starter(root, 'saas-api', 'starter.yaml');
    expect(() => renderDryRun({ spec, outDir: join(root, 'out') })).toThrow(expect.objectContaining({ code: 'RENDER_PLACEHOLDERS' }));
    writeFileSync(join(root, 'bad.yaml'), 'apiVersion: installctl.dev/v1alpha1\nkind: Install\n');
    expect(renderDryRun({ spec: join(root, 'bad.yaml'), outDir: join(root, 'out') })).toMatchObject({ valid: false, exitCode: 1 });
    expect(readdirSync(root).sort()).toEqual(['bad.yaml', 'starter.yaml']);
  });
});

describe('render --diff', () => {
  it('against nothing: every file added (exit 1); after the render: no change (exit 0); writes nothing', () => {
    const root = mkdtempSync(join(tmpdir(), 'installctl-diff-'));
    const options = { spec: join(REPO, 'examples', EXAMPLES[0]!), outDir: join(root, 'out') };
    const fresh = renderDiff(options);
    expect(fresh).toMatchObject({ valid: true, changed: true, exitCode: 1, unchanged: 0 });
    expect(new Set(fresh.files.map((file) => file.change))).toEqual(new Set(['added']));
    expect(existsSync(options.outDir)).toBe(false);
    const written = render(options);
    expect(fresh.files.map((file) => file.path)).toEqual(written.files.map((file) => file.path));
    const before = snapshot(root);
    const same = renderDiff(options);
    expect(same).toMatchObject({ changed: false, exitCode: 0, files: [], unchanged: written.files.length });
    expect(snapshot(root)).toEqual(before);
  });

  it('lists modified and removed files as a render would change them', () => {
    const root = mkdtempSync(join(tmpdir(), 'installctl-diff-'));
    const outDir = join(root, 'out');
    render({ spec: starter(root, 'self-hosted', 'a.yaml'), outDir, allowPlaceholders: true });
    const spec = starter(root, 'saas-api', 'b.yaml');
    const before = snapshot(root);
    const diff = renderDiff({ spec, outDir, allowPlaceholders: true });
    expect(snapshot(root)).toEqual(before);
    const changes = Object.fromEntries(diff.files.map((file) => [file.path, file.change]));
    expect(changes['helm/model-server.values.yaml']).toBe('removed');
    expect(changes['helm/agent-platform.values.yaml']).toBe('modified');
    expect(changes['manifest.json']).toBe('modified');
    const removed = diff.files.find((file) => file.path === 'helm/model-server.values.yaml')!;
    expect(removed.diff).toMatch(/^--- a\/helm\/model-server\.values\.yaml\n\+\+\+ \/dev\/null\n@@ -1,\d+ \+0,0 @@\n/);
    // What the diff says is what the render then does.
    const written = render({ spec, outDir, allowPlaceholders: true });
    expect(existsSync(join(outDir, 'helm/model-server.values.yaml'))).toBe(false);
    expect(diff.files.filter((file) => file.change !== 'removed').length + diff.unchanged).toBe(written.files.length);
  });

  it('redacts Pulumi secrets and credential-shaped values, on both sides, in context lines too', () => {
    const root = mkdtempSync(join(tmpdir(), 'installctl-diff-'));
    const outDir = join(root, 'out');
    const spec = starter(root, 'saas-api', 'a.yaml');
    render({ spec, outDir, allowPlaceholders: true });
    // What pulumi config set --secret and pulumi stack init write; an operator's edit of the runbook.
    appendFileSync(
      join(outDir, 'pulumi', 'Pulumi.acme-prod.yaml'),
      '  installctl:extra:\n    secure: v1:SUPERSECRETPAYLOAD1234567890==\nencryptionsalt: v1:SALTSALTSALT=:v1:abc:def==\n',
    );
    appendFileSync(join(outDir, 'RUNBOOK.md'), `\ntoken: ${TOKEN}\n`);
    // ingress.exposure is the stack's last setting: the Pulumi secrets after it are the diff's context.
    const edited = starter(root, 'saas-api', 'b.yaml', (text) => text.replace('sizing: medium', 'sizing: large').replace(/exposure: internal/, 'exposure: external'));
    const diff = renderDiff({ spec: edited, outDir, allowPlaceholders: true });
    const text = diff.files.map((file) => file.diff).join('');
    expect(diff.files.map((file) => file.path)).toEqual(expect.arrayContaining(['RUNBOOK.md', 'pulumi/Pulumi.acme-prod.yaml']));
    expect(text).toContain('[redacted]');
    for (const secret of ['SUPERSECRETPAYLOAD', 'SALTSALTSALT', TOKEN]) expect(text).not.toContain(secret);
    const stack = diff.files.find((file) => file.path === 'pulumi/Pulumi.acme-prod.yaml')!.diff;
    expect(stack).toContain('    secure: [redacted]');
    expect(stack).toContain('encryptionsalt: [redacted]');
  });

  it('an invalid spec is trouble (exit 2), not a change', () => {
    const root = mkdtempSync(join(tmpdir(), 'installctl-diff-'));
    writeFileSync(join(root, 'bad.yaml'), 'kind: Install\n');
    expect(renderDiff({ spec: join(root, 'bad.yaml'), outDir: join(root, 'out') })).toMatchObject({ valid: false, exitCode: 2 });
  });
});

describe('placeholders past the issue cap', () => {
  it('render refuses every placeholder, not only those among the first MAX_ISSUES issues', () => {
    const root = mkdtempSync(join(tmpdir(), 'installctl-placeholder-cap-'));
    // The schema's maxima: 32 labels, 64 no-proxy entries; with the example's own fields, past MAX_ISSUES.
    const labels = Array.from({ length: 32 }, (_, index) => `\n    k${index}: h${index}.northwind.example`).join('');
    const noProxy = Array.from({ length: 64 }, (_, index) => `.h${index}.northwind.example`).join(', ');
    const text = readFileSync(join(REPO, 'examples', 'aws-github-saas-connected.yaml'), 'utf8')
      .replace('  labels:\n    cost-center: eng-platform', `  labels:${labels}`)
      .replace('noProxy: [.northwind.corp, 10.0.0.0/8, 169.254.169.254]', `noProxy: [${noProxy}]`)
      .replace(/481516234200/g, '123456789012')
      .replace('customer: Northwind Traders', 'customer: Example Corp')
      .replace('organizations: [northwind,', 'organizations: [example-org,')
      .replace(/northwind\.corp|northwind-traders\.com/g, 'northwind.example');
    const spec = join(root, 'spec.yaml');
    writeFileSync(spec, text);
    let error: { code?: string; details?: { paths: string[] } } = {};
    try {
      renderDryRun({ spec, outDir: join(root, 'out') });
    } catch (caught) {
      error = caught as typeof error;
    }
    expect(error.code).toBe('RENDER_PLACEHOLDERS');
    expect(error.details!.paths.length).toBeGreaterThan(MAX_ISSUES);
    expect(error.details!.paths).toContain('spec.ingress.hostname');
  });
});
