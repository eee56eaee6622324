/**
 * The tags `bundle push` sets beside the digests: each image under its source tag (or the release
 * version when images.txt pins it by digest only), charts under their version, the root index under
 * <install>-<release> (e.g. acme-gov-2026.11.0). Registries with retention or garbage-collection rules for untagged manifests
 * (Harbor, ECR lifecycle policies) would otherwise delete what the cluster runs. Every tag is
 * checked by the distribution grammar before it goes into a URL: the bundle manifest's release and
 * install name are not constrained by its schema, and a tag like "../x" must never become a path.
 * A tag that already names another digest is moved, as crane copy and skopeo copy do, unless the
 * push was told to keep existing tags (PUSH_TAG_CONFLICT).
 */
import { UserError } from '../lib/errors.js';
import { forEachLimit } from '../lib/concurrency.js';
import { ACCEPT, type RegistryClient } from '../oci/registry.js';
import { SHA256_DIGEST } from '../oci/reference.js';
import { sha256 } from '../oci/types.js';
import { bundleError } from './errors.js';
import { targetRepository, type PushTarget } from './push-target.js';
import type { PushItem } from './push-plan.js';

/** The distribution tag grammar: [\w][\w.-]{0,127}. */
export const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** text when it is a tag by the grammar; else a BUNDLE_INVALID error naming what it was for. */
export function checkedTag(text: string, what: string): string {
  if (TAG_PATTERN.test(text)) return text;
  const shown = JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text);
  throw bundleError('BUNDLE_INVALID', `the bundle would tag ${what} ${shown}, which is no OCI tag ([A-Za-z0-9_][A-Za-z0-9._-], at most 128 characters)`, {
    hint: 'bundle create writes only valid tags: re-create the bundle from its spec',
  });
}

/** The tag an image is pushed under: its source tag, else the release version. */
export function imageTag(image: { source: string; tag: string | null }, release: string): string {
  return image.tag !== null ? checkedTag(image.tag, `image ${image.source}`) : checkedTag(release, `image ${image.source} (by the release version)`);
}

export interface TagMove {
  repository: string;
  tag: string;
  /** What the tag named in the registry before the push. */
  from: string;
  to: string;
}

export interface TagPlan {
  /** Tags this push sets (one per item). */
  total: number;
  /** Tags that already name the pushed digest: left alone (put by digest, so immutable tags do not fail). */
  present: number;
  toSet: number;
  /** Tags the push moves from another digest (included in toSet). */
  moved: TagMove[];
}

/** The digest a tag names in the registry; null when the tag is not there. */
async function taggedDigest(client: RegistryClient, repository: string, tag: string): Promise<string | null> {
  const response = await client.http.request({
    method: 'HEAD',
    url: `/v2/${repository}/manifests/${tag}`,
    headers: { accept: ACCEPT },
    ok: [200, 404],
    scope: `repository:${repository}:pull`,
  });
  if (response.status === 404) return null;
  const header = response.headers['docker-content-digest'];
  if (typeof header === 'string' && SHA256_DIGEST.test(header)) return header;
  // No (usable) digest header: hash what the registry serves instead of trusting the header's absence.
  return sha256((await client.getManifest(repository, tag)).bytes);
}

/**
 * HEADs every tag the push sets (registry reads only): which are in place, which are new and which
 * would move. `keep` refuses a move before anything is sent.
 */
export async function planTags(
  client: RegistryClient,
  target: PushTarget,
  items: PushItem[],
  concurrency: number,
  keep: boolean,
): Promise<{ plan: TagPlan; unchanged: Set<string> }> {
  const tagged = items.flatMap((item) =>
    item.manifests.filter((manifest) => manifest.tag).map((manifest) => ({ repository: targetRepository(target, item.repository), tag: manifest.tag!, digest: manifest.digest })),
  );
  const unchanged = new Set<string>();
  const moved: TagMove[] = [];
  await forEachLimit(tagged, concurrency, async ({ repository, tag, digest }) => {
    const current = await taggedDigest(client, repository, tag);
    if (current === digest) unchanged.add(`${repository}:${tag}`);
    else if (current !== null) moved.push({ repository, tag, from: current, to: digest });
  });
  moved.sort((a, b) => (`${a.repository}:${a.tag}` < `${b.repository}:${b.tag}` ? -1 : 1));
  if (keep && moved.length) {
    const first = moved[0]!;
    throw new UserError(
      `${moved.length} tag(s) in the registry already name other digests, e.g. ${first.repository}:${first.tag} is ${first.from}, the bundle has ${first.to}; nothing was sent`,
      {
        code: 'PUSH_TAG_CONFLICT',
        hint: 'drop --keep-existing-tags to move them (the digests they named stay, untagged), or push to another --registry prefix',
        details: { moved },
      },
    );
  }
  return { plan: { total: tagged.length, present: unchanged.size, toSet: tagged.length - unchanged.size, moved }, unchanged };
}

/** The plan's tag line (and one line per moved tag: the old digest may lose its last tag). */
export function describeTags(plan: TagPlan): string[] {
  return [
    `tags: ${plan.total} (${plan.present} in place, ${plan.toSet} to set, ${plan.moved.length} to move)`,
    ...plan.moved.map(
      (move) => `moving tag ${move.repository}:${move.tag} from ${move.from} to ${move.to} (the old digest keeps no tag of this push; retention rules may delete it)`,
    ),
  ];
}
