/**
 * Runs an emitted Pulumi project under pulumi.runtime.setMocks: the real program (index.ts and its
 * vendored stacks/), the real provider SDKs, no engine and no cloud. The program is bundled with
 * esbuild (TypeScript, .js specifiers) with every @pulumi/* import pinned to installctl's own copy,
 * so the program and this harness share one Pulumi runtime. Sequential runs in one process are fine:
 * each run installs fresh mocks and waits for all registrations before returning.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import type { InstallSettings } from '../../../stacks/settings.js';
import { packageRoot } from '../../lib/package-root.js';
import { compareText } from '../../lib/compare.js';
import { cloudModuleFor } from './clouds/index.js';
import type { SynthesizedResource, Synthesis } from './types.js';

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
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
    plugins: [
      {
        name: 'installctl-pulumi',
        setup(build) {
          build.onResolve({ filter: /^@pulumi\// }, (args) => ({ path: pathToFileURL(require.resolve(args.path)).href, external: true }));
        },
      },
    ],
  });
  return result.outputFiles[0]!.text;
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

/**
 * The ignoreChanges option of every registration, by type::name: the mocks' newResource sees only
 * inputs, so this wraps the mock monitor's registerResource, whose request carries the options.
 */
function recordIgnoreChanges(pulumi: PulumiModule): Map<string, string[]> {
  const found = new Map<string, string[]>();
  type Request = { getType(): string; getName(): string; getIgnorechangesList?(): string[] };
  const monitor = (pulumi.runtime as unknown as { getMonitor(): { registerResource(req: Request, callback: unknown): unknown } }).getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    found.set(`${req.getType()}::${req.getName()}`, [...(req.getIgnorechangesList?.() ?? [])]);
    return register(req, callback);
  };
  return found;
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
  const ignoreChanges = recordIgnoreChanges(pulumi);
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
  const dir = mkdtempSync(join(tmpdir(), 'installctl-synth-'));
  try {
    const program = join(dir, 'program.mjs');
    writeFileSync(program, await bundleProgram(projectDir));
    try {
      const module = (await import(pathToFileURL(program).href)) as Record<string, unknown>;
      for (const [key, value] of Object.entries(module)) stackOutputs[key] = await resolveOutput(pulumi, value);
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
    }
    await pulumi.runtime.disconnect();
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    process.off('unhandledRejection', onRejection);
    rmSync(dir, { recursive: true, force: true });
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
    const ignored = ignoreChanges.get(`${type}::${name}`);
    resources.push({
      urn,
      type,
      name,
      parentType: chain.length > 1 ? chain[chain.length - 2]! : null,
      custom: record?.custom ?? false,
      inputs: record?.inputs ?? {},
      ...(ignored?.length ? { ignoreChanges: ignored } : {}),
    });
  }
  resources.sort((a, b) => compareText(a.type, b.type) || compareText(a.name, b.name));
  return { stack, settings, resources, invokes: [...invokes].sort(), errors, outputs: stackOutputs };
}
