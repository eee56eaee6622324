/**
 * Bundles for tests, built for real: the vendor's images as deterministic multi-arch OCI images
 * (scripts/vendor-images.mjs: a shared base layer, two platforms), an ed25519 key pair, model
 * weights generated on disk, and `bundle create` over an air-gapped example spec.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { buildVendorImages } from '../../scripts/vendor-images.mjs';
import { generateKeys } from '../../cli/bundle/keys.js';
import { createBundle, type BundleCreateOptions, type BundleCreateResult } from '../../cli/services/bundle-create.js';
import { REPO } from './cli.js';

export const AIR_GAPPED_SPEC = join(REPO, 'examples', 'aws-ghes-self-hosted-air-gapped.yaml');
/** The example's model whose weights the fixtures include. */
export const WEIGHTS_MODEL = 'qwen2.5-coder-32b';

export interface BundleFixture {
  dir: string;
  layout: string;
  privateKey: string;
  publicKey: string;
  weightsDir: string;
}

/** Deterministic pseudo-random bytes (incompressible, unlike zeros). */
export function noise(size: number, seed: string): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update(seed).digest();
  for (let offset = 0; offset < size; offset += block.length) {
    block.copy(out, offset);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

export async function bundleFixture(options: { weightsBytes?: number } = {}): Promise<BundleFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'installctl-bundle-'));
  const layout = join(dir, 'vendor-images');
  await buildVendorImages(layout);
  const keys = generateKeys(join(dir, 'signing'));
  const weightsDir = join(dir, 'weights');
  mkdirSync(join(weightsDir, WEIGHTS_MODEL), { recursive: true });
  writeFileSync(join(weightsDir, WEIGHTS_MODEL, 'config.json'), '{"architectures":["Qwen2ForCausalLM"]}\n');
  writeFileSync(join(weightsDir, WEIGHTS_MODEL, 'model.safetensors'), noise(options.weightsBytes ?? 3 * 1024 * 1024 + 17, 'weights'));
  return { dir, layout, privateKey: keys.privateKey, publicKey: keys.publicKey, weightsDir };
}

export async function makeBundle(fixture: BundleFixture, name: string, extra: Partial<BundleCreateOptions> = {}): Promise<BundleCreateResult & { bundle: string }> {
  const result = await createBundle({ spec: AIR_GAPPED_SPEC, out: join(fixture.dir, name), imagesFrom: `oci-layout:${fixture.layout}`, key: fixture.privateKey, ...extra });
  if (!result.bundle) throw new Error(`bundle create failed: ${JSON.stringify(result.issues)}`);
  return result as BundleCreateResult & { bundle: string };
}
