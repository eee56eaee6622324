/**
 * The emitted Pulumi project: Pulumi.yaml, the stack's config, a short index.ts that composes the
 * stacks/ components, pinned package.json and tsconfig.json, and a verbatim copy of the stacks/
 * sources the platform needs (the project is self-contained: hand it over, npm install, pulumi up).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { InstallSettings, Platform } from '../../stacks/settings.js';
import { packageRoot } from '../lib/package-root.js';
import { portableYaml } from '../lib/yaml-text.js';
import { platformDescriptor } from '../dimensions/index.js';
import { catalogRelease } from './charts.js';

/** The toolchain the emitted project builds with: the same for every release. */
export const TOOLCHAIN_PINS = { typescript: '5.9.3', 'ts-node': '10.9.2', '@types/node': '20.19.43' } as const;

export type PulumiPackage = '@pulumi/pulumi' | '@pulumi/aws' | '@pulumi/azure-native' | '@pulumi/gcp';
export type ProjectPins = Record<PulumiPackage, string> & typeof TOOLCHAIN_PINS;

/**
 * Versions the emitted project of a release pins: the Pulumi SDK and providers from the release's
 * `pulumi` section of the catalog (the release was tested with them), the toolchain beside them.
 * Tests assert the current release's equal what installctl itself is tested with (package.json).
 */
export function projectPins(release: string): ProjectPins {
  const pulumi = catalogRelease(release).pulumi;
  return {
    '@pulumi/pulumi': pulumi.sdk,
    '@pulumi/aws': pulumi.providers.aws,
    '@pulumi/azure-native': pulumi.providers['azure-native'],
    '@pulumi/gcp': pulumi.providers.gcp,
    ...TOOLCHAIN_PINS,
  };
}

/** Secret config keys a stack needs, set with `pulumi config set --secret` (never written by render). */
export function requiredSecrets(settings: InstallSettings): Array<{ key: string; description: string }> {
  const secrets: Array<{ key: string; description: string }> = [];
  if (settings.platform === 'aws' && settings.datastores.redis === 'managed') {
    secrets.push({ key: 'installctl:redisAuthToken', description: 'ElastiCache AUTH token: 16-128 printable characters' });
  }
  return secrets;
}

function providerConfig(settings: InstallSettings): Record<string, unknown> {
  const cloud = settings.cloud;
  if (!cloud) return {};
  switch (cloud.type) {
    case 'aws':
      return { 'aws:region': cloud.region, 'aws:allowedAccountIds': [cloud.accountId] };
    case 'azure':
      return { 'azure-native:location': cloud.location, 'azure-native:subscriptionId': cloud.subscriptionId, 'azure-native:tenantId': cloud.tenantId };
    case 'gcp':
      return { 'gcp:project': cloud.projectId, 'gcp:region': cloud.region };
  }
}

/** Source files under stacks/ that a platform's program imports (shared ones plus its own directory). */
export function stackSources(platform: Platform): string[] {
  const root = join(packageRoot(), 'stacks');
  const walk = (dir: string): string[] =>
    readdirSync(dir)
      .sort()
      .flatMap((entry) => {
        const path = join(dir, entry);
        return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
      });
  return walk(root)
    .map((path) => relative(root, path).split(sep).join('/'))
    .filter((path) => !path.includes('/') || path.startsWith('decisions/') || path.startsWith(`${platform}/`));
}

function indexTs(settings: InstallSettings, header: string): string {
  const { installClass: className, cloud } = platformDescriptor(settings.platform).emit;
  const lines = [
    header,
    "import * as pulumi from '@pulumi/pulumi';",
    "import { readSettings } from './stacks/settings.js';",
    `import { ${className} } from './stacks/${settings.platform}/install.js';`,
    '',
    'const settings = readSettings();',
  ];
  if (requiredSecrets(settings).some((secret) => secret.key === 'installctl:redisAuthToken')) {
    lines.push(
      "const config = new pulumi.Config('installctl');",
      `const install = new ${className}(settings.name, {`,
      '  settings,',
      "  redisAuthToken: config.requireSecret('redisAuthToken'),",
      '});',
    );
  } else {
    lines.push(`const install = new ${className}(settings.name, { settings });`);
  }
  lines.push(
    '',
    '/** What the install created (`pulumi stack output outputs`). */',
    'export const outputs = pulumi.output(install.outputs);',
    '/** Helm values only the infrastructure knows: the third values layer (see RUNBOOK.md). */',
    // No cloud, no infrastructure values layer: the stack only records the cluster's facts.
    ...(cloud
      ? ['export const agentPlatformValues = install.helmValues.agentPlatform;', 'export const modelServerValues = install.helmValues.modelServer;']
      : ['export const agentPlatformValues = {};', 'export const modelServerValues = {};']),
    '',
  );
  return lines.join('\n');
}

export function pulumiProjectFiles(settings: InstallSettings, generatedBy: string): Map<string, string> {
  const files = new Map<string, string>();
  const header = `// Generated by ${generatedBy}. Re-render instead of editing; the components are in ./stacks.`;
  files.set(
    'Pulumi.yaml',
    portableYaml({
      name: 'installctl',
      description: `Infrastructure for installctl installs (generated by ${generatedBy})`,
      runtime: { name: 'nodejs', options: { packagemanager: 'npm', typescript: true } },
    }),
  );
  const secrets = requiredSecrets(settings);
  const stackHeader = [
    `# Stack ${settings.name}: generated by ${generatedBy} for cell ${settings.cell}. Re-render to change settings.`,
    ...(secrets.length
      ? ['# Secrets are never written here. Set them before `pulumi up`:', ...secrets.map((secret) => `#   pulumi config set --secret ${secret.key}   # ${secret.description}`)]
      : ['# This stack needs no secret config.']),
  ];
  files.set(`Pulumi.${settings.name}.yaml`, stackHeader.join('\n') + '\n' + portableYaml({ config: { ...providerConfig(settings), 'installctl:install': settings } }));
  files.set('index.ts', indexTs(settings, header));
  const provider = platformDescriptor(settings.platform).emit.pulumiProvider;
  const pins = projectPins(settings.release);
  files.set(
    'package.json',
    JSON.stringify(
      {
        name: `installctl-${settings.name}`,
        private: true,
        type: 'module',
        main: 'index.ts',
        engines: { node: '>=20' },
        dependencies: { '@pulumi/pulumi': pins['@pulumi/pulumi'], ...(provider ? { [provider]: pins[provider] } : {}) },
        devDependencies: { '@types/node': pins['@types/node'], 'ts-node': pins['ts-node'], typescript: pins.typescript },
      },
      null,
      2,
    ) + '\n',
  );
  files.set(
    'tsconfig.json',
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noUncheckedIndexedAccess: true,
          skipLibCheck: true,
          types: ['node'],
          verbatimModuleSyntax: true,
        },
        include: ['index.ts', 'stacks/**/*.ts'],
      },
      null,
      2,
    ) + '\n',
  );
  for (const source of stackSources(settings.platform)) {
    files.set(`stacks/${source}`, readFileSync(join(packageRoot(), 'stacks', source), 'utf8'));
  }
  return files;
}
