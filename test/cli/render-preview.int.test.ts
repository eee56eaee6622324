/**
 * The built CLI: render --diff exits 0 no change, 1 changes, 2 trouble and prints a unified diff;
 * render --dry-run lists files; both print their documented --json shapes and write nothing.
 * render refuses init's placeholders unless --allow-placeholders; validate --strict fails on warnings.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, runCli } from '../helpers/cli.js';
import { expectSchemaDef } from '../helpers/schemas.js';

const EXAMPLE = join(REPO, 'examples', 'aws-github-saas-connected.yaml');
const dir = mkdtempSync(join(tmpdir(), 'installctl-render-preview-'));

describe('render --diff and --dry-run (CLI)', () => {
  it('--diff: exit 1 with a unified diff, then exit 0 once rendered; nothing written by the diff', () => {
    const out = join(dir, 'diffed');
    const first = runCli(['render', EXAMPLE, '--out', out, '--diff']);
    expect(first.status, first.stderr).toBe(1);
    expect(first.stdout).toMatch(/^--- \/dev\/null\n\+\+\+ b\/RUNBOOK\.md\n@@ -0,0 \+1,\d+ @@\n/);
    expect(existsSync(out)).toBe(false);
    const json = runCli(['render', EXAMPLE, '--out', out, '--diff', '--json']);
    expect(json.status).toBe(1);
    expectSchemaDef('cli-output.schema.json', 'renderDiff', json.json());
    expect(json.json().changed).toBe(true);
    expect(runCli(['render', EXAMPLE, '--out', out]).status).toBe(0);
    const same = runCli(['render', EXAMPLE, '--out', out, '--diff', '--json']);
    expect(same.status).toBe(0);
    expectSchemaDef('cli-output.schema.json', 'renderDiff', same.json());
    expect(same.json()).toMatchObject({ changed: false, files: [] });
    expect(runCli(['render', EXAMPLE, '--out', out, '--diff']).stdout).toBe('');
    expect(readdirSync(dir).sort()).toEqual(['diffed']);
  });

  it('--dry-run: lists every file with size and hash, exit 0, writes nothing', () => {
    const out = join(dir, 'dry');
    const run = runCli(['render', EXAMPLE, '--out', out, '--dry-run', '--json']);
    expect(run.status, run.stderr).toBe(0);
    expectSchemaDef('cli-output.schema.json', 'renderDryRun', run.json());
    expect(run.json().files.map((file: { path: string }) => file.path)).toContain('RUNBOOK.md');
    const text = runCli(['render', EXAMPLE, '--out', out, '--dry-run']);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^[0-9a-f]{12} +\d+ {2}RUNBOOK\.md$/m);
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    ['--diff', 2],
    ['--dry-run', 1],
  ])('%s of an invalid spec: exit %i, nothing written', (flag, status) => {
    const spec = join(dir, `invalid${flag}.yaml`);
    writeFileSync(spec, 'apiVersion: installctl.dev/v1alpha1\nkind: Install\n');
    const run = runCli(['render', spec, '--out', join(dir, `never${flag}`), flag, '--json']);
    expect(run.status).toBe(status);
    expect(run.json().valid).toBe(false);
    expect(existsSync(join(dir, `never${flag}`))).toBe(false);
  });

  it('--diff and --dry-run together: a usage error', () => {
    expect(runCli(['render', EXAMPLE, '--out', join(dir, 'both'), '--diff', '--dry-run']).status).toBe(2);
  });
});

describe('placeholders (CLI)', () => {
  const starter = join(dir, 'starter.yaml');
  const init = () =>
    runCli([
      'init',
      '--platform',
      'gcp',
      '--scm',
      'gitlab-self-managed',
      '--models',
      'cloud-managed',
      '--network',
      'connected',
      '--customer',
      'Initech Inc',
      '--out',
      starter,
      '--force',
    ]);

  it('render of an init starter spec: RENDER_PLACEHOLDERS (exit 2) with the paths, unless --allow-placeholders', () => {
    expect(init().status).toBe(0);
    for (const mode of [[], ['--diff'], ['--dry-run']]) {
      const refused = runCli(['render', starter, '--out', join(dir, 'starter-out'), ...mode, '--json']);
      expect(refused.status).toBe(2);
      expect(refused.json().error.code).toBe('RENDER_PLACEHOLDERS');
      expect(refused.json().error.details.paths).toContain('spec.ingress.hostname');
    }
    expect(existsSync(join(dir, 'starter-out'))).toBe(false);
    const allowed = runCli(['render', starter, '--out', join(dir, 'starter-out'), '--allow-placeholders', '--json']);
    expect(allowed.status, allowed.stderr).toBe(0);
    expect(allowed.json().issues.map((issue: { code: string }) => issue.code)).toContain('RULE_PLACEHOLDER');
  });

  it('validate --strict: warnings are errors (exit 1); a clean example still passes', () => {
    expect(init().status).toBe(0);
    expect(runCli(['validate', starter]).status).toBe(0);
    const strict = runCli(['validate', '--strict', starter, '--json']);
    expect(strict.status).toBe(1);
    expect(strict.json()).toMatchObject({ valid: false, warnings: 0 });
    expect(strict.json().errors).toBeGreaterThan(0);
    expect(new Set(strict.json().issues.map((issue: { severity: string }) => issue.severity))).toEqual(new Set(['error']));
    expect(runCli(['validate', '--strict', ...readdirSync(join(REPO, 'examples')).map((name) => join(REPO, 'examples', name))]).status).toBe(0);
  });
});
