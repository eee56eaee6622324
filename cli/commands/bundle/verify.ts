import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../lib/base-command.js';
import { formatBytes } from '../../lib/sizes.js';
import { unsignedWarning } from '../../bundle/signature-policy.js';
import { describeOwner } from '../../bundle/blob-owners.js';
import type * as Output from '../../generated/cli-output.js';

/** The human text: the signature, each missing, extra or corrupted blob and what it belongs to, then the verdict. */
export function formatVerifyResult(result: Output.BundleVerify): string {
  const lines: string[] = [];
  if (result.signature === 'invalid') lines.push(`signature: INVALID - ${result.signatureProblem}`);
  else lines.push(`signature: ${result.signature === 'valid' ? `valid for root ${result.rootDigest}` : 'SKIPPED (--allow-unsigned): nothing proves who made this bundle'}`);
  const of = (owners: Output.BlobOwners) => (owners.length ? ` of ${owners.map(describeOwner).join('; ')}` : '');
  for (const blob of result.missing) lines.push(`missing:   ${blob.digest}${of(blob.artifacts)} (${formatBytes(blob.size)}, ${blob.mediaType})`);
  for (const path of result.extra) lines.push(`extra:     ${path}`);
  for (const blob of result.corrupted) lines.push(`corrupted: ${blob.digest}${of(blob.artifacts)}: ${blob.problem}`);
  const blobs = result.missing.length + result.extra.length + result.corrupted.length;
  lines.push(
    `${result.ok ? 'OK' : 'FAILED'}: ${result.blobs.checked} blobs checked (${formatBytes(result.blobs.bytes)}), ${blobs ? `${blobs} problem${blobs === 1 ? '' : 's'}` : 'all intact'}`,
  );
  return lines.join('\n');
}

export default class BundleVerify extends BaseCommand<Output.BundleVerify> {
  static override summary = 'Check a bundle offline: its signature and every blob.';

  static override description = `One streaming pass over FILE hashes every blob (nothing is unpacked); each missing, extra or corrupted blob is named. --key is required: the signature (FILE.sig, or --signature) must be valid for the root digest. --allow-unsigned instead skips the signature entirely, as bundle push does, loudly (a warning on stderr, signature "skipped (--allow-unsigned)"): FILE.sig is not read (--signature with it is a usage error); blobs are still checked.
Needs no network. FILE must be a regular file holding only what bundle create writes (links, directories, ./ or ../ names, bad header checksums, oversized headers or JSON documents are refused: BUNDLE_INVALID); keys and signatures are read up to 64 KiB.
Exit codes: 0 intact (and signed by --key), 2 usage error (no --key and no --allow-unsigned: BUNDLE_KEY_REQUIRED; bad key, FILE not a regular file), 3 bad or missing signature, 4 missing, extra or corrupted blobs, a truncated file or not a bundle.
--json prints {ok, exitCode, rootDigest, signature (valid|invalid|"skipped (--allow-unsigned)"), signatureProblem, blobs: {expected, checked, bytes}, missing: [{digest, size, mediaType, artifacts}], extra: [path], corrupted: [{digest, problem, artifacts}]}; artifacts: [{kind (image|chart|render|plugins|weights|bundle), name, file}], what the blob belongs to (an image by its source reference, a chart as name:version, a model's weights with the file a layer carries), also in the text.`;

  static override examples = [
    { description: 'Verify a delivered bundle against the vendor key', command: '<%= config.bin %> bundle verify acme.bundle --key release.pub' },
    {
      description: 'Check blobs only, without the signature (no key at hand; says so on stderr and in the output)',
      command: '<%= config.bin %> bundle verify acme.bundle --allow-unsigned',
    },
  ];

  static override args = {
    file: Args.string({ required: true, description: 'bundle file' }),
  };

  static override flags = {
    key: Flags.string({ description: 'ed25519 public key the bundle must be signed with (required unless --allow-unsigned)', exclusive: ['allow-unsigned'] }),
    'allow-unsigned': Flags.boolean({ default: false, description: 'skip the signature check (no --key): blobs only, stated in the output' }),
    signature: Flags.string({ description: 'signature file (default: FILE.sig); not with --allow-unsigned', exclusive: ['allow-unsigned'] }),
  };

  async run(): Promise<Output.BundleVerify> {
    const { args, flags } = await this.parse(BundleVerify);
    const { verifyBundle } = await import('../../services/bundle-verify.js');
    if (flags['allow-unsigned']) process.stderr.write(`${unsignedWarning('verify')}\n`);
    const result = await verifyBundle({ file: args.file, key: flags.key ?? null, allowUnsigned: flags['allow-unsigned'], signature: flags.signature ?? null });
    return this.done(result, formatVerifyResult, result.exitCode);
  }
}
