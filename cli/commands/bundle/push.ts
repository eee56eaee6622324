import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../lib/base-command.js';
import { UserError } from '../../lib/errors.js';
import { formatBytes, parseSize } from '../../lib/sizes.js';
import { passwordFromEnvironment, readStdin } from '../../lib/stdin.js';
import { unsignedWarning } from '../../bundle/signature-policy.js';
import { visibleLine } from '../../lib/visible-text.js';
import { exitOnInterrupt } from '../../lib/interrupt.js';
import { describePlan } from '../../bundle/push-progress.js';
import { describeTags } from '../../bundle/push-tags.js';
import { parseTarget, pushFiles } from '../../bundle/push-target.js';
import type * as Output from '../../generated/cli-output.js';

function dryRunReport(file: string, result: Output.BundlePush): string {
  const { probe } = result;
  const files = pushFiles(file, parseTarget(result.registry));
  return [
    `registry: API ${probe.apiVersion ?? 'unknown'}, ${probe.tls ? 'TLS' : 'plain HTTP'}, auth ${probe.auth}`,
    describePlan(result.plan),
    ...describeTags(result.plan.tags),
    `dry run: nothing sent to ${result.registry}, nothing written; a push would write ${files.receipt} and ${files.relocation}`,
  ]
    .map((line) => visibleLine(line))
    .join('\n');
}

/** The human text: the plan of a dry run, or what was pushed and the receipt and relocation map written. */
export function formatPushResult(result: Output.BundlePush, file: string): string {
  if (result.dryRun) return dryRunReport(file, result);
  const seconds = result.durationMs / 1000;
  return [
    `pushed ${file} to ${result.registry} in ${seconds.toFixed(1)}s: ${result.sent.length} blobs sent (${formatBytes(result.bytesSent)}, ${formatBytes(result.bytesSent / Math.max(seconds, 0.001))}/s), ${result.mounted} mounted, ${result.plan.blobs.present} already present; ${result.manifests.verified} manifests read back and verified`,
    `wrote receipt: ${result.receipt}`,
    `wrote relocation map: ${result.relocation} (render SPEC --relocate ${result.relocation} --out DIR)`,
  ].join('\n');
}

export default class BundlePush extends BaseCommand<Output.BundlePush> {
  static override summary = "Push a bundle into the customer's registry, resumably, and write the relocation map.";

  static override description = `Checks offline first (the key and the signature: --key is required, --allow-unsigned skips the signature entirely (FILE.sig is not read, as with bundle verify --allow-unsigned) loudly, a warning on stderr and signature "skipped (--allow-unsigned)" in --json and the receipt; the bundle's tar and documents, every blob its manifests reference present with its size), then probes the registry (TLS, auth, API version), prints the plan (blobs total / already present / to send, bytes), then pushes with the OCI distribution API: blobs already there are skipped (HEAD), each missing blob is sent once and cross-repository mounted elsewhere, uploads are monolithic up to --chunk-size and chunked beyond (PATCH in order, resumed from the registry's offset), with bounded concurrency and retries with backoff on 429, 5xx and dropped connections. Manifests go in after their blobs, the root index (the signed digest, tagged <metadata.name>-<spec.release.version>, e.g. acme-gov-2026.11.0, in installctl/bundles) last; every manifest is read back and compared.
Every item is also tagged, so registry retention rules for untagged manifests (Harbor, ECR lifecycle) keep it: images under their source tag, or the release version when images.txt pins them by digest only (e.g. 2026.11.0); charts under their version; the root index under <metadata.name>-<spec.release.version>. A tag that already names another digest is moved (like crane copy) and the plan names it; --keep-existing-tags refuses instead (PUSH_TAG_CONFLICT, exit 6), before anything is sent.
--dry-run does every offline check, the probe and the HEADs, prints the plan (blobs total / present / to send / to mount, bytes, tags) and stops: no blob sent, no manifest put, no file written.
Files are kept per registry (REG is HOST[:PORT][/PREFIX] with ':' as '_' and '/' as '+', e.g. registry.acme.internal_5000+installctl), so pushing to a second registry keeps the first one's: progress is journaled in FILE.REG.push-journal.json (a killed push, rerun with the same arguments, resumes without re-sending committed blobs). Ctrl-C (SIGINT) or SIGTERM prints one line, "interrupted; rerun the same command to resume", and exits 130 (143 for SIGTERM; with --json, also {"error": {"code": "INTERRUPTED"}} on stdout).
Writes FILE.REG.receipt.json (what was pushed, where, digests, tags) and FILE.REG.relocation.json (source ref -> target ref@digest) for render --relocate, checked by render's rules before anything is sent: a public or malformed --registry, or a bundle repository that is no OCI path, is refused (RELOCATION_* codes, exit 2).
Images land at HOST/PREFIX/<source repository>; charts at HOST/PREFIX/charts/<name>:<version> (helm pull oci://...).
Credentials, as docker and crane find them: --username with --password-stdin or the INSTALLCTL_REGISTRY_PASSWORD environment variable (set without --username: a usage error); else the Docker config ($DOCKER_CONFIG/config.json or ~/.docker/config.json, as written by docker login): credHelpers for the registry, else credsStore (docker-credential-NAME get, from an absolute PATH entry, stopped after INSTALLCTL_CREDENTIAL_HELPER_TIMEOUT seconds, default 30), else its auths entry. A Docker config that is not what docker writes is ignored with a warning, as docker does. Progress (and --json "credentials") names where they came from: stdin, env, docker-config:PATH, credential-helper:NAME or none; a registry that wants credentials when none were found is REGISTRY_AUTH_REQUIRED. Progress goes to stderr: a bar on a terminal, plain lines otherwise.
Credentials (the password and tokens obtained with it) go only to the --registry origin (scheme, host, port). Upload Locations and redirects to another origin are followed without them; user:password@ URLs and https-to-http steps are refused. A token service elsewhere gets the password over https only.
Exit codes: 0 pushed and verified (or planned, with --dry-run), 2 usage error (no --key and no --allow-unsigned: BUNDLE_KEY_REQUIRED), 3 bad signature, 4 invalid, incomplete or corrupted bundle (refused before the first request), 5 registry unreachable, refused, interrupted (rerun to resume) or answering what installctl refuses to follow, 6 the registry holds other digests than pushed (or a tag would move, with --keep-existing-tags), 130 Ctrl-C (143 SIGTERM).
--json prints {dryRun, registry, rootDigest, signature (valid|"skipped (--allow-unsigned)"), credentials, probe, plan: {items, blobs, bytes, manifests, tags: {total, present, toSet, moved}}, sent: [{digest, repository, size, bytesSent, resumedFrom}], mounted, bytesSent, manifests: {put, verified}, receipt, relocation, durationMs}; receipt and relocation are null with --dry-run.`;

  static override examples = [
    {
      description: 'Push into a registry with a private CA',
      command: '<%= config.bin %> bundle push acme.bundle --registry registry.acme.internal/installctl --ca-file acme-root-ca.pem --key release.pub',
    },
    {
      description: 'With credentials from a secret store',
      command:
        'vault kv get -field=password secret/registry | <%= config.bin %> bundle push acme.bundle --registry registry.acme.internal:5000/installctl --username pusher --password-stdin --key release.pub',
    },
    {
      description: 'A lab registry without TLS, smaller chunks over a flaky link',
      command: '<%= config.bin %> bundle push acme.bundle --registry 10.0.0.5:5000/installctl --plain-http --chunk-size 8MiB --key release.pub',
    },
    {
      description: 'With the credentials docker login stored (Docker config or its credential helper)',
      command: 'docker login registry.acme.internal:5000 && <%= config.bin %> bundle push acme.bundle --registry registry.acme.internal:5000/installctl --key release.pub',
    },
    {
      description: 'A lab test without the signer key (stated on stderr, in --json and in the receipt)',
      command: '<%= config.bin %> bundle push acme.bundle --registry 10.0.0.5:5000/installctl --plain-http --allow-unsigned',
    },
    {
      description: 'See what a push would send, and which tags it would move, without sending anything',
      command: '<%= config.bin %> bundle push acme.bundle --registry registry.acme.internal/installctl --key release.pub --dry-run',
    },
  ];

  static override args = {
    file: Args.string({ required: true, description: 'bundle file (bundle create)' }),
  };

  static override flags = {
    registry: Flags.string({ required: true, description: 'target: HOST[:PORT][/PREFIX]' }),
    'ca-file': Flags.string({ description: 'PEM CA bundle that signed the registry certificate' }),
    username: Flags.string({ description: 'registry user (password from --password-stdin or INSTALLCTL_REGISTRY_PASSWORD); without it, the Docker config is read' }),
    'password-stdin': Flags.boolean({ default: false, description: 'read the password from stdin' }),
    'plain-http': Flags.boolean({ default: false, description: 'talk HTTP, not HTTPS (lab registries only)' }),
    key: Flags.string({ description: 'ed25519 public key: refuse to push unless the bundle signature matches (required unless --allow-unsigned)', exclusive: ['allow-unsigned'] }),
    'allow-unsigned': Flags.boolean({ default: false, description: 'push without checking the signature (no --key); recorded in the receipt' }),
    concurrency: Flags.integer({ default: 4, min: 1, max: 32, description: 'blobs uploaded in parallel' }),
    'chunk-size': Flags.string({ default: '64MiB', description: 'blobs up to this size go in one request; larger ones in chunks of it' }),
    retries: Flags.integer({ default: 8, min: 0, description: 'retries per request on 429, 5xx and dropped connections' }),
    'dry-run': Flags.boolean({ default: false, description: 'probe and HEAD, print the plan, and stop: nothing sent or written' }),
    'keep-existing-tags': Flags.boolean({ default: false, description: 'refuse (PUSH_TAG_CONFLICT) rather than move a tag that names another digest' }),
  };

  async run(): Promise<Output.BundlePush> {
    const { args, flags } = await this.parse(BundlePush);
    if (flags['password-stdin'] && !flags.username) throw new UserError('--password-stdin needs --username', { code: 'USAGE', hint: 'see installctl bundle push --help' });
    const password = flags['password-stdin'] ? await readStdin() : passwordFromEnvironment('INSTALLCTL_REGISTRY_PASSWORD', flags.username, 'bundle push');
    const { pushBundle } = await import('../../services/bundle-push.js');
    const { createPushProgress } = await import('../../bundle/push-progress.js');
    if (flags['allow-unsigned']) process.stderr.write(`${unsignedWarning('push')}\n`);
    // Ctrl-C mid-push: one line and exit 130 (SIGTERM 143); the journal is already on disk.
    const release = exitOnInterrupt('interrupted; rerun the same command to resume', { json: this.jsonEnabled(), hint: `progress is kept in ${args.file}.push-journal.json` });
    const result = await pushBundle({
      file: args.file,
      registry: flags.registry,
      caFile: flags['ca-file'],
      username: flags.username,
      password,
      passwordSource: flags['password-stdin'] ? 'stdin' : 'env',
      onWarning: (line) => process.stderr.write(`${visibleLine(line)}\n`),
      plainHttp: flags['plain-http'],
      key: flags.key ?? null,
      allowUnsigned: flags['allow-unsigned'],
      concurrency: flags.concurrency,
      chunkSize: parseSize(flags['chunk-size'], '--chunk-size'),
      retries: flags.retries,
      dryRun: flags['dry-run'],
      keepExistingTags: flags['keep-existing-tags'],
      // A dry run prints its plan on stdout (below): no progress on stderr to repeat it.
      onEvent: this.jsonEnabled() || flags['dry-run'] ? undefined : createPushProgress(),
    }).finally(release);
    return this.done(result, (pushed) => formatPushResult(pushed, args.file));
  }
}
