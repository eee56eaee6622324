import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../lib/base-command.js';
import { UserError } from '../../lib/errors.js';
import { formatBytes, parseSize } from '../../lib/sizes.js';
import { readStdin } from '../../lib/stdin.js';

export default class BundlePush extends BaseCommand {
  static override summary = "Push a bundle into the customer's registry, resumably, and write the relocation map.";

  static override description = `Checks offline first (the key, the signature with --key, the bundle's tar and documents, every blob its manifests reference present with its size), then probes the registry (TLS, auth, API version), prints the plan (blobs total / already present / to send, bytes), then pushes with the OCI distribution API: blobs already there are skipped (HEAD), each missing blob is sent once and cross-repository mounted elsewhere, uploads are monolithic up to --chunk-size and chunked beyond (PATCH in order, resumed from the registry's offset), with bounded concurrency and retries with backoff on 429, 5xx and dropped connections. Manifests go in after their blobs, the root index (the signed digest, tagged <metadata.name>-<spec.release.version>, e.g. acme-gov-2026.11.0, in installctl/bundles) last; every manifest is read back and compared.
Progress is journaled in FILE.push-journal.json: a killed push, rerun with the same arguments, resumes without re-sending committed blobs.
Writes FILE.receipt.json (what was pushed, where, digests) and FILE.relocation.json (source ref -> target ref@digest) for render --relocate, checked by render's rules before anything is sent: a public or malformed --registry, or a bundle repository that is no OCI path, is refused (RELOCATION_* codes, exit 2).
Images land at HOST/PREFIX/<source repository>; charts at HOST/PREFIX/charts/<name>:<version> (helm pull oci://...).
Password: --password-stdin, or the INSTALLCTL_REGISTRY_PASSWORD environment variable. Progress goes to stderr: a bar on a terminal, plain lines otherwise.
Credentials (the password and tokens obtained with it) go only to the --registry origin (scheme, host, port). Upload Locations and redirects to another origin are followed without them; user:password@ URLs and https-to-http steps are refused. A token service elsewhere gets the password over https only.
Exit codes: 0 pushed and verified, 2 usage error, 3 bad signature (with --key), 4 invalid, incomplete or corrupted bundle (refused before the first request), 5 registry unreachable, refused, interrupted (rerun to resume) or answering what installctl refuses to follow, 6 the registry holds other digests than pushed.
--json prints {registry, rootDigest, signature, probe, plan, sent: [{digest, repository, size, bytesSent, resumedFrom}], mounted, bytesSent, manifests: {put, verified}, receipt, relocation, durationMs}.`;

  static override examples = [
    { description: 'Push into a registry with a private CA', command: '<%= config.bin %> bundle push acme.bundle --registry registry.acme.internal/installctl --ca-file acme-root-ca.pem --key release.pub' },
    { description: 'With credentials from a secret store', command: 'vault kv get -field=password secret/registry | <%= config.bin %> bundle push acme.bundle --registry registry.acme.internal:5000/installctl --username pusher --password-stdin' },
    { description: 'A lab registry without TLS, smaller chunks over a flaky link', command: '<%= config.bin %> bundle push acme.bundle --registry 10.0.0.5:5000/installctl --plain-http --chunk-size 8MiB' },
  ];

  static override args = {
    file: Args.string({ required: true, description: 'bundle file (bundle create)' }),
  };

  static override flags = {
    registry: Flags.string({ required: true, description: 'target: HOST[:PORT][/PREFIX]' }),
    'ca-file': Flags.string({ description: 'PEM CA bundle that signed the registry certificate' }),
    username: Flags.string({ description: 'registry user (password from --password-stdin or INSTALLCTL_REGISTRY_PASSWORD)' }),
    'password-stdin': Flags.boolean({ default: false, description: 'read the password from stdin' }),
    'plain-http': Flags.boolean({ default: false, description: 'talk HTTP, not HTTPS (lab registries only)' }),
    key: Flags.string({ description: 'ed25519 public key: refuse to push unless the bundle signature matches' }),
    concurrency: Flags.integer({ default: 4, min: 1, max: 32, description: 'blobs uploaded in parallel' }),
    'chunk-size': Flags.string({ default: '64MiB', description: 'blobs up to this size go in one request; larger ones in chunks of it' }),
    retries: Flags.integer({ default: 8, min: 0, description: 'retries per request on 429, 5xx and dropped connections' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(BundlePush);
    if (flags['password-stdin'] && !flags.username) throw new UserError('--password-stdin needs --username', { code: 'USAGE', hint: 'see installctl bundle push --help' });
    const password = flags['password-stdin'] ? await readStdin() : process.env.INSTALLCTL_REGISTRY_PASSWORD;
    const { pushBundle } = await import('../../services/bundle-push.js');
    const { createPushProgress } = await import('../../bundle/push-progress.js');
    const result = await pushBundle({
      file: args.file,
      registry: flags.registry,
      caFile: flags['ca-file'],
      username: flags.username,
      password,
      plainHttp: flags['plain-http'],
      key: flags.key ?? null,
      concurrency: flags.concurrency,
      chunkSize: parseSize(flags['chunk-size'], '--chunk-size'),
      retries: flags.retries,
      onEvent: this.jsonEnabled() ? undefined : createPushProgress(),
    });
    this.emit(result, () => {
      const seconds = result.durationMs / 1000;
      return [
        `pushed ${args.file} to ${result.registry} in ${seconds.toFixed(1)}s: ${result.sent.length} blobs sent (${formatBytes(result.bytesSent)}, ${formatBytes(result.bytesSent / Math.max(seconds, 0.001))}/s), ${result.mounted} mounted, ${result.plan.blobs.present} already present; ${result.manifests.verified} manifests read back and verified`,
        `receipt: ${result.receipt}`,
        `relocation map: ${result.relocation} (render SPEC --relocate ${result.relocation} --out DIR)`,
      ].join('\n');
    });
  }
}
