/**
 * Which input properties a provider resource accepts, read from the provider SDK's own type
 * declarations (node_modules/@pulumi/<provider>/<module>/<resource>.d.ts, interface <Resource>Args).
 * The tag policy uses it to know which resources can carry tags without a hand-kept list.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { packageRoot } from '../../lib/package-root.js';

const cache = new Map<string, Set<string> | null>();

/** Package directory and .d.ts path of a type token such as aws:ec2/vpc:Vpc or azure-native:network:VirtualNetwork. */
export function declarationFileOf(type: string): { packageName: string; file: string; resource: string } | null {
  const [provider, module, resource] = type.split(':');
  if (!provider || !module || !resource) return null;
  const packageName = `@pulumi/${provider}`;
  // aws and gcp tokens name the file (ec2/vpc); azure-native tokens name only the module.
  const file = module.includes('/') ? `${module}.d.ts` : `${module}/${resource[0]!.toLowerCase()}${resource.slice(1)}.d.ts`;
  return { packageName, file, resource };
}

export function argsProperties(type: string): Set<string> | null {
  if (cache.has(type)) return cache.get(type)!;
  let properties: Set<string> | null = null;
  const location = declarationFileOf(type);
  if (location) {
    try {
      const require = createRequire(join(packageRoot(), 'package.json'));
      const packageDir = dirname(require.resolve(`${location.packageName}/package.json`));
      const text = readFileSync(join(packageDir, location.file), 'utf8');
      const start = text.indexOf(`export interface ${location.resource}Args {`);
      if (start !== -1) {
        const body = text.slice(start, text.indexOf('\n}', start));
        properties = new Set([...body.matchAll(/^ {4}(\w+)\??:/gm)].map((match) => match[1]!));
      }
    } catch {
      properties = null;
    }
  }
  cache.set(type, properties);
  return properties;
}
