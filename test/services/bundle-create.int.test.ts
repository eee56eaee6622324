/**
 * bundle create: the tar is an OCI image layout with one root index over everything, a manifest that
 * lists every blob, a signature over the root digest; deterministic; multi-arch kept or filtered;
 * weights split below the part size; charts packaged so Helm reads them; images from a registry
 * give the same bundle as from a layout.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { indexTar } from '../../cli/oci/tar-index.js';
import { BundleFile } from '../../cli/bundle/reader.js';
import { MEDIA, sha256, type ImageIndex } from '../../cli/oci/types.js';
import { basicAuth, dockerConfigDir } from '../helpers/docker-config.js';
import { UserError } from '../../cli/lib/errors.js';
import { helmBinaries } from '../../cli/conformance/helm/binaries.js';
import { AIR_GAPPED_SPEC, bundleFixture, makeBundle, WEIGHTS_MODEL, type BundleFixture } from '../helpers/bundles.js';
import { startRegistry } from '../helpers/registry.js';
import { render } from '../../cli/services/render.js';
import { expectSchemaDef } from '../helpers/schemas.js';
import { createBundle, type SizeReport } from '../../cli/services/bundle-create.js';

let fixture: BundleFixture;
let bundle: string;
let report: SizeReport;

beforeAll(async () => {
  fixture = await bundleFixture({ weightsBytes: 2 * 1024 * 1024 + 100 });
  const created = await makeBundle(fixture, 'acme.bundle', { weightsDir: fixture.weightsDir, includeWeights: true, weightsPartSize: 1024 * 1024 });
  bundle = created.bundle;
  report = created.report!;
}, 120_000);

describe('bundle create', () => {
  it('writes an OCI image layout whose one root index reaches every blob the manifest lists', () => {
    const entries = indexTar(bundle);
    const names = [...entries.keys()];
    expect(names.slice(0, 2)).toEqual(['oci-layout', 'index.json']);
    const file = new BundleFile(bundle);
    const layoutIndex = JSON.parse(
      readFileSync(bundle)
        .subarray(entries.get('index.json')!.offset, entries.get('index.json')!.offset + entries.get('index.json')!.size)
        .toString('utf8'),
    ) as ImageIndex;
    expect(layoutIndex.manifests).toHaveLength(1);
    expect(layoutIndex.manifests[0]!.digest).toBe(file.rootDigest);
    // Every listed blob is in the tar with its size, and every tar blob is listed (or is the root chain).
    const listed = new Map(file.manifest.blobs.map((blob) => [blob.digest, blob.size]));
    for (const [digest, size] of listed) expect(file.entryOf(digest)?.size, digest).toBe(size);
    const chain = [
      file.rootDigest,
      file.recordDigest,
      ...new Set([file.imageManifest(file.recordDigest).config.digest, ...file.imageManifest(file.recordDigest).layers.map((layer) => layer.digest)]),
    ];
    const blobEntries = names.filter((name) => name.startsWith('blobs/sha256/')).map((name) => `sha256:${name.slice(13)}`);
    expect(new Set(blobEntries)).toEqual(new Set([...listed.keys(), ...chain]));
    expect(blobEntries.length).toBe(new Set(blobEntries).size);
    // The root index references the record, every image, both charts, the render, plugins and the weights.
    const kinds = file.root.manifests.map((entry) => entry.annotations?.['org.opencontainers.image.ref.name']?.split(/[:@]/)[0]);
    expect(kinds[0]).toBe('installctl/bundles');
    expect(kinds).toContain('charts/agent-platform');
    expect(kinds).toContain('charts/model-server');
    expect(kinds).toContain('installctl/render');
    expect(kinds).toContain('installctl/pulumi-plugins');
    expect(kinds).toContain(`models/${WEIGHTS_MODEL}`);
    render({ spec: AIR_GAPPED_SPEC, outDir: join(fixture.dir, 'rendered') });
    expect(file.manifest.images.map((image) => image.source)).toEqual(
      readFileSync(join(fixture.dir, 'rendered', 'images.txt'), 'utf8')
        .trim()
        .split('\n'),
    );
  });

  it('writes a manifest and a signature of the documented shapes (schemas/bundle.schema.json)', () => {
    expectSchemaDef('bundle.schema.json', 'manifest', new BundleFile(bundle).manifest);
    expectSchemaDef('bundle.schema.json', 'signature', JSON.parse(readFileSync(`${bundle}.sig`, 'utf8')));
    expectSchemaDef('cli-output.schema.json', 'bundleSizeReport', report);
  });

  it('reports referenced and unique bytes: the shared base layer is stored once', () => {
    const file = new BundleFile(bundle);
    expect(report.uniqueBytes).toBe(file.manifest.blobs.reduce((sum, blob) => sum + blob.size, 0));
    expect(report.totalBytes).toBeGreaterThan(report.uniqueBytes);
    expect(report.images).toBe(file.manifest.images.length);
    expect(Object.values(report.byKind).reduce((a, b) => a + b, 0)).toBe(report.uniqueBytes);
  });

  it('keeps every platform of multi-arch images by default', () => {
    const file = new BundleFile(bundle);
    expect(file.manifest.platform).toBeNull();
    for (const image of file.manifest.images) {
      expect(image.mediaType).toBe(MEDIA.index);
      expect(file.index(image.digest).manifests.map((entry) => `${entry.platform?.os}/${entry.platform?.architecture}`)).toEqual(['linux/amd64', 'linux/arm64']);
      for (const entry of file.index(image.digest).manifests) expect(file.entryOf(entry.digest)).toBeDefined();
    }
  });

  it('is deterministic: the same inputs give a byte-identical bundle and signature', async () => {
    const again = await makeBundle(fixture, 'again.bundle', { weightsDir: fixture.weightsDir, includeWeights: true, weightsPartSize: 1024 * 1024 });
    expect(sha256(readFileSync(again.bundle))).toBe(sha256(readFileSync(bundle)));
    expect(readFileSync(`${again.bundle}.sig`, 'utf8')).toBe(readFileSync(`${bundle}.sig`, 'utf8'));
  });

  it('warns about weights it neither carries nor pins by digest, and only about those', async () => {
    const described = await makeBundle(fixture, 'described.bundle', { weightsDir: fixture.weightsDir });
    expect(described.issues.filter((issue) => issue.code === 'BUNDLE_WEIGHTS_UNDESCRIBED')).toEqual([]);
    const bare = await makeBundle(fixture, 'bare.bundle', {});
    const warnings = bare.issues.filter((issue) => issue.code === 'BUNDLE_WEIGHTS_UNDESCRIBED');
    // The PVC-backed model has nothing to pin; the OCI one is pinned by its manifest digest.
    expect(warnings).toEqual([expect.objectContaining({ severity: 'warning', path: 'spec.models.catalog[0].weights', message: expect.stringContaining(WEIGHTS_MODEL) })]);
    expect(bare.exitCode).toBe(0);
  });

  it('--platform keeps one platform and records it', async () => {
    const arm = await makeBundle(fixture, 'arm.bundle', { platform: 'linux/arm64' });
    const file = new BundleFile(arm.bundle);
    expect(file.manifest.platform).toBe('linux/arm64');
    const full = new BundleFile(bundle);
    for (const image of file.manifest.images) {
      expect(image.mediaType).toBe(MEDIA.manifest);
      const index = full.index(full.manifest.images.find((entry) => entry.source === image.source)!.digest);
      expect(index.manifests.find((entry) => entry.platform?.architecture === 'arm64')!.digest).toBe(image.digest);
      const amd = index.manifests.find((entry) => entry.platform?.architecture === 'amd64')!.digest;
      expect(file.entryOf(amd)).toBeUndefined();
    }
    expect(arm.report!.byKind.images).toBeLessThan(report.byKind.images);
  });

  it('splits weights into layers no larger than the part size, with the file each part belongs to', () => {
    const file = new BundleFile(bundle);
    const weights = file.manifest.weights.find((entry) => entry.model === WEIGHTS_MODEL)!;
    expect(weights.included).toBe(true);
    const big = weights.files.find((entry) => entry.path === 'model.safetensors')!;
    expect(big.size).toBe(2 * 1024 * 1024 + 100);
    expect(big.digest).toBe(sha256(readFileSync(join(fixture.weightsDir, WEIGHTS_MODEL, 'model.safetensors'))));
    const manifest = file.imageManifest(weights.manifest!);
    const parts = manifest.layers.filter((layer) => layer.annotations?.['dev.installctl.weights.file'] === 'model.safetensors');
    expect(parts.map((part) => part.size)).toEqual([1024 * 1024, 1024 * 1024, 100]);
    expect(parts.map((part) => part.annotations?.['dev.installctl.weights.offset'])).toEqual(['0', String(1024 * 1024), String(2 * 1024 * 1024)]);
    // The other model's weights stay references (an OCI digest from the spec).
    const other = file.manifest.weights.find((entry) => entry.model !== WEIGHTS_MODEL)!;
    expect(other.included).toBe(false);
    expect(other.manifest).toMatch(/^sha256:/);
  });

  it('packages both charts so Helm can read them', async () => {
    const file = new BundleFile(bundle);
    const [helm] = await helmBinaries(['4']);
    for (const chart of file.manifest.charts) {
      const manifest = file.imageManifest(chart.digest);
      expect(manifest.config.mediaType).toBe(MEDIA.helmConfig);
      const tgz = join(fixture.dir, `${chart.name}.tgz`);
      writeFileSync(tgz, file.blob(manifest.layers[0]!.digest));
      const shown = execFileSync(helm!.path, ['show', 'chart', tgz], { encoding: 'utf8' });
      expect(shown).toContain(`name: ${chart.name}`);
      expect(shown).toContain(`version: ${chart.tag}`);
    }
  });

  it('lists the Pulumi plugin with its version, and carries archives from --plugins-dir', async () => {
    const plain = new BundleFile(bundle).manifest.plugins.list;
    expect(plain).toEqual([{ name: 'aws', kind: 'resource', version: expect.stringMatching(/^\d+\.\d+\.\d+$/), archive: null, file: null }]);
    const dir = join(fixture.dir, 'plugins');
    mkdirSync(dir, { recursive: true });
    const archive = `pulumi-resource-aws-v${plain[0]!.version}-linux-amd64.tar.gz`;
    writeFileSync(join(dir, archive), 'not really a plugin, but bytes to carry');
    writeFileSync(join(dir, 'pulumi-resource-aws-v0.0.1-linux-amd64.tar.gz'), 'another version: not carried');
    const withPlugins = await makeBundle(fixture, 'plugins.bundle', { pluginsDir: dir });
    const list = new BundleFile(withPlugins.bundle).manifest.plugins.list;
    expect(list).toHaveLength(1);
    expect(list[0]!.file).toBe(archive);
    expect(new BundleFile(withPlugins.bundle).blob(list[0]!.archive!).toString()).toBe('not really a plugin, but bytes to carry');
  });

  it('refuses to overwrite, a missing image, and a source that is not a layout', async () => {
    const exists = await makeBundle(fixture, 'acme.bundle').then(
      () => null,
      (error: unknown) => error,
    );
    expect((exists as UserError).code).toBe('FILE_EXISTS');
    const empty = join(fixture.dir, 'empty-layout');
    mkdirSync(empty);
    writeFileSync(join(empty, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    writeFileSync(join(empty, 'index.json'), '{"schemaVersion":2,"manifests":[]}');
    const missing = await makeBundle(fixture, 'missing.bundle', { imagesFrom: `oci-layout:${empty}` }).then(
      () => null,
      (error: unknown) => error,
    );
    expect((missing as UserError).code).toBe('BUNDLE_IMAGE_MISSING');
    const notLayout = await makeBundle(fixture, 'x.bundle', { imagesFrom: `oci-layout:${fixture.weightsDir}` }).then(
      () => null,
      (error: unknown) => error,
    );
    expect((notLayout as UserError).code).toBe('BUNDLE_SOURCE_INVALID');
    const httpLayout = await makeBundle(fixture, 'y.bundle', { plainHttp: true }).then(
      () => null,
      (error: unknown) => error,
    );
    expect((httpLayout as UserError).code).toBe('USAGE');
    // Registries refuse layers of 5 GiB and more: such a part size would make an unpushable bundle.
    for (const weightsPartSize of [5 * 1024 ** 3, 6 * 1024 ** 3, 1024]) {
      const tooBig = await makeBundle(fixture, 'parts.bundle', { weightsDir: fixture.weightsDir, includeWeights: true, weightsPartSize }).then(
        () => null,
        (error: unknown) => error,
      );
      expect((tooBig as UserError).code).toBe('USAGE');
      expect(existsSync(join(fixture.dir, 'parts.bundle'))).toBe(false);
    }
  });

  it('returns validate issues for an invalid spec and writes nothing', async () => {
    const spec = join(fixture.dir, 'bad.yaml');
    writeFileSync(spec, readFileSync(AIR_GAPPED_SPEC, 'utf8').replace('mode: air-gapped', 'mode: sneakernet'));
    const result = await createBundle({ spec, out: join(fixture.dir, 'bad.bundle'), imagesFrom: `oci-layout:${fixture.layout}`, key: fixture.privateKey });
    expect(result.valid).toBe(false);
    expect(result.exitCode).toBe(1);
    expect(result.issues.some((issue) => issue.path.includes('network'))).toBe(true);
  });

  it('gives the same bundle from a registry holding the images (basic auth) as from the layout', async () => {
    const auth = { username: 'vendor', password: 'pull-secret-123' };
    const registry = await startRegistry({ auth });
    try {
      const index = JSON.parse(readFileSync(join(fixture.layout, 'index.json'), 'utf8')) as ImageIndex;
      for (const entry of index.manifests) {
        const ref = entry.annotations!['org.opencontainers.image.ref.name']!;
        const path = ref.slice(ref.indexOf('/') + 1);
        execFileSync(
          'skopeo',
          [
            'copy',
            '--all',
            '--preserve-digests',
            '--dest-tls-verify=false',
            '--dest-creds',
            `${auth.username}:${auth.password}`,
            '--policy',
            join(registry.dir, 'policy.json'),
            `oci:${fixture.layout}:${ref}`,
            `docker://${registry.host}/${path}`,
          ],
          { stdio: 'pipe' },
        );
      }
      const noConfig = { DOCKER_CONFIG: join(fixture.dir, 'no-docker-config') };
      const anonymous = await makeBundle(fixture, 'anonymous.bundle', { imagesFrom: `registry:${registry.host}`, plainHttp: true, env: noConfig }).then(
        () => null,
        (error: unknown) => error,
      );
      // No credentials anywhere: the registry's 401 says so, not "refused the credentials".
      expect((anonymous as UserError).code).toBe('REGISTRY_AUTH_REQUIRED');
      expect((anonymous as UserError).hint).toMatch(/docker login/);
      // From the Docker config (docker login), as skopeo and crane would read it.
      const sources: string[] = [];
      const config = dockerConfigDir({ auths: { [registry.host]: { auth: basicAuth(auth.username, auth.password) } } });
      const fromConfig = await makeBundle(fixture, 'from-docker-config.bundle', {
        imagesFrom: `registry:${registry.host}`,
        plainHttp: true,
        env: { DOCKER_CONFIG: config },
        onCredentials: (source) => sources.push(source),
        weightsDir: fixture.weightsDir,
        includeWeights: true,
        weightsPartSize: 1024 * 1024,
      });
      expect(sources).toEqual([`docker-config:${join(config, 'config.json')}`]);
      expect(sha256(readFileSync(fromConfig.bundle))).toBe(sha256(readFileSync(bundle)));
      const fromRegistry = await makeBundle(fixture, 'from-registry.bundle', {
        imagesFrom: `registry:${registry.host}`,
        plainHttp: true,
        ...auth,
        weightsDir: fixture.weightsDir,
        includeWeights: true,
        weightsPartSize: 1024 * 1024,
      });
      expect(new BundleFile(fromRegistry.bundle).rootDigest).toBe(new BundleFile(bundle).rootDigest);
      expect(sha256(readFileSync(fromRegistry.bundle))).toBe(sha256(readFileSync(bundle)));
    } finally {
      await registry.stop();
    }
  }, 120_000);
});
