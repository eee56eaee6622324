/**
 * The bundle record's tag, as the README and bundle push --help state it: `<metadata.name>-<spec.release.version>`
 * of the bundled spec (acme-gov-2026.11.0 for the air-gapped example), in installctl/bundles.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BundleFile } from '../../cli/bundle/reader.js';
import { pushPlan } from '../../cli/bundle/push-plan.js';
import { AIR_GAPPED_SPEC, bundleFixture, makeBundle, type BundleFixture } from '../helpers/bundles.js';
import { REPO } from '../helpers/cli.js';

let fixture: BundleFixture;
beforeAll(async () => {
  fixture = await bundleFixture({ weightsBytes: 1024 });
}, 120_000);

/** The air-gapped example under another install name. */
function renamed(name: string): string {
  const file = join(fixture.dir, `${name}.yaml`);
  writeFileSync(file, readFileSync(AIR_GAPPED_SPEC, 'utf8').replace(/^  name: acme-gov$/m, `  name: ${name}`));
  return file;
}

describe('the bundle record tag', () => {
  it.each([
    [
      'the README example',
      () => {
        const file = join(fixture.dir, 'example.yaml');
        copyFileSync(AIR_GAPPED_SPEC, file);
        return file;
      },
      'acme-gov-2026.11.0',
    ],
    ['another install name', () => renamed('initech-prod'), 'initech-prod-2026.11.0'],
  ])('is <metadata.name>-<spec.release.version> (%s)', async (_case, specFile, expected) => {
    const spec = specFile();
    const data = parse(readFileSync(spec, 'utf8')) as { metadata: { name: string }; spec: { release: { version: string } } };
    expect(expected).toBe(`${data.metadata.name}-${data.spec.release.version}`);
    const { bundle } = await makeBundle(fixture, `${expected}.bundle`, { spec });
    const record = pushPlan(new BundleFile(bundle)).find((item) => item.kind === 'bundle')!;
    expect(record.repository).toBe('installctl/bundles');
    expect(record.manifests.find((manifest) => manifest.tag)?.tag).toBe(expected);
  });

  it('is stated in the same form, with that example, in the README', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8').replace(/\s+/g, ' ');
    expect(readme).toContain('tagged `<metadata.name>-<spec.release.version>` of the bundled spec in `PREFIX/installctl/bundles`');
    expect(readme).toContain('`HOST/PREFIX/installctl/bundles:acme-gov-2026.11.0`');
    expect(readme).not.toContain('INSTALL-RELEASE');
  });
});
