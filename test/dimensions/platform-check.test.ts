/**
 * The checker facts of the platform descriptors (PlatformCheckFacts) against the files, schemas and
 * modules they describe: a fact that drifts from what it names fails here, one row per platform.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METADATA_ADDRESSES } from '../../cli/conformance/helm/manifest-policies.js';
import { CLOUD_MODULES } from '../../cli/conformance/pulumi/clouds/index.js';
import { PLATFORMS, type PlatformDescriptor } from '../../cli/dimensions/index.js';
import { offersGpuPresets } from '../../cli/matrix/gpu-presets.js';
import { REPO } from '../helpers/cli.js';

const platforms = Object.values(PLATFORMS).map((descriptor) => [descriptor.id, descriptor] as const);
const readJson = (path: string) => JSON.parse(readFileSync(join(REPO, path), 'utf8'));
const CLOUDS_DIR = 'cli/conformance/pulumi/clouds/';

/** Every file under a repository folder, as repository paths. */
function filesUnder(folder: string): string[] {
  return readdirSync(join(REPO, folder)).flatMap((name) => {
    const path = `${folder}${name}`;
    return statSync(join(REPO, path)).isDirectory() ? filesUnder(`${path}/`) : [path];
  });
}

describe.each(platforms)('platform %s: checker facts', (id, descriptor: PlatformDescriptor) => {
  const { affectedFiles, managedKubernetes, metadataServerEgress } = descriptor.check;
  const { cloudModelService } = descriptor;

  it('affectedFiles: its stacks folder and its cloud module, and every path exists', () => {
    expect(affectedFiles.stack).toContain(`stacks/${id}/`);
    expect(affectedFiles.cloud).toContain(`${CLOUDS_DIR}${id}.ts`);
    for (const path of [...affectedFiles.stack, ...affectedFiles.cloud]) {
      expect(existsSync(join(REPO, path)), path).toBe(true);
      expect(statSync(join(REPO, path)).isDirectory(), `${path}: a folder ends in /`).toBe(path.endsWith('/'));
    }
  });

  it('has a cloud module; a cloud provider exactly when it is a managed Kubernetes', () => {
    expect(CLOUD_MODULES[id]).toBeDefined();
    expect(CLOUD_MODULES[id].provider !== null).toBe(managedKubernetes);
  });

  it('offers GPU presets exactly when it is a managed Kubernetes (else the spec gives gpusPerNode)', () => {
    expect(offersGpuPresets(id)).toBe(managedKubernetes);
  });

  it('cloudModelService: a provider of cloud-managed models, exactly when it is a managed Kubernetes', () => {
    const providers = readJson('schemas/install.schema.json').$defs.cloudManagedModels.properties.provider.enum as string[];
    if (cloudModelService === null) expect(managedKubernetes).toBe(false);
    else expect(providers).toContain(cloudModelService);
  });

  it('metadataServerEgress: single cloud metadata addresses that the charts open on their own port', () => {
    const templates = ['charts/agent-platform/templates/networkpolicies.yaml', 'charts/model-server/templates/networkpolicies.yaml'].map((path) =>
      readFileSync(join(REPO, path), 'utf8'),
    );
    for (const { cidr, port } of metadataServerEgress) {
      expect(METADATA_ADDRESSES.map((address) => `${address}/32`)).toContain(cidr);
      for (const template of templates)
        expect(template).toMatch(new RegExp(`"cidr" "${cidr.replace(/\./g, '\\.')}"\\)\\)\\) "ports" \\(list \\(dict "protocol" "TCP" "port" ${port}\\)`));
    }
  });
});

describe('platform checker facts, across platforms', () => {
  it('every cloud module file belongs to exactly one platform (--affected cloud:<id>)', () => {
    const claimed = Object.values(PLATFORMS).flatMap(({ check }) => check.affectedFiles.cloud);
    const modules = filesUnder(CLOUDS_DIR).filter((path) => path !== `${CLOUDS_DIR}index.ts`);
    expect([...claimed].sort()).toEqual(modules.sort());
  });

  it('every folder of stacks/ named after a platform belongs to that platform only', () => {
    const folders = readdirSync(join(REPO, 'stacks')).filter((name) => statSync(join(REPO, 'stacks', name)).isDirectory() && name in PLATFORMS);
    const claimed = Object.values(PLATFORMS).flatMap(({ check }) => check.affectedFiles.stack);
    expect(claimed.sort()).toEqual(folders.map((name) => `stacks/${name}/`).sort());
  });

  it.each(['agent-platform', 'model-server'])('chartPlatforms: each value of the %s chart global.platform belongs to exactly one platform', (chart) => {
    const values = readJson(`charts/${chart}/values.schema.json`).properties.global.properties.platform.enum as string[];
    const claimed = Object.values(PLATFORMS).flatMap(({ check }) => check.chartPlatforms);
    expect([...claimed].sort()).toEqual([...values].sort());
  });

  it('cloudModelService: each cloud model service belongs to exactly one platform', () => {
    const providers = readJson('schemas/install.schema.json').$defs.cloudManagedModels.properties.provider.enum as string[];
    const claimed = Object.values(PLATFORMS).flatMap((descriptor) => (descriptor.cloudModelService ? [descriptor.cloudModelService] : []));
    expect(claimed.sort()).toEqual([...providers].sort());
  });
});
