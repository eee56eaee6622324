/**
 * Adversarial suite for render's output directory: hostile or careless --out targets, renders
 * killed at every step of the swap, and re-renders that stop producing a file. Each row: the exit
 * code, the error code, and what is on disk afterwards: operator files intact, no staging or
 * previous directory left beside DIR, no Pulumi state deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO, runCli } from '../helpers/cli.js';

const EXAMPLE = join(REPO, 'examples', 'aws-ghes-self-hosted-air-gapped.yaml');
const SAAS = join(REPO, 'examples', 'aws-github-saas-connected.yaml');
const fresh = () => mkdtempSync(join(tmpdir(), 'installctl-sec-render-'));
const LEFTOVER = /\.installctl-(staging|previous|replaced)-/;
const leftovers = (dir: string) => readdirSync(dir).filter((name) => LEFTOVER.test(name));

/** What `npm ci`, the runbook and `pulumi config set --secret` / `pulumi stack init` leave in DIR. */
const OPERATOR_FILES: Record<string, string> = {
  'secrets/rabbitmq-password': 's3cr3t-generated',
  'secrets/tls/server.key': '-----BEGIN PRIVATE KEY-----\nMC4\n-----END PRIVATE KEY-----\n',
  'pulumi/node_modules/@pulumi/aws/index.js': 'module.exports = 1;',
  'helm/agent-platform.infra.values.json': '{"host":"x"}',
};
const STACK = 'pulumi/Pulumi.acme-gov.yaml';

function addOperatorState(out: string): void {
  for (const [path, content] of Object.entries(OPERATOR_FILES)) {
    mkdirSync(join(out, path, '..'), { recursive: true });
    writeFileSync(join(out, path), content);
  }
  const stack = join(out, STACK);
  writeFileSync(stack, `encryptionsalt: v1:SALT:abc\n${readFileSync(stack, 'utf8')}  installctl:redisAuthToken:\n    secure: v1:AAAA:BBBB\n`);
}

function expectOperatorState(out: string): void {
  for (const [path, content] of Object.entries(OPERATOR_FILES)) expect(readFileSync(join(out, path), 'utf8'), path).toBe(content);
  const stack = parse(readFileSync(join(out, STACK), 'utf8'));
  expect(stack.encryptionsalt).toBe('v1:SALT:abc');
  expect(stack.config['installctl:redisAuthToken']).toEqual({ secure: 'v1:AAAA:BBBB' });
}

/** An earlier render with operator state, in a fresh parent directory. */
function earlierRender(): { parent: string; out: string } {
  const parent = fresh();
  const out = join(parent, 'out');
  expect(runCli(['render', EXAMPLE, '--out', out]).status).toBe(0);
  addOperatorState(out);
  return { parent, out };
}

describe('hostile and careless --out targets', () => {
  let sleeper: ReturnType<typeof spawn>;
  beforeAll(() => {
    sleeper = spawn('sleep', ['120']);
  });
  afterAll(() => {
    sleeper.kill();
  });

  interface Case {
    name: string;
    /** Prepares parent; returns the --out argument, extra flags and options. */
    setup: (parent: string) => { out: string; spec?: string; args?: string[]; cwd?: string; env?: Record<string, string> };
    code: string;
    /** Checks what is on disk afterwards (besides: no leftovers in parent). */
    after?: (parent: string) => void;
    /** Another directory DIR is in, where no leftover may appear (compared before and after). */
    outside?: string;
  }
  const linkTo = (parent: string, name: string, target: string) => symlinkSync(target, join(parent, name));
  const withRender = (parent: string) => {
    expect(runCli(['render', EXAMPLE, '--out', join(parent, 'real')]).status).toBe(0);
    writeFileSync(join(parent, 'real', 'mine.txt'), 'mine');
  };
  const cases: Case[] = [
    {
      name: 'a symbolic link to an earlier render',
      setup: (parent) => (withRender(parent), linkTo(parent, 'out', 'real'), { out: join(parent, 'out') }),
      code: 'RENDER_OUT_SYMLINK',
      after: (parent) => {
        expect(readlinkSync(join(parent, 'out'))).toBe('real');
        expect(readFileSync(join(parent, 'real', 'mine.txt'), 'utf8')).toBe('mine');
      },
    },
    {
      name: 'a symbolic link to an earlier render, with --force and a trailing slash',
      setup: (parent) => (withRender(parent), linkTo(parent, 'out', 'real'), { out: join(parent, 'out') + '/', args: ['--force'] }),
      code: 'RENDER_OUT_SYMLINK',
      after: (parent) => expect(lstatSync(join(parent, 'out')).isSymbolicLink()).toBe(true),
    },
    {
      name: 'a dangling symbolic link, with --force',
      setup: (parent) => (linkTo(parent, 'out', join(parent, 'nowhere')), { out: join(parent, 'out'), args: ['--force'] }),
      code: 'RENDER_OUT_SYMLINK',
      after: (parent) => expect(existsSync(join(parent, 'nowhere'))).toBe(false),
    },
    {
      name: 'a symbolic link to a system directory, with --force',
      setup: (parent) => (linkTo(parent, 'out', '/etc'), { out: join(parent, 'out'), args: ['--force'] }),
      code: 'RENDER_OUT_SYMLINK',
    },
    { name: '/ with --force', setup: () => ({ out: '/', args: ['--force'] }), code: 'RENDER_OUT_UNSAFE', outside: '/' },
    { name: '/ spelled /tmp/../.., with --force', setup: () => ({ out: '/tmp/../..', args: ['--force'] }), code: 'RENDER_OUT_UNSAFE', outside: '/' },
    {
      name: 'the current directory (an earlier render), as "."',
      setup: (parent) => (withRender(parent), { out: '.', cwd: join(parent, 'real') }),
      code: 'RENDER_OUT_UNSAFE',
      after: (parent) => expect(readFileSync(join(parent, 'real', 'mine.txt'), 'utf8')).toBe('mine'),
    },
    {
      name: 'an ancestor of the current directory, with --force',
      setup: (parent) => (mkdirSync(join(parent, 'work', 'deep'), { recursive: true }), { out: '..', args: ['--force'], cwd: join(parent, 'work', 'deep') }),
      code: 'RENDER_OUT_UNSAFE',
      after: (parent) => expect(existsSync(join(parent, 'work', 'deep'))).toBe(true),
    },
    {
      name: 'the home directory, with --force',
      setup: (parent) => (
        mkdirSync(join(parent, 'home')),
        writeFileSync(join(parent, 'home', '.bashrc'), 'x'),
        { out: join(parent, 'home'), args: ['--force'], env: { HOME: join(parent, 'home') } }
      ),
      code: 'RENDER_OUT_UNSAFE',
      after: (parent) => expect(readFileSync(join(parent, 'home', '.bashrc'), 'utf8')).toBe('x'),
    },
    {
      name: 'a shared sticky directory, with --force',
      setup: (parent) => (
        mkdirSync(join(parent, 'shared')),
        chmodSync(join(parent, 'shared'), 0o1777),
        writeFileSync(join(parent, 'shared', 'theirs'), 'x'),
        { out: join(parent, 'shared'), args: ['--force'] }
      ),
      code: 'RENDER_OUT_UNSAFE',
      after: (parent) => expect(existsSync(join(parent, 'shared', 'theirs'))).toBe(true),
    },
    { name: 'a mount point (/proc), with --force', setup: () => ({ out: '/proc', args: ['--force'] }), code: 'RENDER_OUT_UNSAFE', outside: '/' },
    {
      name: 'a directory holding the spec, with --force',
      setup: (parent) => (
        mkdirSync(join(parent, 'out')),
        copyFileSync(EXAMPLE, join(parent, 'out', 'spec.yaml')),
        { out: join(parent, 'out'), spec: join(parent, 'out', 'spec.yaml'), args: ['--force'] }
      ),
      code: 'RENDER_OUT_UNSAFE',
      after: (parent) => expect(existsSync(join(parent, 'out', 'spec.yaml'))).toBe(true),
    },
    {
      name: 'a directory that is not an earlier render, without --force',
      setup: (parent) => (mkdirSync(join(parent, 'out')), writeFileSync(join(parent, 'out', 'notes'), 'x'), { out: join(parent, 'out') }),
      code: 'RENDER_OUT_NOT_RENDER',
      after: (parent) => expect(readFileSync(join(parent, 'out', 'notes'), 'utf8')).toBe('x'),
    },
    { name: 'a file', setup: (parent) => (writeFileSync(join(parent, 'out'), 'x'), { out: join(parent, 'out'), args: ['--force'] }), code: 'RENDER_OUT_NOT_DIRECTORY' },
    { name: 'a path through a file', setup: (parent) => (writeFileSync(join(parent, 'file'), 'x'), { out: join(parent, 'file', 'out') }), code: 'OUTPUT_NOT_WRITABLE' },
    { name: 'a path too long', setup: (parent) => ({ out: join(parent, 'o'.repeat(300)) }), code: 'OUTPUT_NOT_WRITABLE' },
    {
      name: 'a directory another running render is replacing',
      setup: (parent) => {
        withRender(parent);
        renameSync(join(parent, 'real'), join(parent, `.real.installctl-previous-${sleeper.pid}`));
        return { out: join(parent, 'real') };
      },
      code: 'RENDER_OUT_BUSY',
      after: (parent) => {
        expect(readdirSync(parent)).toEqual([`.real.installctl-previous-${sleeper.pid}`]);
        expect(existsSync(join(parent, 'real'))).toBe(false);
      },
    },
  ];

  it.each(cases)('$name -> $code, exit 2, nothing replaced or left behind', ({ setup, code, after, outside }) => {
    const parent = fresh();
    const { out, spec = EXAMPLE, args = [], cwd, env } = setup(parent);
    const before = readdirSync(parent).sort();
    const outsideBefore = outside ? leftovers(outside) : [];
    const run = runCli(['render', spec, '--out', out, ...args, '--json'], { cwd, env });
    expect(run.status, run.stdout + run.stderr).toBe(2);
    expect(run.json().error.code).toBe(code);
    expect(readdirSync(parent).sort()).toEqual(before);
    if (code !== 'RENDER_OUT_BUSY') expect(leftovers(parent)).toEqual([]);
    if (outside) expect(leftovers(outside)).toEqual(outsideBefore);
    after?.(parent);
  });
});

describe('renders killed at every step of the swap', () => {
  it.each(['staging-written', 'staging-carried', 'target-moved', 'swapped'])('killed at %s: the next render keeps every operator file and leaves nothing beside DIR', (step) => {
    const { parent, out } = earlierRender();
    const killed = runCli(['render', EXAMPLE, '--out', out], { env: { INSTALLCTL_TEST_CRASH_AT: step } });
    expect(killed.status, killed.stderr).toBeNull();
    expect(leftovers(parent).length).toBeGreaterThan(0);

    const next = runCli(['render', EXAMPLE, '--out', out, '--json']);
    expect(next.status, next.stderr).toBe(0);
    const { recovery, kept } = next.json();
    expect(recovery.restored !== null).toBe(step === 'target-moved');
    expect(recovery.remaining).toEqual([]);
    expect(kept).toEqual(['helm/agent-platform.infra.values.json', 'pulumi/node_modules', 'secrets']);
    expectOperatorState(out);
    expect(readdirSync(parent)).toEqual(['out']);
    if (recovery.restored) expect(next.stderr).toMatch(/restored it from/);
  });

  it('DIR left missing by a render of an older installctl (no test hook): restored from .DIR.installctl-previous-PID, state kept', () => {
    const { parent, out } = earlierRender();
    const dead = spawnSync('true').pid;
    renameSync(out, join(parent, `.out.installctl-previous-${dead}`));
    const next = runCli(['render', EXAMPLE, '--out', out, '--json']);
    expect(next.status, next.stderr).toBe(0);
    expect(next.json().recovery).toEqual({ restored: join(parent, `.out.installctl-previous-${dead}`), removed: [], remaining: [] });
    expectOperatorState(out);
    expect(readdirSync(parent)).toEqual(['out']);
  });

  it('a --force replacement killed between the renames: the replaced directory comes back, and without --force stays refused', () => {
    const parent = fresh();
    const out = join(parent, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    expect(runCli(['render', EXAMPLE, '--out', out, '--force'], { env: { INSTALLCTL_TEST_CRASH_AT: 'target-moved' } }).status).toBeNull();
    expect(existsSync(out)).toBe(false);
    const next = runCli(['render', EXAMPLE, '--out', out, '--json']);
    expect(next.status).toBe(2);
    expect(next.json().error.code).toBe('RENDER_OUT_NOT_RENDER');
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readdirSync(parent)).toEqual(['out']);
  });

  it('a DIR missing after a kill is restored even if several renders were killed in a row', () => {
    const { parent, out } = earlierRender();
    expect(runCli(['render', EXAMPLE, '--out', out], { env: { INSTALLCTL_TEST_CRASH_AT: 'target-moved' } }).status).toBeNull();
    expect(runCli(['render', EXAMPLE, '--out', out], { env: { INSTALLCTL_TEST_CRASH_AT: 'target-moved' } }).status).toBeNull();
    const next = runCli(['render', EXAMPLE, '--out', out, '--json']);
    expect(next.status, next.stderr).toBe(0);
    expectOperatorState(out);
    expect(readdirSync(parent)).toEqual(['out']);
  });
});

describe('files a re-render no longer produces', () => {
  const renamed = (parent: string, name: string) => {
    const spec = join(parent, `${name}.yaml`);
    writeFileSync(spec, readFileSync(EXAMPLE, 'utf8').replace('name: acme-gov', `name: ${name}`));
    return spec;
  };

  it.each([
    {
      name: 'metadata.name changed after pulumi wrote the salt and a secret: the old stack file stays, byte for byte',
      spec: (parent: string) => renamed(parent, 'acme-gov2'),
      edit: true,
      kept: [STACK],
      gone: [],
    },
    {
      name: "metadata.name changed, old stack file untouched: it goes (installctl wrote it, it holds nothing of Pulumi's)",
      spec: (parent: string) => renamed(parent, 'acme-gov2'),
      edit: false,
      kept: [],
      gone: [STACK],
    },
    {
      name: 'self-hosted -> saas-api after editing the model-server values: they stay, and so does the old stack file',
      spec: () => SAAS,
      edit: true,
      kept: ['helm/model-server.values.yaml', STACK],
      gone: [],
    },
    {
      name: 'self-hosted -> saas-api, nothing edited: model-server values and old stack file go',
      spec: () => SAAS,
      edit: false,
      kept: [],
      gone: ['helm/model-server.values.yaml', STACK],
    },
  ])('$name', ({ spec, edit, kept, gone }) => {
    const parent = fresh();
    const out = join(parent, 'out');
    expect(runCli(['render', EXAMPLE, '--out', out]).status).toBe(0);
    if (edit) {
      writeFileSync(join(out, STACK), `encryptionsalt: v1:SALT:abc\n${readFileSync(join(out, STACK), 'utf8')}  installctl:redisAuthToken:\n    secure: v1:AAAA:BBBB\n`);
      writeFileSync(join(out, 'helm/model-server.values.yaml'), readFileSync(join(out, 'helm/model-server.values.yaml'), 'utf8') + '# tuned by ops\n');
    }
    const before = new Map(kept.map((path) => [path, readFileSync(join(out, path), 'utf8')]));
    const run = runCli(['render', spec(parent), '--out', out, '--json']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.json().kept).toEqual(kept);
    for (const [path, content] of before) expect(readFileSync(join(out, path), 'utf8'), path).toBe(content);
    for (const path of gone) expect(existsSync(join(out, path)), path).toBe(false);
    expect(readdirSync(parent).filter((name) => LEFTOVER.test(name))).toEqual([]);
  });
});
