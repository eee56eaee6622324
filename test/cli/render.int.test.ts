/** installctl render: files, manifest, determinism, atomic replacement, refusal, and validate's errors. */
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { projectPins } from '../../cli/emit/pulumi-project.js';
import { currentRelease } from '../../cli/releases/catalog.js';
import { writeDirectoryAtomic } from '../../cli/emit/output-dir.js';
import { REPO, runCli } from '../helpers/cli.js';
import { expectSchemaDef } from '../helpers/schemas.js';
import { parse } from 'yaml';

const EXAMPLE = join(REPO, 'examples', 'aws-ghes-self-hosted-air-gapped.yaml');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'installctl-render-'));
});

function filesUnder(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (at: string) => {
    for (const entry of readdirSync(at)) {
      const path = join(at, entry);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(root, path), readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return out;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('installctl render', () => {
  it('writes the Pulumi project and a manifest whose hashes match the files', () => {
    const out = join(dir, 'acme');
    const run = runCli(['render', EXAMPLE, '--out', out, '--json']);
    expect(run.status, run.stderr).toBe(0);
    const json = run.json();
    expect(json.cell).toEqual({ id: 'aws/github-enterprise-server/self-hosted/air-gapped', status: 'supported' });
    const files = filesUnder(out);
    for (const name of ['Pulumi.yaml', 'Pulumi.acme-gov.yaml', 'index.ts', 'package.json', 'tsconfig.json', 'stacks/aws/install.ts', 'stacks/settings.ts'])
      expect(files.has(`pulumi/${name}`), name).toBe(true);
    expect([...files.keys()].some((path) => path.includes('stacks/azure') || path.includes('stacks/gcp'))).toBe(false);
    const manifest = JSON.parse(files.get('manifest.json')!);
    expect(manifest).toMatchObject({
      kind: 'RenderManifest',
      install: 'acme-gov',
      cell: json.cell,
      spec: { file: 'aws-ghes-self-hosted-air-gapped.yaml', sha256: sha256(readFileSync(EXAMPLE, 'utf8')) },
    });
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual([...files.keys()].filter((p) => p !== 'manifest.json').sort());
    for (const entry of manifest.files) expect(entry.sha256, entry.path).toBe(sha256(files.get(entry.path)!));
  });

  it('is deterministic: two renders are byte-identical', () => {
    runCli(['render', EXAMPLE, '--out', join(dir, 'one')]);
    runCli(['render', EXAMPLE, '--out', join(dir, 'two')]);
    expect(filesUnder(join(dir, 'one'))).toEqual(filesUnder(join(dir, 'two')));
  });

  it('writes every setting as stack config, secrets only as references and set-secret instructions', () => {
    const out = join(dir, 'config');
    runCli(['render', EXAMPLE, '--out', out]);
    const stack = readFileSync(join(out, 'pulumi', 'Pulumi.acme-gov.yaml'), 'utf8');
    expect(stack).toContain('aws:region: us-gov-west-1');
    expect(stack).toContain('installctl:install:');
    expect(stack).toContain('pulumi config set --secret installctl:redisAuthToken');
    expect(stack).not.toMatch(/secure:/);
    const pkg = JSON.parse(readFileSync(join(out, 'pulumi', 'package.json'), 'utf8'));
    const pins = projectPins(currentRelease().version);
    expect(pkg.dependencies).toEqual({ '@pulumi/pulumi': pins['@pulumi/pulumi'], '@pulumi/aws': pins['@pulumi/aws'] });
    expect(Object.values({ ...pkg.dependencies, ...pkg.devDependencies }).every((version) => /^\d+\.\d+\.\d+$/.test(String(version)))).toBe(true);
  });

  it('re-renders over an earlier render, but refuses another non-empty directory unless --force', () => {
    const out = join(dir, 'again');
    expect(runCli(['render', EXAMPLE, '--out', out]).status).toBe(0);
    expect(runCli(['render', EXAMPLE, '--out', out]).status).toBe(0);
    const other = join(dir, 'precious');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'keep');
    const refused = runCli(['render', EXAMPLE, '--out', other, '--json']);
    expect(refused.status).toBe(2);
    expect(refused.json().error.code).toBe('RENDER_OUT_NOT_RENDER');
    expect(readFileSync(join(other, 'notes.txt'), 'utf8')).toBe('keep');
    expect(runCli(['render', EXAMPLE, '--out', other, '--force']).status).toBe(0);
    expect(existsSync(join(other, 'notes.txt'))).toBe(false);
    expect(existsSync(join(other, 'manifest.json'))).toBe(true);
  });

  it("keeps the operator's state across a re-render: unlisted files, node_modules, Pulumi secrets and salt", () => {
    const out = join(dir, 'operator');
    expect(runCli(['render', EXAMPLE, '--out', out]).status).toBe(0);
    const stackFile = join(out, 'pulumi', 'Pulumi.acme-gov.yaml');
    // What `npm ci`, the runbook and `pulumi config set --secret` leave behind.
    mkdirSync(join(out, 'pulumi', 'node_modules', '@pulumi', 'aws'), { recursive: true });
    writeFileSync(join(out, 'pulumi', 'node_modules', '@pulumi', 'aws', 'index.js'), 'module.exports = 1;');
    writeFileSync(join(out, 'rabbitmq-password'), 's3cr3t-generated');
    writeFileSync(join(out, 'helm', 'agent-platform.infra.values.json'), '{}');
    writeFileSync(stackFile, `encryptionsalt: v1:abc:def\n${readFileSync(stackFile, 'utf8')}  installctl:redisAuthToken:\n    secure: v1:AAAA:BBBB\n`);

    const run = runCli(['render', EXAMPLE, '--out', out, '--json']);
    expect(run.status, run.stderr).toBe(0);
    expectSchemaDef('cli-output.schema.json', 'render', run.json());
    expect(run.json().kept).toEqual(['helm/agent-platform.infra.values.json', 'pulumi/node_modules', 'rabbitmq-password']);
    expect(readFileSync(join(out, 'rabbitmq-password'), 'utf8')).toBe('s3cr3t-generated');
    expect(readFileSync(join(out, 'pulumi', 'node_modules', '@pulumi', 'aws', 'index.js'), 'utf8')).toBe('module.exports = 1;');
    const stack = parse(readFileSync(stackFile, 'utf8'));
    expect(stack.encryptionsalt).toBe('v1:abc:def');
    expect(stack.config['installctl:redisAuthToken']).toEqual({ secure: 'v1:AAAA:BBBB' });
    expect(stack.config['aws:region']).toBe('us-gov-west-1');
    // The manifest still lists only rendered files, and their hashes are the files' (the merged stack file included).
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.files.map((file: { path: string }) => file.path)).not.toContain('rabbitmq-password');
    const listed = manifest.files.find((file: { path: string }) => file.path === 'pulumi/Pulumi.acme-gov.yaml');
    expect(listed.sha256).toBe(sha256(readFileSync(stackFile, 'utf8')));
    // Re-rendering again changes nothing: the merge is stable.
    const before = filesUnder(out);
    expect(runCli(['render', EXAMPLE, '--out', out]).status).toBe(0);
    expect(filesUnder(out)).toEqual(before);
  });

  it('validates first: the same issues and exit code as validate, and nothing written', () => {
    const spec = join(dir, 'bad.yaml');
    writeFileSync(spec, readFileSync(EXAMPLE, 'utf8').replace('mode: air-gapped', 'mode: airgapped'));
    const out = join(dir, 'never');
    const render = runCli(['render', spec, '--out', out, '--json']);
    const validate = runCli(['validate', spec, '--json']);
    expect(render.status).toBe(1);
    expect(render.json().issues).toEqual(validate.json().issues);
    expect(existsSync(out)).toBe(false);
    expect(runCli(['render', join(dir, 'missing.yaml'), '--out', out]).status).toBe(2);
  });
});

describe('atomic output', () => {
  it('leaves the previous output intact and no staging directory when a write fails', () => {
    const out = join(dir, 'atomic');
    writeDirectoryAtomic(
      out,
      new Map([
        ['manifest.json', '{"kind":"RenderManifest"}'],
        ['a.txt', 'old'],
      ]),
    );
    expect(() =>
      writeDirectoryAtomic(
        out,
        new Map([
          ['a.txt', 'new'],
          ['../escape.txt', 'x'],
        ]),
      ),
    ).toThrow(/unsafe path/);
    expect(readFileSync(join(out, 'a.txt'), 'utf8')).toBe('old');
    expect(readdirSync(dir).filter((name) => name.includes('installctl-staging') || name.includes('installctl-previous'))).toEqual([]);
    writeDirectoryAtomic(out, new Map([['b.txt', 'new']]));
    expect(readdirSync(out)).toEqual(['b.txt']);
  });
});
