/** One receipt, relocation map and journal per registry: names that differ for every two registries. */
import { describe, expect, it } from 'vitest';
import { pushFiles } from '../../cli/emit/push-files.js';
import { registrySlug } from '../../cli/oci/registry-target.js';
import { parseTarget, type PushTarget } from '../../cli/bundle/push-target.js';

describe('registrySlug', () => {
  it.each([
    ['registry.acme.internal:5000/installctl', 'registry.acme.internal_5000+installctl'],
    ['registry.acme.internal', 'registry.acme.internal'],
    ['localhost:5000', 'localhost_5000'],
    ['10.0.0.5:5000/site/nested_path/x-y', '10.0.0.5_5000+site+nested_path+x-y'],
    ['[fe80::1]:5000/x', '=fe80__1=_5000+x'],
  ])('%s -> %s', (registry, slug) => {
    expect(registrySlug(parseTarget(registry))).toBe(slug);
  });

  // Registries that a naive slug (every separator to one character) would give the same name.
  const targets: PushTarget[] = [
    { host: 'a:5000', prefix: 'x' },
    { host: 'a', prefix: '5000x' },
    { host: 'a', prefix: '5000/x' },
    { host: 'a', prefix: '5000_x' },
    { host: 'a:5000', prefix: '' },
    { host: 'a:5000', prefix: 'x/y' },
    { host: 'a:5000', prefix: 'x_y' },
    { host: 'a:5000', prefix: 'x__y' },
    { host: 'a:5000', prefix: 'x.y' },
    { host: 'a:5000', prefix: 'x-y' },
    { host: 'a.5000', prefix: 'x' },
    { host: 'a-5000', prefix: 'x' },
    { host: 'a', prefix: '' },
    { host: 'a:50', prefix: '00/x' },
    { host: '[::1]:5000', prefix: 'x' },
    { host: '[::1]', prefix: '5000/x' },
    { host: 'registry.acme.internal:5000', prefix: 'installctl' },
    { host: 'registry.acme.internal', prefix: '5000/installctl' },
    { host: 'registry.acme.internal:5000', prefix: 'installctl/prod' },
    { host: 'registry.acme.internal:5000', prefix: 'installctl_prod' },
  ];

  it('gives every registry of the table its own name', () => {
    const slugs = targets.map(registrySlug);
    expect(new Set(slugs).size).toBe(targets.length);
    expect(registrySlug({ host: 'a:5000', prefix: 'x' })).not.toBe(registrySlug({ host: 'a', prefix: '5000x' }));
  });

  it('is deterministic and safe in file names and shells', () => {
    for (const target of targets) {
      expect(registrySlug(target)).toBe(registrySlug({ ...target }));
      // No path separator, no character a shell or Windows treats specially.
      expect(registrySlug(target)).toMatch(/^[a-z0-9._=+-]+$/);
    }
  });
});

describe('pushFiles', () => {
  it('names the receipt, relocation map and journal after the bundle and the registry', () => {
    expect(pushFiles('/x/acme.bundle', parseTarget('registry.acme.internal:5000/installctl'))).toEqual({
      receipt: '/x/acme.bundle.registry.acme.internal_5000+installctl.receipt.json',
      relocation: '/x/acme.bundle.registry.acme.internal_5000+installctl.relocation.json',
      journal: '/x/acme.bundle.registry.acme.internal_5000+installctl.push-journal.json',
    });
  });

  it('keeps two registries apart, and one registry written two ways together', () => {
    const staging = pushFiles('acme.bundle', parseTarget('staging.acme.internal/installctl'));
    const production = pushFiles('acme.bundle', parseTarget('registry.acme.internal/installctl'));
    for (const key of ['receipt', 'relocation', 'journal'] as const) expect(staging[key]).not.toBe(production[key]);
    // --registry is read by the reference grammar first: scheme, trailing slash and case do not make a new file.
    expect(pushFiles('acme.bundle', parseTarget('https://Registry.Acme.Internal/installctl/'))).toEqual(production);
  });
});
