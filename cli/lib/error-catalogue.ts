/**
 * Every code installctl prints, in one table: the exit code of the command it stops and what it
 * means. UserError takes its exit code from here (no error carries a hand-written exit code), and
 * README's "Error codes" table is generated from it (npm run readme; scripts/update-readme.mjs).
 * test/lib/error-catalogue.test.ts fails when a code used in cli/ or matrix/ is missing here, when an
 * entry here is used nowhere, or when the README table is stale.
 *
 * Two ways a code reaches the user:
 * - `exit`: it stops the command (a UserError: `installctl: error[CODE]` on stderr, `{"error": ...}`
 *   with --json) and the process exits with this code; null when the code never stops a command;
 * - `issue`: it is a finding in an install spec's issue list (validate, render, init, bundle create),
 *   as an error (the spec is invalid: SPEC_EXITS.invalid), a warning (never fails), or either,
 *   depending on the spec.
 */

/** The exit code of every command that did its job. */
export const EXIT_OK = 0;

/** The exit code of a command that checks a spec and reports its issues (validate, render, init, bundle create). */
export const SPEC_EXITS = {
  /** No error issue; warnings allowed. Every command that succeeds exits 0. */
  valid: EXIT_OK,
  /** The spec has an error issue. */
  invalid: 1,
  /** The spec file cannot be read at all (FILE_NOT_FOUND, FILE_IS_DIRECTORY, FILE_UNREADABLE). */
  unreadable: 2,
} as const;

export type IssueSeverity = 'error' | 'warning' | 'error or warning';

export interface CatalogueEntry {
  /** The exit code of a command this code stops; null when it never stops one (an issue only). */
  readonly exit: number | null;
  /** Set when the code is a finding in a spec's issue list, with the severity it has there. */
  readonly issue?: IssueSeverity;
  /** One line, for README's table. */
  readonly meaning: string;
}

// The exit codes, named once: every entry below uses one of these.
const USAGE = 2;
const INVALID = 1;
const SIGNATURE = 3;
const BUNDLE = 4;
const REGISTRY = 5;
const MISMATCH = 6;

export const ERROR_CATALOGUE = {
  // Reading a file
  FILE_NOT_FOUND: { exit: USAGE, issue: 'error', meaning: 'the file does not exist (a spec given to `validate` too: exit 2)' },
  FILE_IS_DIRECTORY: { exit: USAGE, issue: 'error', meaning: 'a directory was given where a file is expected (a spec given to `validate` too: exit 2)' },
  FILE_UNREADABLE: { exit: USAGE, issue: 'error', meaning: 'the file cannot be read, e.g. for its permissions (a spec given to `validate` too: exit 2)' },
  FILE_NOT_REGULAR: { exit: USAGE, meaning: 'a bundle path names a device, FIFO or socket, not a file' },
  FILE_TOO_LARGE: { exit: USAGE, issue: 'error', meaning: 'a spec over 1 MiB (an issue), or any other input over its size cap (see Security model)' },
  FILE_BINARY: { exit: null, issue: 'error', meaning: 'the spec is binary (a NUL byte), not a text document' },
  FILE_NOT_UTF8: { exit: null, issue: 'error', meaning: 'the spec is not UTF-8 (UTF-16, or an invalid byte)' },
  FILE_EMPTY: { exit: null, issue: 'error', meaning: 'the spec holds no document, or an empty one' },
  FILE_EXISTS: {
    exit: USAGE,
    meaning:
      '`init --out`, `bundle create --out` or `bundle keygen --out` would overwrite a file (pass `--force`), or `upgrade apply-spec --out` names an existing file other than SPEC (choose a new one, or leave `--out` out to upgrade SPEC in place)',
  },
  STDIN_TOO_LARGE: { exit: USAGE, meaning: 'more than 64 KiB on standard input where a password or token is read (`--password-stdin`)' },
  OUTPUT_NOT_WRITABLE: {
    exit: USAGE,
    meaning:
      '`render`, `init --out`, `bundle keygen`, `conformance --report-dir`/`--cache-dir` and other writes: the directory is not writable, read-only, full, or a file is in the way',
  },

  // Parsing a spec
  YAML_SYNTAX: { exit: null, issue: 'error', meaning: 'malformed YAML, at line:column' },
  JSON_SYNTAX: { exit: null, issue: 'error', meaning: 'malformed JSON, at line:column' },
  YAML_DUPLICATE_KEY: { exit: null, issue: 'error', meaning: 'a key twice in one mapping' },
  YAML_MULTIPLE_DOCUMENTS: { exit: null, issue: 'error', meaning: 'more than one YAML document in the file' },
  YAML_TAG: { exit: null, issue: 'error', meaning: 'a custom `!tag`' },
  YAML_ALIAS_LIMIT: { exit: null, issue: 'error', meaning: 'alias bomb refused: more than 64 alias expansions' },
  YAML_NESTING_LIMIT: { exit: null, issue: 'error', meaning: 'absurd nesting refused: more than 32 levels, checked on the tokens before parsing, at the first level too deep' },
  YAML_COMPLEX_KEY: { exit: null, issue: 'error', meaning: 'a list, mapping or alias used as a key (`? [a, b]`)' },
  SPEC_TOO_COMPLEX: { exit: null, issue: 'error', meaning: 'more than 200,000 values in one file, refused before parsing' },
  ISSUES_TRUNCATED: {
    exit: null,
    issue: 'error',
    meaning: 'a file had more than 100 issues: the first 100 by position are shown, then this one says how many more (`errors`/`warnings` in `--json` count them all)',
  },

  // The schema
  SPEC_API_VERSION: { exit: null, issue: 'error', meaning: 'not an `installctl.dev/v1alpha1` document' },
  SPEC_KIND: { exit: null, issue: 'error', meaning: 'not an `Install` document' },
  SCHEMA_REQUIRED: { exit: null, issue: 'error', meaning: 'a required key is missing' },
  SCHEMA_UNKNOWN_KEY: { exit: null, issue: 'error', meaning: 'a key the schema does not know (with did-you-mean)' },
  SCHEMA_TYPE: { exit: null, issue: 'error', meaning: 'wrong type (with a quoting hint for YAML numbers)' },
  SCHEMA_ENUM: { exit: null, issue: 'error', meaning: 'a value outside its list (with did-you-mean)' },
  SCHEMA_HOSTNAME: { exit: null, issue: 'error', meaning: 'a malformed hostname' },
  SCHEMA_URL: { exit: null, issue: 'error', meaning: 'a malformed URL' },
  SCHEMA_CIDR: { exit: null, issue: 'error', meaning: 'a malformed CIDR' },
  SCHEMA_NAME: { exit: null, issue: 'error', meaning: 'a malformed install name' },
  SCHEMA_PATTERN: { exit: null, issue: 'error', meaning: 'another pattern-checked value (or key) that does not match' },
  SCHEMA_RANGE: { exit: null, issue: 'error', meaning: 'out of range or size' },
  SCHEMA_UNIQUE: { exit: null, issue: 'error', meaning: 'duplicate list items' },
  SCHEMA_ONE_OF: { exit: null, issue: 'error', meaning: 'no (or several) alternatives matched' },
  SCHEMA_INVALID: { exit: null, issue: 'error', meaning: 'another schema failure' },
  VALUE_WHITESPACE: { exit: null, issue: 'error', meaning: 'a value or key with leading or trailing whitespace' },
  VALUE_CONTROL_CHARACTER: {
    exit: null,
    issue: 'error',
    meaning: 'a value or key (free text included) holding a control, bidi, invisible format character or lone surrogate, named as `U+XXXX`',
  },
  SECRET_LITERAL: { exit: null, issue: 'error', meaning: 'a literal secret in the spec (never echoed)' },

  // The support matrix
  MATRIX_AIRGAP_SAAS_MODELS: { exit: null, issue: 'error', meaning: 'the spec selects an unsupported cell: SaaS models when air-gapped' },
  MATRIX_AIRGAP_GITHUB_COM: { exit: null, issue: 'error', meaning: 'the spec selects an unsupported cell: GitHub.com when air-gapped' },
  MATRIX_AIRGAP_ONPREM_CLOUD_MODELS: { exit: null, issue: 'error', meaning: 'the spec selects an unsupported cell: cloud-managed models on-prem when air-gapped' },
  MATRIX_AIRGAP_CLOUD_MODELS_PRIVATE_ENDPOINT: { exit: null, meaning: 'reason code of the conditional cells (shown by `matrix`)' },
  MATRIX_ACKNOWLEDGEMENT_REQUIRED: { exit: null, issue: 'error', meaning: 'a conditional cell without its acknowledgement' },
  MATRIX_ACKNOWLEDGEMENT_UNUSED: { exit: null, issue: 'warning', meaning: 'an acknowledgement the cell does not ask for' },
  MATRIX_UNSUPPORTED: { exit: INVALID, meaning: '`init` for an unsupported cell (with alternatives in `details`)' },
  MATRIX_UNKNOWN_VALUE: { exit: USAGE, meaning: 'an unknown dimension value' },
  MATRIX_UNKNOWN_CELL: { exit: USAGE, meaning: 'an unknown cell id' },
  REQUIRE_GPU_POOL: { exit: null, issue: 'error', meaning: 'self-hosted models: a GPU pool the platform offers' },
  REQUIRE_WEIGHTS_SOURCE: { exit: null, issue: 'error', meaning: 'self-hosted models: weights for every model' },
  REQUIRE_OFFLINE_WEIGHTS: { exit: null, issue: 'error', meaning: 'self-hosted models: no public hub when air-gapped' },
  REQUIRE_REGISTRY_MIRROR: { exit: null, issue: 'error', meaning: 'air-gapped: a registry mirror' },
  REQUIRE_NO_PUBLIC_ENDPOINTS: { exit: null, issue: 'error', meaning: 'air-gapped: no public host anywhere (any value, metadata labels included, and any URL even in free text)' },
  REQUIRE_PRIVATE_CLUSTER_API: { exit: null, issue: 'error', meaning: 'air-gapped: a private Kubernetes API' },
  REQUIRE_SCM_WEBHOOK_ROUTE: { exit: null, issue: 'error', meaning: 'GitHub.com (connected) needs a webhook route (ingress or relay)' },
  REQUIRE_CLOUD_MODEL_PROVIDER_MATCHES_PLATFORM: { exit: null, issue: 'error', meaning: "cloud-managed models: the cloud's own service" },
  REQUIRE_CLOUD_MODEL_CREDENTIALS: { exit: null, issue: 'error', meaning: 'cloud-managed models: credentials on-prem' },
  REQUIRE_MODEL_PRIVATE_ENDPOINT: { exit: null, issue: 'error', meaning: 'cloud-managed models: a private endpoint when air-gapped' },
  REQUIRE_SAAS_API_KEY: { exit: null, issue: 'error', meaning: 'saas-api models: an API key reference' },

  // The release catalog (releases/)
  RELEASE_UNKNOWN: {
    exit: USAGE,
    issue: 'error',
    meaning: 'spec.release.version, or `upgrade plan`/`apply-spec --to`, is not a release in the catalog (`releases/`; the hint lists the catalogued ones)',
  },
  RELEASE_PREVIEW: { exit: null, issue: 'warning', meaning: 'spec.release.version is a preview release: not yet the one installctl installs by default' },

  // Rules across the spec
  RULE_PUBLIC_HOST_MENTION: { exit: null, issue: 'warning', meaning: 'air-gapped: free text (`metadata.customer`, an acknowledgement `note`) names a public host without a URL' },
  RULE_GPU_COUNT_TP_MISMATCH: { exit: null, issue: 'error', meaning: 'GPU sizing: gpuCount must equal tensorParallelSize' },
  RULE_GPU_EXCEEDS_NODE: { exit: null, issue: 'error', meaning: 'GPU sizing: a model must fit one node of the preset' },
  RULE_GPU_POOL_RANGE: { exit: null, issue: 'error', meaning: 'GPU sizing: the pool minimum must not exceed its maximum' },
  RULE_GPUS_PER_NODE_IGNORED: { exit: null, issue: 'warning', meaning: 'GPU sizing: gpusPerNode comes from the instance preset; the value is ignored' },
  RULE_GPU_REGION_UNAVAILABLE: { exit: null, issue: 'error', meaning: "GKE: no zone of the spec's region offers the GPU product's accelerator" },
  RULE_GPU_REGION_UNLISTED: { exit: null, issue: 'warning', meaning: "GKE: the accelerator zone table does not list the spec's region (GPU zones left to GKE)" },
  RULE_GCP_VPC_ISLAND: { exit: null, issue: 'warning', meaning: 'GKE: a new air-gapped VPC without platform.hub reaches no SCM or operator' },
  RULE_GPU_DEMAND_EXCEEDS_POOL: {
    exit: null,
    issue: 'error',
    meaning: "GPU sizing: the models' replicas, packed onto the pool's nodes, need more nodes than the pool can have (maxNodes, or minNodes where nothing autoscales)",
  },
  RULE_GPU_DEMAND_NEEDS_SCALE_UP: { exit: null, issue: 'warning', meaning: 'GPU sizing: the replicas fit only after the autoscaler adds nodes beyond minNodes' },
  RULE_KUBERNETES_END_OF_SUPPORT: { exit: null, issue: 'error', meaning: 'Kubernetes version: out of all support on the platform (matrix/kubernetes-versions.yaml)' },
  RULE_KUBERNETES_EXTENDED_SUPPORT: { exit: null, issue: 'warning', meaning: 'Kubernetes version: past the end of standard support, in extended (paid) support' },
  RULE_KUBERNETES_STANDARD_SUPPORT_ENDING: { exit: null, issue: 'warning', meaning: 'Kubernetes version: standard support ends within 90 days' },
  RULE_KUBERNETES_VERSION_UNKNOWN: {
    exit: null,
    issue: 'error or warning',
    meaning: 'Kubernetes version: not in the support calendar for the platform, or not released there yet (a warning when newer than every listed one)',
  },
  RULE_WEIGHTS_SOURCE_PLATFORM: { exit: null, issue: 'error or warning', meaning: "weights in another cloud's object store (an error; a warning on-prem)" },
  RULE_WEIGHTS_RWO_REPLICAS: { exit: null, issue: 'error', meaning: 'a ReadWriteOnce weights claim the release creates for a model of several replicas' },
  RULE_WEIGHTS_CREATE_MIRROR: { exit: null, issue: 'error', meaning: 'a weights claim to create and fill from the registry mirror, with no registry.mirror' },
  RULE_NO_CHAT_MODEL: { exit: null, issue: 'error', meaning: 'the model catalog has no chat model' },
  RULE_NO_EMBEDDING_MODEL: { exit: null, issue: 'warning', meaning: 'the model catalog has no embedding model' },
  RULE_DUPLICATE_MODEL: { exit: null, issue: 'error', meaning: 'the model catalog names a model twice' },
  RULE_AZURE_DEPLOYMENT: {
    exit: null,
    issue: 'error or warning',
    meaning: 'an azure-openai model without its deployment (an error); Azure fields on another provider (a warning)',
  },
  RULE_MODEL_REGION_ENDPOINT: { exit: null, issue: 'error', meaning: 'Bedrock in another region than the VPC endpoint that must reach it' },
  RULE_CIDR_HOST_BITS: { exit: null, issue: 'error', meaning: 'network sizing: a CIDR with host bits set' },
  RULE_CIDR_SIZE: { exit: null, issue: 'error', meaning: 'network sizing: a CIDR too small or too large' },
  RULE_AZURE_VNET_ISLAND: { exit: null, issue: 'error', meaning: 'an air-gapped new Azure VNet without a hub peering: nothing outside it reaches it' },
  RULE_AZURE_NEW_ONLY: { exit: null, issue: 'error', meaning: 'an Azure field only a new VNet or cluster can honour (hub, clusterAdmins, ingress.dns) on an existing one' },
  RULE_AZURE_INGRESS_ZONE: {
    exit: null,
    issue: 'error',
    meaning: 'the ingress hostname is not in the private DNS zone named for its record (or the zone is on a non-Azure platform)',
  },
  RULE_NODE_POOL_RANGE: { exit: null, issue: 'error', meaning: 'cluster sizing: a node pool minimum above its maximum' },
  RULE_PUBLIC_CLUSTER_API: { exit: null, issue: 'warning', meaning: 'the Kubernetes API will be reachable from the internet' },
  RULE_EGRESS_ALLOWLIST_EMPTY: { exit: null, issue: 'warning', meaning: 'an air-gapped install lists no network its pods may reach (the SCM server is outside the cluster)' },
  RULE_EGRESS_ANYWHERE: {
    exit: null,
    issue: 'error or warning',
    meaning: 'an `allowedEgressCidrs` entry wider than a /8 (`0.0.0.0/0`): an error when air-gapped, a warning when connected',
  },
  RULE_EGRESS_METADATA: {
    exit: null,
    issue: 'error',
    meaning: 'an `allowedEgressCidrs` entry that is or lies inside `169.254.0.0/16` (link-local: the cloud metadata service) or is `100.100.100.200/32`, on every network',
  },
  RULE_AIRGAP_ISLAND: {
    exit: null,
    issue: 'error or warning',
    meaning:
      'a new AWS VPC has no attachment route to a network its pods must reach (`allowedEgressCidrs`, the SCM server): an error when air-gapped, a warning for private ranges when connected',
  },
  RULE_INGRESS_TLS_UNSERVED: {
    exit: null,
    issue: 'error',
    meaning: "`ingress.tls` is a mode the platform's ingress cannot serve (the AWS ALB serves ACM certificates only), or an ACM certificate of another region or account",
  },
  RULE_INGRESS_DNS_PLATFORM: {
    exit: null,
    issue: 'error',
    meaning: "`ingress.dns` does not name the zone in the platform's shape (aws `zoneId`, azure `privateZoneId`, gcp `managedZone`)",
  },
  RULE_MIRROR_NO_HOST: {
    exit: null,
    issue: 'error or warning',
    meaning: '`registry.mirror` names no registry host (`mirror: x` or `x/installctl`: runtimes pull from Docker Hub): an error when air-gapped, a warning when connected',
  },
  RULE_SCM_URL_IS_SAAS: { exit: null, issue: 'error', meaning: 'a self-managed SCM type pointed at the public SaaS' },
  RULE_WEBHOOK_URL_PRIVATE: { exit: null, issue: 'warning', meaning: 'a GitHub.com webhook URL on a private domain' },
  RULE_MANAGED_DATASTORE_ONPREM: { exit: null, issue: 'error', meaning: 'a managed datastore on-prem, where there is none' },
  RULE_MANAGED_DATASTORE_UNAVAILABLE: { exit: null, issue: 'error', meaning: 'a managed datastore the platform does not have' },
  RULE_PLACEHOLDER: { exit: null, issue: 'warning', meaning: 'a value `init` left for you to replace' },
  RELEASE_FIELD_RENAMED: {
    exit: null,
    issue: 'error',
    meaning: "a spec field under the name a release at or before the spec's renamed (`ingress.exposure` from 2026.12.0 on is `ingress.visibility`): `upgrade apply-spec` moves it",
  },
  RELEASE_KUBERNETES_WINDOW: {
    exit: null,
    issue: 'error',
    meaning: "the spec's Kubernetes version is outside its release's window (the catalog's `kubernetes` min-max): `upgrade apply-spec` blocks on it",
  },
  RELEASE_FIELD_TOO_NEW: { exit: null, issue: 'error', meaning: "a spec field under the name a release after the spec's gives it (`ingress.visibility` before 2026.12.0)" },

  // render
  RENDER_PLACEHOLDERS: {
    exit: USAGE,
    meaning: '`render` of a spec that still holds `RULE_PLACEHOLDER` values, listed in `details.paths`; pass `--allow-placeholders` for a trial render',
  },
  RENDER_OUT_NOT_RENDER: { exit: USAGE, meaning: '`render --out` would replace a directory that is not an earlier render (pass `--force`)' },
  RENDER_OUT_NOT_DIRECTORY: { exit: USAGE, meaning: '`render --out` is a file' },
  RENDER_OUT_SYMLINK: { exit: USAGE, meaning: '`render --out` is a symbolic link' },
  RENDER_OUT_UNSAFE: {
    exit: USAGE,
    meaning:
      '`render --out` is a root, mount point, sticky shared directory, the home or current directory or an ancestor, holds a mount point, or (with `--force`) holds the spec or map',
  },
  RENDER_OUT_BUSY: { exit: USAGE, meaning: 'another running render is writing `--out`' },
  RENDER_CARRY_OVER_FAILED: { exit: USAGE, meaning: 'a file of yours in `--out` cannot be read to carry it over to the new render' },

  // status
  STATUS_NOT_A_RENDER: {
    exit: USAGE,
    meaning: '`status DIR`: DIR does not exist, is not a directory, or holds no `manifest.json` of kind `RenderManifest` (not a directory `render --out` wrote)',
  },
  STATUS_MANIFEST_INVALID: {
    exit: USAGE,
    meaning:
      "`status DIR`: DIR's `manifest.json` is over 16 MiB, not JSON, a symbolic link or not a file, or not of a render manifest's shape (a file path absolute, with `..` or repeated, a spec name that is not a file name, a malformed hash or version); the message names the bad value",
  },

  // conformance
  CONFORMANCE_BAD_SHARD: { exit: USAGE, meaning: 'a malformed `--shard`' },
  CONFORMANCE_BAD_FILTER: { exit: USAGE, meaning: 'an unknown `--only` value (with did-you-mean)' },
  CONFORMANCE_BAD_REF: { exit: USAGE, meaning: 'an `--affected` ref git does not know or that starts with `-`, or a diff listing over 16 MiB of paths' },
  CONFORMANCE_HELM_MISSING: {
    exit: USAGE,
    meaning:
      'a Helm binary is missing, not executable, crashes or reports the wrong version (`INSTALLCTL_HELM3`/`INSTALLCTL_HELM4` pointing at junk too), checked before any cell runs; the message names the binary and why: fix or unset the variable, or run `npm ci` / `node scripts/fetch-helm.mjs` in the checkout',
  },
  CONFORMANCE_BAD_REPORT: {
    exit: USAGE,
    meaning: '`conformance merge` was given a file that is not a conformance report: not JSON, over 64 MiB, or not of the shape of `schemas/conformance-report.schema.json`',
  },
  CONFORMANCE_MERGE_MISMATCH: { exit: USAGE, meaning: '`conformance merge` was given reports of different runs' },
  CONFORMANCE_MERGE_INCOMPLETE: { exit: INVALID, meaning: '`conformance merge` is missing a shard (`details.missing` lists them)' },

  // bundle create, verify, push
  BUNDLE_SOURCE_INVALID: { exit: USAGE, meaning: '`--images-from` is not an OCI layout' },
  BUNDLE_IMAGE_MISSING: { exit: USAGE, meaning: 'an image in `images.txt` is not in the source' },
  BUNDLE_SOURCE_CORRUPT: { exit: USAGE, meaning: 'a source blob does not hash to its digest (nothing is written)' },
  BUNDLE_WEIGHTS_UNDESCRIBED: { exit: null, issue: 'warning', meaning: "a model's weights are neither in the bundle nor pinned by digest (give `--weights-dir`)" },
  BUNDLE_KEY_INVALID: { exit: USAGE, meaning: 'a key file that is missing, over 64 KiB or not an ed25519 key (`bundle keygen` makes one)' },
  BUNDLE_KEY_REQUIRED: {
    exit: USAGE,
    meaning:
      '`bundle verify` or `bundle push` without `--key PUB`: nothing else proves who made the bundle; `--allow-unsigned` skips the check, stated in the output and the receipt',
  },
  BUNDLE_INVALID: { exit: BUNDLE, meaning: 'not an installctl bundle: a tar entry, name or JSON document `bundle create` does not write' },
  BUNDLE_TRUNCATED: { exit: BUNDLE, meaning: 'an incomplete copy of a bundle' },
  BUNDLE_BLOB_MISSING: { exit: BUNDLE, meaning: 'a blob the bundle needs is absent (push refuses before its first request)' },
  BUNDLE_BLOB_CORRUPT: { exit: BUNDLE, meaning: 'a blob has another size or other bytes than its digest says (push refuses before its first request)' },
  BUNDLE_BLOB_EXTRA: { exit: BUNDLE, meaning: 'a blob in the bundle that nothing lists (push refuses before its first request)' },
  BUNDLE_SIGNATURE_INVALID: { exit: SIGNATURE, meaning: 'the signature is missing or not by the `--key` given' },
  REGISTRY_TARGET_INVALID: {
    exit: USAGE,
    meaning:
      '`--registry` (or `--images-from registry:`) is not `HOST[:PORT][/PREFIX]` by the reference grammar: a host without a dot or port (Docker Hub would serve it), a port outside 1-65535, `user:password@` (never echoed; credentials go in `--username` and `--password-stdin`), a bad prefix; an upper-case host is lowercased',
  },
  REGISTRY_UNREACHABLE: { exit: REGISTRY, meaning: 'the registry cannot be reached' },
  REGISTRY_TLS_FAILED: { exit: REGISTRY, meaning: 'the registry certificate is not trusted (`--ca-file`), or TLS does not match `--plain-http`' },
  REGISTRY_AUTH_REQUIRED: {
    exit: REGISTRY,
    meaning: 'the registry asks for credentials (401/403) and none were given or found in the Docker config: pass `--username` and `--password-stdin`, or `docker login`',
  },
  REGISTRY_AUTH_FAILED: { exit: REGISTRY, meaning: 'the registry refused the credentials' },
  REGISTRY_REJECTED: { exit: REGISTRY, meaning: 'the registry refused a request it should accept' },
  REGISTRY_CREDENTIAL_HELPER_FAILED: {
    exit: USAGE,
    meaning:
      'the Docker credential helper the Docker config names (`credHelpers`, `credsStore`) is not in an absolute `PATH` directory, failed, took over 30 s (`INSTALLCTL_CREDENTIAL_HELPER_TIMEOUT`), printed over 64 KiB or no `{"Username","Secret"}` JSON',
  },
  REGISTRY_LOCATION_REFUSED: {
    exit: REGISTRY,
    meaning:
      'the registry sent an upload `Location` or redirect installctl does not follow: with `user:password@`, not http(s), https down to http, none where one is needed, or more than 5 redirects',
  },
  REGISTRY_REALM_REFUSED: {
    exit: REGISTRY,
    meaning: "the token service of the registry's Bearer challenge is not an http(s) URL, has `user:password@`, or would get the password over plain http",
  },
  REGISTRY_TOKEN_INVALID: { exit: REGISTRY, meaning: 'the token service answered something other than JSON with a usable `token`' },
  REGISTRY_RESPONSE_TOO_LARGE: { exit: REGISTRY, meaning: 'a registry answer installctl reads whole (error, token, manifest) is over 4 MiB; reading stopped there' },
  PUSH_INTERRUPTED: { exit: REGISTRY, meaning: 'the registry failed mid-push after retries; rerun the same command to resume' },
  PUSH_DIGEST_MISMATCH: { exit: MISMATCH, meaning: 'a manifest read back from the registry has another digest than the one pushed' },
  PUSH_TAG_CONFLICT: { exit: MISMATCH, meaning: 'with `--keep-existing-tags`: a tag the push would set already names another digest in the registry; nothing was sent' },
  INTERRUPTED: { exit: 130, meaning: '`bundle push` got Ctrl-C (SIGINT; 143 for SIGTERM): the journal is on disk; rerun the same command to resume' },

  // Relocation maps (render --relocate, bundle push)
  RELOCATION_MAP_INVALID: { exit: USAGE, meaning: '`render --relocate` got a file that is not a relocation map (not JSON, another shape, over 10,000 entries, nested deeper)' },
  RELOCATION_INCOMPLETE: { exit: USAGE, meaning: 'a relocation map lacking an image the release runs' },
  RELOCATION_MAP_TOO_LARGE: { exit: USAGE, meaning: 'a relocation map over 16 MiB, or an endless file such as `/dev/zero`' },
  RELOCATION_TARGET_INVALID: {
    exit: USAGE,
    meaning:
      "a map's target is no pinned reference by the reference grammar: lowercase host with a dot, port, `localhost` or `[IPv6]`, `@sha256:` digest, no tag, no whitespace or control character (`bundle push` too, before sending anything)",
  },
  RELOCATION_SOURCE_INVALID: { exit: USAGE, meaning: "a map's image source is no pinned reference by the reference grammar (`bundle push` too, before sending anything)" },
  RELOCATION_REGISTRY_INVALID: { exit: USAGE, meaning: "a map's `registry` is no registry by the reference grammar (`bundle push` too, before sending anything)" },
  RELOCATION_DIGEST_MISMATCH: { exit: USAGE, meaning: "a map's target pins another digest than its entry or its image's source: it would swap the image" },
  RELOCATION_OUTSIDE_REGISTRY: { exit: USAGE, meaning: "a target not under the map's `registry` (host:port, then prefix by whole path components)" },
  RELOCATION_PUBLIC_HOST: { exit: USAGE, meaning: 'a map or `bundle push --registry` on a public registry' },
  RELOCATION_DUPLICATE_SOURCE: { exit: USAGE, meaning: 'a map relocates one source to two different targets' },
  RELOCATION_REGISTRY_MISMATCH: {
    exit: USAGE,
    issue: 'warning',
    meaning:
      "`render --relocate` with a map on another registry than `spec.registry.mirror`: refused for an air-gapped spec unless `--allow-other-registry`, a warning otherwise; both name the spec's own weights references left on the mirror's host (`details.specReferences`)",
  },
  RELOCATION_PLATFORM_NARROWED: {
    exit: null,
    issue: 'warning',
    meaning: "`--allow-platform-narrowed` accepted a `--platform` bundle's map: images run by platform manifest digests that render cannot tie to the vendor's index",
  },

  // preflight
  PREFLIGHT_SPEC_INVALID: { exit: USAGE, meaning: '`preflight` or `support-bundle` got a spec with errors (`validate` lists them): nothing is checked against the cluster' },
  PREFLIGHT_EVIDENCE_INVALID: {
    exit: USAGE,
    meaning: '`preflight --from-evidence`: the file is not preflight evidence (not JSON, another kind, or not the schema schemas/preflight-evidence.schema.json)',
  },
  PREFLIGHT_EVIDENCE_MISMATCH: {
    exit: USAGE,
    meaning: '`preflight --from-evidence`: the evidence was collected for another install than the spec names, or with another `--namespace-prefix`',
  },
  PREFLIGHT_NAMESPACE_PREFIX_INVALID: {
    exit: USAGE,
    meaning: '`--namespace-prefix` + NAME-platform is not a DNS-1123 label (lowercase letters, digits, -; at most 63 characters)',
  },
  PREFLIGHT_FLAGS_CONFLICT: { exit: USAGE, meaning: '`preflight --from-evidence` with `--active` or `--evidence-out`: analysis of a file collects nothing' },

  // preflight: cluster access (cli/cluster: kubeconfig, the API server)
  KUBECONFIG_NOT_FOUND: {
    exit: INVALID,
    meaning: 'no kubeconfig: `--kubeconfig` not given, no file of `KUBECONFIG` exists and there is no `~/.kube/config` (preflight could not run)',
  },
  KUBECONFIG_INVALID: { exit: USAGE, meaning: 'a kubeconfig that is not YAML, has no usable context, or whose context names a missing cluster or user' },
  KUBECONFIG_CONTEXT_UNKNOWN: { exit: USAGE, meaning: '`--context` (or current-context) names no context of the kubeconfig (the message lists them)' },
  KUBECONFIG_INSECURE_REFUSED: {
    exit: USAGE,
    meaning: 'the cluster sets `insecure-skip-tls-verify: true`, or its server is plain `http://` off the loopback: refused unless `--insecure-skip-tls-verify`',
  },
  CLUSTER_UNREACHABLE: { exit: INVALID, meaning: 'the API server did not answer `/version` (connection refused, DNS, TLS, timeout, a redirect): preflight could not run' },
  CLUSTER_UNAUTHORIZED: { exit: INVALID, meaning: "the API server refused the kubeconfig's credentials (401, or the exec plugin failed): preflight could not run" },
  // support-bundle (issue 14, H-bundle)
  SUPPORT_BUNDLE_OUT_EXISTS: { exit: USAGE, meaning: '`support-bundle --out` names an existing file (pass `--force`), a directory, or a file without the .tar.gz extension' },
  SUPPORT_BUNDLE_RENDER_INVALID: { exit: USAGE, meaning: '`support-bundle --render DIR`: DIR holds no manifest.json of a render, or one over 16 MiB or not JSON' },
  SUPPORT_BUNDLE_INVALID: {
    exit: USAGE,
    meaning:
      '`support-bundle analyze` was given a file that is not a support bundle: not a gzipped tar, an entry outside support-bundle/ (`..`, absolute), a link or device, an entry or total over its cap, a file not matching index.json',
  },

  // upgrade plan and upgrade apply-spec (issue 15)
  UPGRADE_SPEC_INVALID: {
    exit: USAGE,
    meaning:
      '`upgrade plan` or `upgrade apply-spec` of a spec that is not valid at its own release (its issues in `details.issues`; `validate` lists them): nothing is planned or written',
  },
  UPGRADE_DOWNGRADE: {
    exit: INVALID,
    meaning: "`upgrade plan`/`apply-spec --to` a release older than the spec's: blocked (going back is the rollback of the RUNBOOK's Upgrade section)",
  },
  UPGRADE_SPEC_BLOCKED: {
    exit: INVALID,
    meaning:
      "`upgrade apply-spec`: the spec moved to the next release would not be valid there (a Kubernetes version outside the release's window, ...): nothing is written; `details.issues`",
  },
  UPGRADE_KUBERNETES_WINDOW: {
    exit: INVALID,
    meaning: "`upgrade plan` is blocked: the spec's Kubernetes version is outside a hop's supported window (below it: upgrade Kubernetes first)",
  },
  UPGRADE_STATEFUL_LOSS: {
    exit: INVALID,
    meaning:
      '`upgrade plan` is blocked: Pulumi would replace or delete a stateful resource (database, cache, bucket, cluster, node pool with local data) that the release does not declare',
  },

  // Any command
  INIT_INVALID_NAME: { exit: USAGE, meaning: 'a bad `init --name`' },
  INIT_INVALID_CUSTOMER: { exit: USAGE, meaning: 'an `init --customer` the spec would refuse (empty, padded, over 100 characters, a control character, a credential)' },
  USAGE: {
    exit: USAGE,
    meaning: 'a bad flag or argument, `INSTALLCTL_REGISTRY_PASSWORD`/`INSTALLCTL_SOURCE_PASSWORD` set without `--username`, a bad `INSTALLCTL_CREDENTIAL_HELPER_TIMEOUT`',
  },
  BUG: { exit: 70, meaning: 'an internal error' },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** The codes that can stop a command: the only codes a UserError may carry. */
export type StoppingCode = { [Code in ErrorCode]: (typeof ERROR_CATALOGUE)[Code]['exit'] extends number ? Code : never }[ErrorCode];

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOGUE, code);
}

/** The exit code of a command that `code` stops. */
export function exitCodeOf(code: StoppingCode): number {
  return ERROR_CATALOGUE[code].exit;
}

/** README's "Error codes" table (npm run readme writes it between its markers; a test compares). */
export function formatErrorTable(): string {
  const rows = (Object.entries(ERROR_CATALOGUE) as Array<[ErrorCode, CatalogueEntry]>).map(
    ([code, entry]) => `| \`${code}\` | ${entry.exit ?? ''} | ${entry.issue ?? ''} | ${entry.meaning} |`,
  );
  return ['| code | exit | spec issue | meaning |', '|---|---|---|---|', ...rows].join('\n') + '\n';
}
