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

/** Every chart template, with its repository path. */
const chartTemplates = ['agent-platform', 'model-server'].flatMap((chart) =>
  filesUnder(`charts/${chart}/templates/`).map((path) => ({ path, text: readFileSync(join(REPO, path), 'utf8') })),
);

/**
 * Each metadata address a chart template opens as an ipBlock (`"cidr" "169.254.169.254/32"`; the
 * except-lists of _network.tpl name them bare), with the global.platform values of the `if` blocks
 * around it (`eq $platform "gcp"`, `eq $v.global.platform "gcp"`); an empty list: it is on every platform.
 */
function metadataAddressSites(text: string): Array<{ address: string; platforms: string[] }> {
  const actions = [...text.matchAll(/\{\{-?\s*(if|range|with|define|block|end)\b([^}]*)\}\}/g)];
  const addresses = METADATA_ADDRESSES.flatMap((address) =>
    [...text.matchAll(new RegExp(`"cidr" "${address.replace(/\./g, '\\.')}/`, 'g'))].map((match) => ({ address, at: match.index })),
  );
  return addresses.map(({ address, at }) => {
    const open: string[] = [];
    for (const action of actions) {
      if (action.index >= at) break;
      if (action[1] === 'end') open.pop();
      else open.push(action[1] === 'if' ? action[2]! : '');
    }
    const platforms = open.flatMap((condition) => [...condition.matchAll(/eq \$(?:platform|v\.global\.platform) "([a-z]+)"/g)].map((match) => match[1]!));
    return { address, platforms };
  });
}

/** The metadata CIDRs (address/32) the chart templates open when global.platform is one of `chartPlatforms`. */
function metadataCidrsOpenedFor(chartPlatforms: readonly string[]): string[] {
  const opened = chartTemplates.flatMap(({ text }) =>
    metadataAddressSites(text)
      .filter(({ platforms }) => platforms.length === 0 || platforms.some((platform) => chartPlatforms.includes(platform)))
      .map(({ address }) => `${address}/32`),
  );
  return [...new Set(opened)].sort();
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

  it('metadataServerEgress: exactly the metadata addresses the chart templates open on its chart platforms (none for most)', () => {
    expect(metadataCidrsOpenedFor(descriptor.check.chartPlatforms)).toEqual(metadataServerEgress.map(({ cidr }) => cidr).sort());
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
  it('the chart templates open metadata addresses only inside an `if` on global.platform (what the rows above read)', () => {
    const sites = chartTemplates.flatMap(({ path, text }) => metadataAddressSites(text).map((site) => ({ path, ...site })));
    expect(sites.length).toBeGreaterThan(0);
    expect(sites.filter(({ platforms }) => platforms.length === 0)).toEqual([]);
  });

  it('reads an address outside any platform `if` as opened on every platform, and an inline `if ... end` as closed', () => {
    const text =
      '{{- if eq $platform "gcp" }}{{ $x := 1 }}{{ end }}\n{{- if $v.enabled }}\n"cidr" "169.254.169.254/32"\n{{- end }}\n{{- if eq $v.global.platform "aws" }}"cidr" "169.254.170.2/32"{{- end }}\n169.254.169.252 (bare: an except-list)';
    expect(metadataAddressSites(text)).toEqual([
      { address: '169.254.169.254', platforms: [] },
      { address: '169.254.170.2', platforms: ['aws'] },
    ]);
  });

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
