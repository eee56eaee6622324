/**
 * The oci-layout: image source of bundle create and the OCI document checks behind it: index.json
 * and manifests are read with the document cap and checked for their shape, digests are checked
 * before they become paths; each hostile layout is BUNDLE_SOURCE_INVALID (exit 2), never a crash.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OciLayoutDir } from '../../cli/oci/layout.js';
import { MAX_DESCRIPTORS, ociDocumentProblem } from '../../cli/oci/documents.js';
import { SIZE_CAPS } from '../../cli/lib/read-capped.js';
import { MEDIA, sha256 } from '../../cli/oci/types.js';
import { CodedError } from '../../cli/lib/errors.js';

const digest = `sha256:${'a'.repeat(64)}`;
const descriptor = { mediaType: MEDIA.manifest, digest, size: 10 };

describe('ociDocumentProblem', () => {
  const refused: Array<[string, unknown, 'index' | 'manifest']> = [
    ['not an object', [], 'index'],
    ['schemaVersion 1', { schemaVersion: 1, manifests: [] }, 'index'],
    ['manifests: "x"', { schemaVersion: 2, manifests: 'x' }, 'index'],
    ['a digest that is a number', { schemaVersion: 2, manifests: [{ ...descriptor, digest: 5 }] }, 'index'],
    ['a digest that is a path', { schemaVersion: 2, manifests: [{ ...descriptor, digest: 'sha256:../../etc/passwd' }] }, 'index'],
    ['a negative size', { schemaVersion: 2, manifests: [{ ...descriptor, size: -1 }] }, 'index'],
    ['a fractional size', { schemaVersion: 2, manifests: [{ ...descriptor, size: 1.5 }] }, 'index'],
    ['a size beyond 2^53', { schemaVersion: 2, manifests: [{ ...descriptor, size: 2 ** 60 }] }, 'index'],
    ['a media type with CR LF', { schemaVersion: 2, manifests: [{ ...descriptor, mediaType: 'a/b\r\nX-Evil: 1' }] }, 'index'],
    ['annotations that are not strings', { schemaVersion: 2, manifests: [{ ...descriptor, annotations: { a: 1 } }] }, 'index'],
    ['a platform without os', { schemaVersion: 2, manifests: [{ ...descriptor, platform: { architecture: 'amd64' } }] }, 'index'],
    [`more than ${MAX_DESCRIPTORS} descriptors`, { schemaVersion: 2, manifests: Array(MAX_DESCRIPTORS + 1).fill(descriptor) }, 'index'],
    ['no config', { schemaVersion: 2, layers: [] }, 'manifest'],
    ['layers that are an object', { schemaVersion: 2, config: descriptor, layers: {} }, 'manifest'],
  ];
  it.each(refused)('refuses %s', (_name, value, kind) => {
    expect(ociDocumentProblem(value, kind)).toEqual(expect.any(String));
  });

  it('accepts OCI and Docker v2 documents with the optional fields', () => {
    expect(
      ociDocumentProblem(
        { schemaVersion: 2, mediaType: MEDIA.dockerList, manifests: [{ ...descriptor, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }, annotations: { a: 'b' } }] },
        'index',
      ),
    ).toBeNull();
    expect(ociDocumentProblem({ schemaVersion: 2, mediaType: MEDIA.manifest, artifactType: 'application/x', config: descriptor, layers: [descriptor] }, 'manifest')).toBeNull();
  });
});

describe('OciLayoutDir', () => {
  function layout(index: string | Buffer | null, blobs: Record<string, string> = {}): string {
    const dir = mkdtempSync(join(tmpdir(), 'installctl-layout-'));
    mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
    writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    if (index === null) symlinkSync('/dev/zero', join(dir, 'index.json'));
    else writeFileSync(join(dir, 'index.json'), index);
    for (const [name, content] of Object.entries(blobs)) writeFileSync(join(dir, 'blobs', 'sha256', name), content);
    return dir;
  }
  const manifestBody = '{"schemaVersion":2,"config":"x","layers":[]}';
  const manifestDigest = sha256(manifestBody);
  const plain = '{"mediaType":"text/plain"}';

  const hostile: Array<[string, () => unknown]> = [
    ['index.json is /dev/zero', () => new OciLayoutDir(layout(null))],
    ['index.json is over the document cap', () => new OciLayoutDir(layout(Buffer.alloc(SIZE_CAPS.ociDocument + 1, 0x20)))],
    ['index.json is not JSON', () => new OciLayoutDir(layout('{"manifests": ['))],
    ['index.json has manifests: "x"', () => new OciLayoutDir(layout('{"schemaVersion":2,"manifests":"x"}'))],
    [
      'a manifest of another shape',
      () => new OciLayoutDir(layout('{"schemaVersion":2,"manifests":[]}', { [manifestDigest.slice(7)]: manifestBody })).readDocument(manifestDigest, 'manifest'),
    ],
    ['a digest that is a path', () => new OciLayoutDir(layout('{"schemaVersion":2,"manifests":[]}')).find('x', 'sha256:../../../../etc/passwd')],
    [
      'a blob found by digest that is no manifest',
      () => new OciLayoutDir(layout('{"schemaVersion":2,"manifests":[]}', { [sha256(plain).slice(7)]: plain })).find('x', sha256(plain)),
    ],
  ];
  it.each(hostile)('refuses %s with BUNDLE_SOURCE_INVALID', (_name, open) => {
    // An OciError, or the size cap's refusal of cli/lib: a coded error either way, never a bug.
    expect(open).toThrow(CodedError);
    expect(open).toThrow(expect.objectContaining({ code: 'BUNDLE_SOURCE_INVALID' }));
  });
});
