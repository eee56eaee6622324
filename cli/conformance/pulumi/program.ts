/**
 * The program of an emitted Pulumi project as the mock synthesis runs it. The program is bundled
 * with esbuild (TypeScript, .js specifiers) with every @pulumi/* import pinned to installctl's own
 * copy, so the program and the harness share one Pulumi runtime.
 *
 * The bundle is a CommonJS function body, compiled once per process for each distinct program
 * source and called once per run: every cell and release of a platform runs the same program
 * (index.ts and the vendored stacks/) with its own stack config, so V8 compiles (and optimizes) it
 * once, and nothing of a finished run stays reachable (an imported ES module would stay in the
 * module map with its exports, which hold the run's whole resource graph: the heap grew by
 * megabytes per run and the scavenges with it).
 *
 * A project is a directory, or its files in memory (conformance renders a cell at other releases
 * without writing them: writing a render's files cost four times its rendering). A project in
 * memory is written out only when its program was not compiled yet, for esbuild to read.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { compileFunction } from 'node:vm';
import { packageRoot } from '../../lib/package-root.js';
import { compareText } from '../../lib/compare.js';

/** A project's files in memory, by path relative to the project directory; scratchDir: where to write them if esbuild must read them. */
export interface ProjectFiles {
  files: ReadonlyMap<string, string | Uint8Array>;
  scratchDir: string;
}

/** A project directory, or a project in memory. */
export type ProjectSource = string | ProjectFiles;

export const requireFromPackage = (): NodeJS.Require => createRequire(join(packageRoot(), 'package.json'));

/** The text of a project file, or null when the project has none. */
export function projectText(source: ProjectSource, path: string): string | null {
  if (typeof source === 'string') {
    try {
      return readFileSync(join(source, path), 'utf8');
    } catch {
      return null;
    }
  }
  const content = source.files.get(path);
  return content === undefined ? null : typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
}

/** The stack file's name (Pulumi.<stack>.yaml) of a project. */
export function stackFileName(source: ProjectSource): string | null {
  const names = typeof source === 'string' ? readdirSync(source) : [...source.files.keys()];
  return names.find((name) => /^Pulumi\.[^./]+\.yaml$/.test(name)) ?? null;
}

/** Every file under `dir` of the project (relative paths, sorted), with its bytes. */
function filesUnder(source: ProjectSource, dir: string): Array<[string, Uint8Array]> {
  if (typeof source !== 'string') {
    return [...source.files]
      .filter(([path]) => path.startsWith(`${dir}/`))
      .map(([path, content]): [string, Uint8Array] => [path, typeof content === 'string' ? Buffer.from(content) : content])
      .sort(([a], [b]) => compareText(a, b));
  }
  const out: Array<[string, Uint8Array]> = [];
  const walk = (relative: string) => {
    for (const name of readdirSync(join(source, relative))) {
      const path = `${relative}/${name}`;
      if (statSync(join(source, path)).isDirectory()) walk(path);
      else out.push([path, readFileSync(join(source, path))]);
    }
  };
  walk(dir);
  return out.sort(([a], [b]) => compareText(a, b));
}

/** SHA-256 over what the program bundle is made of: index.ts, every file under stacks/ and what esbuild reads of the project's settings. */
export function programSourceHash(source: ProjectSource): string {
  const digest = createHash('sha256');
  // esbuild reads tsconfig.json, and of package.json only the fields that say how to load local files (not the dependency pins).
  const manifest = JSON.parse(projectText(source, 'package.json') ?? '{}') as Record<string, unknown>;
  const loading = ['type', 'sideEffects', 'imports', 'exports', 'main', 'module', 'browser'].map((field) => manifest[field]);
  for (const part of [JSON.stringify(loading), projectText(source, 'tsconfig.json') ?? '', projectText(source, 'index.ts') ?? '']) digest.update(part).update('\0');
  for (const [path, content] of filesUnder(source, 'stacks')) digest.update(`${path}\0`).update(content).update('\0');
  return digest.digest('hex');
}

export async function bundleProgram(projectDir: string): Promise<string> {
  const { build } = await import('esbuild');
  const require = requireFromPackage();
  const result = await build({
    entryPoints: [join(projectDir, 'index.ts')],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
    plugins: [
      {
        name: 'installctl-pulumi',
        setup(build) {
          build.onResolve({ filter: /^@pulumi\// }, (args) => ({ path: require.resolve(args.path), external: true }));
        },
      },
    ],
  });
  return result.outputFiles[0]!.text;
}

/** The project's directory: itself, or its files written to the scratch directory. */
function projectDir(source: ProjectSource): string {
  if (typeof source === 'string') return source;
  for (const [path, content] of source.files) {
    mkdirSync(dirname(join(source.scratchDir, path)), { recursive: true });
    writeFileSync(join(source.scratchDir, path), content);
  }
  return source.scratchDir;
}

/** A compiled program: called with a fresh module object, it runs the whole program once. */
export type Program = (exports: Record<string, unknown>, require: NodeJS.Require, module: { exports: Record<string, unknown> }) => void;

const programs = new Map<string, Promise<Program>>();

/** The program of a project, bundled and compiled once per process for identical sources. */
export function compiledProgram(source: ProjectSource): Promise<Program> {
  const key = programSourceHash(source);
  let program = programs.get(key);
  if (!program) {
    const dir = projectDir(source);
    program = bundleProgram(dir).then((code) => compileFunction(`"use strict";${code}`, ['exports', 'require', 'module'], { filename: join(dir, 'index.ts') }) as Program);
    // A failed bundle is not kept: the next project tries again (and reports its own error).
    program.catch(() => programs.delete(key));
    programs.set(key, program);
  }
  return program;
}
