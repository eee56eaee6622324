import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../lib/base-command.js';
import { UserError } from '../../lib/errors.js';
import { passwordFromEnvironment, readStdin } from '../../lib/stdin.js';
import { formatBytes, parseSize } from '../../lib/sizes.js';
import { formatIssue } from '../../services/validate.js';
import { visible, visibleLine } from '../../lib/visible-text.js';
import type * as Output from '../../generated/cli-output.js';

function describeReport(report: Output.BundleSizeReport): string {
  const kinds = Object.entries(report.byKind)
    .map(([kind, bytes]) => `${kind} ${formatBytes(bytes)}`)
    .join(', ');
  return `size: ${report.images} images, ${report.blobs} blobs; ${formatBytes(report.totalBytes)} referenced, ${formatBytes(report.uniqueBytes)} unique after dedup (${kinds})`;
}

/** The human text: the spec's issues, then the bundle written (or that none was). */
export function formatCreateResult(result: Output.BundleCreate, spec: string): string {
  const lines = result.issues.map((issue) => formatIssue(spec, issue));
  if (!result.valid) lines.push(`${visibleLine(spec)}: invalid - no bundle written`);
  else lines.push(`wrote ${result.bundle} (root ${result.rootDigest}) and its signature ${result.signature}`);
  return lines.join('\n');
}

export default class BundleCreate extends BaseCommand<Output.BundleCreate> {
  static override summary = 'Pack everything an air-gapped install needs into one signed bundle.';

  static override description = `Validates and renders SPEC, then writes FILE: a tar whose root is an OCI image layout (oci-layout, index.json, blobs/sha256/...) with one root index referencing the rendered output, both charts (.tgz), every image in images.txt (all platforms, or only --platform), the Pulumi plugin list (archives too with --plugins-dir) and model weights (by digest and size, or as OCI artifacts with --include-weights, in layers below 5 GiB).
Progress goes to stderr (not with --json): each phase, then bytes, rate and blobs written, as a bar on a terminal and plain lines at every 10% otherwise. A size report (total and unique after dedup) is printed before anything is written; --key is checked first, FILE and FILE.sig (the ed25519 signature over the root digest) appear only when both are complete, and a failed run leaves nothing behind.
Images come from an OCI image layout directory (oci-layout:DIR: oci-layout, index.json, blobs/sha256/; make one with skopeo copy --all --preserve-digests docker://REF oci:DIR:NAME, crane pull --format=oci, oras cp --to-oci-layout, or node scripts/vendor-images.mjs DIR for this repository's stand-in images) or a registry (registry:HOST[:PORT], with --ca-file/--plain-http and --username with --password-stdin or INSTALLCTL_SOURCE_PASSWORD (set without --username: a usage error); without --username, the Docker config and its credential helpers, as bundle push); blobs stream through with their digests checked. The source is always named: nothing is fetched from a place you did not give.
Exit codes: 0 written, 1 invalid spec, 2 usage error, bad key or unusable source.
--json prints {valid, issues, exitCode, bundle, signature, rootDigest, report: {images, blobs, totalBytes, uniqueBytes, byKind}}.`;

  static override examples = [
    {
      description: 'Bundle an air-gapped install from a local OCI layout',
      command: '<%= config.bin %> bundle create examples/aws-ghes-self-hosted-air-gapped.yaml --out acme.bundle --images-from oci-layout:vendor-images --key keys/release.key',
    },
    {
      description: 'Only amd64 images, weights included, pulled from a staging registry',
      command:
        '<%= config.bin %> bundle create spec.yaml --out acme.bundle --images-from registry:staging.internal:5000 --platform linux/amd64 --weights-dir /data/weights --include-weights --key release.key',
    },
  ];

  static override args = {
    spec: Args.string({ required: true, description: 'install spec file (YAML or JSON)' }),
  };

  static override flags = {
    out: Flags.string({ char: 'o', required: true, description: 'bundle file to write' }),
    'images-from': Flags.string({ required: true, description: 'image source: oci-layout:DIR or registry:HOST[:PORT]' }),
    key: Flags.string({ required: true, description: 'ed25519 private key (bundle keygen) that signs the root digest' }),
    platform: Flags.string({ description: 'keep only this platform of multi-arch images (OS/ARCH[/VARIANT]); recorded in the bundle manifest' }),
    'plugins-dir': Flags.string({ description: 'directory with Pulumi plugin archives (pulumi-resource-NAME-vVERSION-OS-ARCH.tar.gz) to include' }),
    'weights-dir': Flags.string({ description: 'directory with one sub-directory of weight files per model in the spec catalog' }),
    'include-weights': Flags.boolean({ default: false, description: 'carry the weights as OCI artifacts (default: digest and size only)' }),
    'weights-part-size': Flags.string({ description: 'largest layer for weight files (default 4GiB; registries refuse 5 GiB and more)' }),
    'ca-file': Flags.string({ description: 'CA bundle for a registry: image source' }),
    'plain-http': Flags.boolean({ default: false, description: 'use HTTP for a registry: image source' }),
    username: Flags.string({ description: 'user for a registry: image source (password from --password-stdin or INSTALLCTL_SOURCE_PASSWORD)' }),
    'password-stdin': Flags.boolean({ default: false, description: 'read the registry: image source password from stdin' }),
    force: Flags.boolean({ default: false, description: 'replace an existing FILE' }),
  };

  async run(): Promise<Output.BundleCreate> {
    const { args, flags } = await this.parse(BundleCreate);
    if (flags['password-stdin'] && !flags.username) throw new UserError('--password-stdin needs --username', { code: 'USAGE', hint: 'see installctl bundle create --help' });
    const password = flags['password-stdin'] ? await readStdin() : passwordFromEnvironment('INSTALLCTL_SOURCE_PASSWORD', flags.username, 'bundle create');
    const { createBundle } = await import('../../services/bundle-create.js');
    const { createBundleProgress } = await import('../../bundle/create-progress.js');
    const result = await createBundle({
      spec: args.spec,
      out: flags.out,
      imagesFrom: flags['images-from'],
      key: flags.key,
      platform: flags.platform ?? null,
      pluginsDir: flags['plugins-dir'] ?? null,
      weightsDir: flags['weights-dir'] ?? null,
      includeWeights: flags['include-weights'],
      weightsPartSize: flags['weights-part-size'] ? parseSize(flags['weights-part-size'], '--weights-part-size') : undefined,
      caFile: flags['ca-file'],
      plainHttp: flags['plain-http'],
      username: flags.username,
      password: flags.username ? password : undefined,
      passwordSource: flags['password-stdin'] ? 'stdin' : 'env',
      onWarning: (line) => process.stderr.write(`${visibleLine(line)}\n`),
      onCredentials: (source) => {
        if (!this.jsonEnabled()) process.stderr.write(`${visibleLine(`source registry credentials: ${source}`)}\n`);
      },
      force: flags.force,
      onProgress: this.jsonEnabled() ? undefined : createBundleProgress(),
      // The report comes before the writing starts (on stderr, so stdout stays the result).
      onPlan: (report) => {
        if (!this.jsonEnabled()) process.stderr.write(`${visible(describeReport(report))}\n`);
      },
    });
    return this.done(result, (created) => formatCreateResult(created, args.spec), result.exitCode);
  }
}
