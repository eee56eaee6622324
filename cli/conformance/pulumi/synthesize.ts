/**
 * Runs an emitted Pulumi project under pulumi.runtime.setMocks: the real program (index.ts and its
 * vendored stacks/), the real provider SDKs, no engine and no cloud. The program is bundled with
 * esbuild (TypeScript, .js specifiers) with every @pulumi/* import pinned to installctl's own copy,
 * so the program and this harness share one Pulumi runtime. Sequential runs in one process are fine:
 * each run installs fresh mocks and waits for all registrations before returning.
 *
 * The bundle is a CommonJS function body, compiled once per process for each distinct program
 * source and called once per run: every cell and release of a platform runs the same program with
 * its own stack config, so V8 compiles (and optimizes) it once, and nothing of a finished run stays
 * reachable (an imported ES module would stay in the module map with its exports, which hold the
 * run's whole resource graph: the heap grew by megabytes per run and the scavenges with it).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileFunction } from 'node:vm';
import { parse } from 'yaml';
import type { InstallSettings } from '../../../stacks/settings.js';
import { packageRoot } from '../../lib/package-root.js';
import { compareText } from '../../lib/compare.js';
import { cloudModuleFor } from './clouds/index.js';
import type { ResourceOptionsRecord, SynthesizedResource, Synthesis } from './types.js';

type PulumiModule = typeof import('@pulumi/pulumi');

let pulumiModule: Promise<PulumiModule> | undefined;
const requireFromPackage = () => createRequire(join(packageRoot(), 'package.json'));

/** installctl's own @pulumi/pulumi, the instance the bundled program imports too. */
export function loadPulumi(): Promise<PulumiModule> {
  pulumiModule ??= import(pathToFileURL(requireFromPackage().resolve('@pulumi/pulumi')).href) as Promise<PulumiModule>;
  return pulumiModule;
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

/** SHA-256 over what the program bundle is made of: index.ts, every file under stacks/ (by relative path) and what esbuild reads of the project's settings. */
function programSourceHash(projectDir: string): string {
  const digest = createHash('sha256');
  const walk = (relative: string) => {
    for (const name of readdirSync(join(projectDir, relative)).sort(compareText)) {
      const path = `${relative}/${name}`;
      if (statSync(join(projectDir, path)).isDirectory()) walk(path);
      else
        digest
          .update(`${path}\0`)
          .update(readFileSync(join(projectDir, path)))
          .update('\0');
    }
  };
  // esbuild reads tsconfig.json, and of package.json only the fields that say how to load local files (not the dependency pins).
  const manifest = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as Record<string, unknown>;
  const loading = ['type', 'sideEffects', 'imports', 'exports', 'main', 'module', 'browser'].map((field) => manifest[field]);
  digest
    .update(JSON.stringify(loading))
    .update('\0')
    .update(readFileSync(join(projectDir, 'tsconfig.json')))
    .update('\0');
  digest.update(readFileSync(join(projectDir, 'index.ts'))).update('\0');
  walk('stacks');
  return digest.digest('hex');
}

/** A compiled program: called with a fresh module object, it runs the whole program once. */
export type Program = (exports: Record<string, unknown>, require: NodeJS.Require, module: { exports: Record<string, unknown> }) => void;

const programs = new Map<string, Promise<Program>>();

/**
 * The program of a project, bundled and compiled once per process for identical sources: the
 * projects of a platform's cells and releases differ only in their stack config
 * (Pulumi.<stack>.yaml), which the program reads when it runs.
 */
export function compiledProgram(projectDir: string): Promise<Program> {
  const key = programSourceHash(projectDir);
  let program = programs.get(key);
  if (!program) {
    const filename = join(projectDir, 'index.ts');
    program = bundleProgram(projectDir).then((code) => compileFunction(`"use strict";${code}`, ['exports', 'require', 'module'], { filename }) as Program);
    // A failed bundle is not kept: the next project tries again (and reports its own error).
    program.catch(() => programs.delete(key));
    programs.set(key, program);
  }
  return program;
}

/** Stack name and config of a project directory (Pulumi.<stack>.yaml). */
export function readStackConfig(projectDir: string): { stack: string; config: Record<string, unknown> } {
  const file = readdirSync(projectDir).find((name) => /^Pulumi\.[^.]+\.yaml$/.test(name));
  if (!file) throw new Error(`no Pulumi.<stack>.yaml in ${projectDir}`);
  const parsed = parse(readFileSync(join(projectDir, file), 'utf8')) as { config?: Record<string, unknown> };
  return { stack: file.slice('Pulumi.'.length, -'.yaml'.length), config: parsed.config ?? {} };
}

/** Placeholder values for the stack's secret config keys (read from the stack file's comments). */
function secretKeysOf(projectDir: string, stack: string): string[] {
  const text = readFileSync(join(projectDir, `Pulumi.${stack}.yaml`), 'utf8');
  return [...text.matchAll(/pulumi config set --secret (\S+)/g)].map((match) => match[1]!);
}

/** The plain value of an exported stack output (mocks resolve everything; a stuck output times out). */
function resolveOutput(pulumi: PulumiModule, value: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('a stack output did not resolve within 30 s')), 30_000);
    const output = pulumi.output as unknown as (input: unknown) => { apply(callback: (resolved: unknown) => unknown): unknown };
    output(value).apply((resolved) => {
      clearTimeout(timer);
      resolve(resolved);
      return resolved;
    });
  });
}

/** type::name of a URN (urn:pulumi:STACK::PROJECT::ParentType$ChildType::NAME), the key records use. */
export function urnKey(urn: string): string {
  const parts = urn.split('::');
  const chain = (parts[2] ?? '').split('$');
  return `${chain[chain.length - 1]!}::${parts.slice(3).join('::')}`;
}

/** The registration request the SDK hands the (mock) monitor: only the getters read here. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getIgnorechangesList(): string[];
  getDependenciesList(): string[];
}

/**
 * Records the options of every registration from now on, keyed type::name. Mocks pass newResource
 * only the inputs; the options (ignoreChanges, dependsOn) travel in the request to the monitor, so
 * the monitor's registerResource is wrapped (after setMocks installed it) to read them there.
 * Generic over clouds: AWS node groups, AKS agent pools and GKE node pools are checked the same way.
 */
export function recordResourceOptions(pulumi: PulumiModule): Map<string, ResourceOptionsRecord> {
  const recorded = new Map<string, ResourceOptionsRecord>();
  const monitor = (pulumi.runtime as unknown as { getMonitor(): { registerResource(request: RegisterRequest, callback: unknown): unknown } }).getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    recorded.set(`${request.getType()}::${request.getName()}`, {
      ignoreChanges: [...request.getIgnorechangesList()].sort(),
      dependsOn: [...new Set(request.getDependenciesList().map(urnKey))].sort(),
    });
    return register(request, callback);
  };
  return recorded;
}

export async function synthesizeProject(projectDir: string): Promise<Synthesis> {
  const pulumi = await loadPulumi();
  const { stack, config } = readStackConfig(projectDir);
  const settings = config['installctl:install'] as InstallSettings;
  const cloud = cloudModuleFor(settings.platform);
  const records = new Map<string, { custom: boolean; inputs: Record<string, any> }>();
  const invokes = new Set<string>();
  const errors: string[] = [];
  const stackOutputs: Record<string, unknown> = {};

  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        records.set(`${args.type}::${args.name}`, { custom: args.custom ?? false, inputs: args.inputs });
        const computed = args.custom ? cloud.computed(args.type, args.name, args.inputs, settings) : {};
        return { id: args.custom ? `${args.name}-id` : undefined, state: { ...args.inputs, ...computed } };
      },
      call(args) {
        invokes.add(args.token);
        return cloud.invoke(args.token, args.inputs, settings);
      },
    },
    'installctl',
    stack,
    false,
  );
  const options = recordResourceOptions(pulumi);
  const secretKeys = secretKeysOf(projectDir, stack);
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) flat[key] = typeof value === 'string' ? value : JSON.stringify(value);
  for (const key of secretKeys) flat[key] = 'mock-secret-value-0123456789abcdef';
  pulumi.runtime.setAllConfig(flat, secretKeys);

  const onRejection = (reason: unknown) => errors.push(reason instanceof Error ? reason.message : String(reason));
  process.on('unhandledRejection', onRejection);
  // The Pulumi SDK captures a stack trace for every promise it creates (leak diagnostics for the
  // engine). Under mocks nobody reads them, and capturing them was a third of synthesis time.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    try {
      const program = await compiledProgram(projectDir);
      const module = { exports: {} as Record<string, unknown> };
      program(module.exports, requireFromPackage(), module);
      for (const [key, value] of Object.entries(module.exports)) stackOutputs[key] = await resolveOutput(pulumi, value);
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
    }
    await pulumi.runtime.disconnect();
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    process.off('unhandledRejection', onRejection);
  }

  const monitor = (pulumi.runtime as unknown as { getMonitor(): { resources?: Map<string, unknown> } }).getMonitor();
  const resources: SynthesizedResource[] = [];
  for (const urn of monitor.resources?.keys() ?? []) {
    // urn:pulumi:STACK::PROJECT::ParentType$ChildType::NAME
    const parts = urn.split('::');
    const name = parts.slice(3).join('::');
    const chain = (parts[2] ?? '').split('$');
    const type = chain[chain.length - 1]!;
    const record = records.get(`${type}::${name}`);
    const recordedOptions = options.get(`${type}::${name}`) ?? { ignoreChanges: [], dependsOn: [] };
    resources.push({
      urn,
      type,
      name,
      parentType: chain.length > 1 ? chain[chain.length - 2]! : null,
      custom: record?.custom ?? false,
      inputs: record?.inputs ?? {},
      options: recordedOptions,
    });
  }
  resources.sort((a, b) => compareText(a.type, b.type) || compareText(a.name, b.name));
  return { stack, settings, resources, invokes: [...invokes].sort(), errors, outputs: stackOutputs };
}
