/**
 * Runs an emitted Pulumi project under pulumi.runtime.setMocks: the real program (index.ts and its
 * vendored stacks/, program.ts), the real provider SDKs, no engine and no cloud. Sequential runs in
 * one process are fine: each run installs fresh mocks and waits for all registrations before
 * returning (runs never overlap: the Pulumi runtime is global state).
 */
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import type { InstallSettings } from '../../../stacks/settings.js';
import { compareText } from '../../lib/compare.js';
import { cloudModuleFor } from './clouds/index.js';
import { compiledProgram, projectText, requireFromPackage, stackFileName, type ProjectSource } from './program.js';
import type { ResourceOptionsRecord, SynthesizedResource, Synthesis } from './types.js';

export type { ProjectFiles, ProjectSource } from './program.js';

type PulumiModule = typeof import('@pulumi/pulumi');

let pulumiModule: Promise<PulumiModule> | undefined;

/** installctl's own @pulumi/pulumi, the instance the bundled program imports too. */
export function loadPulumi(): Promise<PulumiModule> {
  pulumiModule ??= import(pathToFileURL(requireFromPackage().resolve('@pulumi/pulumi')).href) as Promise<PulumiModule>;
  return pulumiModule;
}

/** Stack name and config of a project (Pulumi.<stack>.yaml). */
export function readStackConfig(source: ProjectSource): { stack: string; config: Record<string, unknown> } {
  const file = stackFileName(source);
  if (!file) throw new Error(`no Pulumi.<stack>.yaml in ${typeof source === 'string' ? source : 'the project'}`);
  const parsed = parse(projectText(source, file) ?? '') as { config?: Record<string, unknown> };
  return { stack: file.slice('Pulumi.'.length, -'.yaml'.length), config: parsed.config ?? {} };
}

/** Placeholder values for the stack's secret config keys (read from the stack file's comments). */
function secretKeysOf(source: ProjectSource, stack: string): string[] {
  const text = projectText(source, `Pulumi.${stack}.yaml`) ?? '';
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

let running: Promise<unknown> = Promise.resolve();

/**
 * The synthesis of a project: a directory, or its files in memory (program.ts). Calls made while
 * one runs wait their turn: the Pulumi runtime (mocks, config, the monitor) is one per process.
 */
export function synthesizeProject(project: ProjectSource): Promise<Synthesis> {
  const run = running.then(() => synthesizeNow(project));
  running = run.catch(() => undefined);
  return run;
}

async function synthesizeNow(project: ProjectSource): Promise<Synthesis> {
  const pulumi = await loadPulumi();
  const { stack, config } = readStackConfig(project);
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
  const secretKeys = secretKeysOf(project, stack);
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
      const program = await compiledProgram(project);
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
