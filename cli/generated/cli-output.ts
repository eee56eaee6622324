// DO NOT EDIT. Generated from schemas/cli-output.schema.json by scripts/generate.mjs (npm run generate).

/**
 * installctl validate --json: one file gives a fileValidation; several give {valid, files}.
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "validate".
 */
export type Validate =
  | FileValidation
  | {
      valid: boolean;
      /**
       * @minItems 2
       */
      files: FileValidation[];
    };
/**
 * installctl matrix --json
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "matrix".
 */
export type Matrix = Cell[];
/**
 * every rendered file, sorted by path
 */
export type Files = {
  path: string;
  sha256: string;
  bytes: number;
}[];
/**
 * the artifacts a bundle blob belongs to (empty for a blob nothing lists)
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "blobOwners".
 */
export type BlobOwners = {
  kind: "image" | "chart" | "render" | "plugins" | "weights" | "bundle";
  /**
   * an image's source reference, a chart's name:version, a model, an artifact name, or root index / bundle record / bundle manifest
   */
  name: string;
  /**
   * the file a layer carries (its org.opencontainers.image.title): a weight file, a plugin archive
   */
  file: string | null;
}[];

/**
 * The --json output of every installctl command. Each command's shape is a $defs entry; tests validate real output against them. Additive changes only within apiVersion v1alpha1.
 */
export interface CliOutput {
  [k: string]: unknown | undefined;
}
/**
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "issue".
 */
export interface Issue {
  severity: "error" | "warning";
  code: string;
  /**
   * JSON path into the spec, '' for the whole document
   */
  path: string;
  line: number | null;
  column: number | null;
  message: string;
  hint: string | null;
}
/**
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "fileValidation".
 */
export interface FileValidation {
  file: string;
  valid: boolean;
  cell: null | {
    id: string;
    status: "supported" | "conditional" | "unsupported";
  };
  errors: number;
  warnings: number;
  issues: Issue[];
}
/**
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "cell".
 */
export interface Cell {
  id: string;
  platform: string;
  scm: string;
  models: string;
  network: string;
  status: "supported" | "conditional" | "unsupported";
  reasons: {
    code: string;
    message: string;
  }[];
  requires: {
    id: string;
    code: string;
    message: string;
  }[];
  acknowledgement: string | null;
}
/**
 * installctl matrix explain ID --json
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "matrixExplain".
 */
export interface MatrixExplain {
  cell: Cell;
  alternatives: {
    id: string;
    status: "supported";
    /**
     * @minItems 1
     */
    changed: {
      dimension: "platform" | "scm" | "models" | "network";
      from: string;
      to: string;
    }[];
  }[];
}
/**
 * installctl version --json (and --version --json): installctl, node, and the charts, schemas and matrix data built into this installctl; sha256 is of the data's compact JSON.
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "version".
 */
export interface Version {
  installctl: string;
  node: string;
  platform: string;
  charts: {
    name: string;
    version: string;
    appVersion: string;
  }[];
  schemas: {
    file: string;
    id: string;
    sha256: string;
  }[];
  matrix: {
    file: string;
    apiVersion: string;
    sha256: string;
    cells: number;
  };
  gpuPresets: {
    file: string;
    apiVersion: string;
    sha256: string;
  };
}
/**
 * installctl help [COMMAND] --json: the commands the subject covers (every command when there is none), with their flags and arguments.
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "help".
 */
export interface Help {
  subject: string | null;
  commands: {
    id: string;
    summary: string;
    flags: {
      name: string;
      char: string | null;
      description: string;
      takesValue: boolean;
      options: string[];
      required: boolean;
      multiple: boolean;
    }[];
    args: {
      name: string;
      description: string;
      options: string[];
      required: boolean;
    }[];
  }[];
}
/**
 * installctl completion SHELL --json: the script the text output prints.
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "completion".
 */
export interface Completion {
  shell: "bash" | "zsh" | "fish";
  script: string;
}
/**
 * installctl init --json
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "init".
 */
export interface Init {
  cell: Cell;
  file: string | null;
  spec: string;
  warnings: Issue[];
}
/**
 * installctl render --json
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "render".
 */
export interface Render {
  valid: boolean;
  issues: Issue[];
  /**
   * null when the spec is invalid and nothing was rendered
   */
  outDir: string | null;
  cell: null | {
    id: string;
    status: "supported" | "conditional" | "unsupported";
  };
  files: Files;
  /**
   * entries of the earlier render's directory that are not rendered files (operator state), carried over
   */
  kept: string[];
  /**
   * leftovers of renders of DIR killed mid-write, handled before rendering
   */
  recovery: {
    /**
     * the leftover DIR was missing and restored from
     */
    restored: string | null;
    /**
     * leftovers removed (their content is in DIR)
     */
    removed: string[];
    /**
     * leftovers left in place: they may hold operator files DIR lacks, or could not be removed
     */
    remaining: string[];
  };
}
/**
 * installctl render --dry-run --json: the render in memory, nothing written
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "renderDryRun".
 */
export interface RenderDryRun {
  valid: boolean;
  issues: Issue[];
  /**
   * null when the spec is invalid
   */
  outDir: string | null;
  cell: null | {
    id: string;
    status: "supported" | "conditional" | "unsupported";
  };
  dryRun: true;
  files: Files;
  /**
   * entries of the earlier render's directory a render would carry over (operator state)
   */
  kept: string[];
}
/**
 * installctl render --diff --json: what a render would change in --out, nothing written (exit 0 no change, 1 changes, 2 trouble)
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "renderDiff".
 */
export interface RenderDiff {
  valid: boolean;
  issues: Issue[];
  /**
   * null when the spec is invalid
   */
  outDir: string | null;
  cell: null | {
    id: string;
    status: "supported" | "conditional" | "unsupported";
  };
  /**
   * a render would change at least one file
   */
  changed: boolean;
  /**
   * the files a render would add, modify or remove, sorted by path
   */
  files: {
    path: string;
    change: "added" | "modified" | "removed";
    /**
     * unified diff (a/PATH, b/PATH, /dev/null), secret-bearing values shown as [redacted]
     */
    diff: string;
  }[];
  /**
   * rendered files identical to --out
   */
  unchanged: number;
}
/**
 * Any command's failure with --json (user errors exit 1 or 2, bugs 70).
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "error".
 */
export interface ErrorOutput {
  error: {
    code: string;
    message: string;
    hint: string | null;
    details?: {};
  };
}
/**
 * installctl bundle keygen --json
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "bundleKeygen".
 */
export interface BundleKeygen {
  privateKey: string;
  publicKey: string;
  keyId: string;
}
/**
 * bundle create's size report (printed before the bundle is written)
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "bundleSizeReport".
 */
export interface BundleSizeReport {
  images: number;
  blobs: number;
  /**
   * bytes counted per reference (what copying each item separately moves)
   */
  totalBytes: number;
  /**
   * bytes after deduplication (what the bundle holds)
   */
  uniqueBytes: number;
  /**
   * unique bytes per kind of content
   */
  byKind: {
    images: number;
    charts: number;
    render: number;
    plugins: number;
    weights: number;
  };
}
/**
 * installctl bundle create --json
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "bundleCreate".
 */
export interface BundleCreate {
  valid: boolean;
  issues: Issue[];
  exitCode: number;
  bundle: string | null;
  signature: string | null;
  rootDigest: string | null;
  report: BundleSizeReport | null;
}
/**
 * installctl bundle verify --json (exit 0 ok, 3 bad signature, 4 missing/extra/corrupted blobs)
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "bundleVerify".
 */
export interface BundleVerify {
  ok: boolean;
  exitCode: 0 | 3 | 4;
  rootDigest: string | null;
  /**
   * valid or invalid: checked with --key; skipped: --allow-unsigned
   */
  signature: "valid" | "invalid" | "skipped (--allow-unsigned)";
  signatureProblem: string | null;
  /**
   * blob counts
   */
  blobs: {
    expected: number;
    checked: number;
    bytes: number;
  };
  /**
   * Items: a blob the manifest lists that the bundle lacks
   */
  missing: {
    digest: string;
    size: number;
    mediaType: string;
    artifacts: BlobOwners;
  }[];
  /**
   * tar paths the manifest does not list
   */
  extra: string[];
  /**
   * Items: a blob whose bytes do not match its name or size
   */
  corrupted: {
    digest: string;
    problem: string;
    artifacts: BlobOwners;
  }[];
}
/**
 * installctl bundle push --json
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "bundlePush".
 */
export interface BundlePush {
  /**
   * true for --dry-run: the plan only, nothing sent or written
   */
  dryRun: boolean;
  registry: string;
  rootDigest: string;
  /**
   * valid: checked with --key; skipped: --allow-unsigned, nothing proves who made the bundle
   */
  signature: "valid" | "skipped (--allow-unsigned)";
  /**
   * where the registry credentials came from: stdin (--password-stdin), env (INSTALLCTL_REGISTRY_PASSWORD), docker-config:PATH (its auths), credential-helper:NAME (docker-credential-NAME), or none
   */
  credentials: string;
  /**
   * what the registry said to GET /v2/
   */
  probe: {
    apiVersion: string | null;
    auth: "none" | "basic" | "bearer";
    tls: boolean;
  };
  /**
   * the plan printed before sending
   */
  plan: {
    items: number;
    /**
     * (repository, blob) pairs
     */
    blobs: {
      total: number;
      unique: number;
      present: number;
      toMount: number;
      toSend: number;
    };
    /**
     * bytes
     */
    bytes: {
      total: number;
      present: number;
      toSend: number;
    };
    manifests: number;
    /**
     * the tags the push sets (one per item), read with HEAD before anything is sent
     */
    tags: {
      total: number;
      present: number;
      toSet: number;
      /**
       * Items: a tag that named another digest and is moved to the bundle's
       */
      moved: {
        repository: string;
        tag: string;
        from: string;
        to: string;
      }[];
    };
  };
  /**
   * Items: a blob uploaded by this run
   */
  sent: {
    digest: string;
    repository: string;
    size: number;
    bytesSent: number;
    resumedFrom: number | null;
  }[];
  mounted: number;
  bytesSent: number;
  /**
   * manifests put, and read back with matching digests
   */
  manifests: {
    put: number;
    verified: number;
  };
  /**
   * FILE.<registry>.receipt.json written; null on --dry-run
   */
  receipt: string | null;
  /**
   * FILE.<registry>.relocation.json written; null on --dry-run
   */
  relocation: string | null;
  durationMs: number;
}
/**
 * installctl conformance --json and conformance merge --json: the report, as conformance.json holds it
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "conformance".
 */
export interface ConformanceReport {
  apiVersion: "installctl.dev/v1alpha1";
  kind: "ConformanceReport";
  /**
   * the installctl version that ran
   */
  installctl: string;
  options: {
    /**
     * @minItems 1
     */
    helm: ("3" | "4")[];
    shard: null | {
      index: number;
      count: number;
    };
    only: string[];
    /**
     * the git ref of --affected
     */
    affected: string | null;
    /**
     * the upgrade stage ran (false with --no-upgrade-edges)
     */
    upgradeEdges: boolean;
  };
  /**
   * every cell behaved as the support matrix says
   */
  ok: boolean;
  summary: {
    cells: number;
    passed: number;
    failed: number;
    supported: number;
    conditional: number;
    unsupported: number;
  };
  /**
   * what the run ran on and when; merged reports: the earliest start and the longest shard
   */
  run: {
    /**
     * git rev-parse HEAD (full) of the installctl checkout; null outside one
     */
    commit: string | null;
    /**
     * tracked files differed from the commit (git diff HEAD); null when commit is null
     */
    dirty: boolean | null;
    /**
     * UTC start time (ISO 8601)
     */
    startedAt: string;
    /**
     * wall time of the run
     */
    durationMs: number;
  };
  /**
   * with --affected: which changed files matched which rule and selected which cells (before --only and --shard); null without
   */
  affected: null | {
    rules: {
      /**
       * chart:<name>, stack:<platform>, cloud:<platform> or shared (every cell)
       */
      rule: string;
      files: string[];
      cells: string[];
    }[];
    /**
     * per reason, how many changed files select no cell and the first few of them (never every path: an untracked directory may hold thousands)
     */
    ignored: {
      reason: "docs-or-tests" | "untracked-outside-sources" | "chart-readme";
      count: number;
      /**
       * the first files (by path)
       *
       * @maxItems 3
       */
      examples: string[];
    }[];
  };
  cells: ConformanceCell[];
}
/**
 * This interface was referenced by `ConformanceReport`'s JSON-Schema
 * via the `definition` "cell".
 */
export interface ConformanceCell {
  id: string;
  platform: string;
  scm: string;
  models: string;
  network: string;
  /**
   * what the support matrix says
   */
  status: "supported" | "conditional" | "unsupported";
  /**
   * pass: rejected with its reason codes (unsupported) or every stage passed
   */
  result: "pass" | "fail";
  reasons: string[];
  durationMs: number;
  /**
   * @minItems 1
   */
  stages: ConformanceStage[];
  /**
   * the cell's upgrade edges, oldest first: one per pair of consecutive catalogued releases (empty for unsupported cells and with --no-upgrade-edges)
   */
  upgrades: ConformanceUpgradeEdge[];
}
/**
 * This interface was referenced by `ConformanceReport`'s JSON-Schema
 * via the `definition` "stage".
 */
export interface ConformanceStage {
  /**
   * init, validate-rejects (unsupported), validate, render, synthesis, helm3-lint, helm3-template, helm4-lint, helm4-template, kube-schema, manifest-policies, upgrade (every upgrade edge of the cell, first Helm version only; fails when one does)
   */
  name: string;
  status: "pass" | "fail" | "skip";
  durationMs: number;
  message: string | null;
  /**
   * present when this passing result was read from the --cache-dir result cache instead of running (durationMs is then 0)
   */
  cached?: true;
}
/**
 * the cell rendered at catalogued release `from` and at the next, `to`: the upgrade between the two renders (pulumi up, helm upgrade) checked
 *
 * This interface was referenced by `ConformanceReport`'s JSON-Schema
 * via the `definition` "upgradeEdge".
 */
export interface ConformanceUpgradeEdge {
  from: string;
  to: string;
  status: "pass" | "fail" | "skip";
  durationMs: number;
  /**
   * why it failed (its first violations, or the step that broke) or was skipped; null when it passed
   */
  message: string | null;
  /**
   * present when this passing result was read from the --cache-dir result cache instead of running (durationMs is then 0)
   */
  cached?: true;
  violations: {
    policy: "upgrade-immutable" | "upgrade-stateful-replacement" | "upgrade-unmigrated-value";
    /**
     * the chart and object, the Pulumi resource (type::name) or the chart and value path
     */
    resource: string | null;
    message: string;
  }[];
}
/**
 * one check's verdict on one subject (preflight, support-bundle analyze); ids in README "Preflight checks"
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "checkResult".
 */
export interface CheckResult {
  /**
   * stable check id (cli/preflight/check-catalogue.ts)
   */
  id: string;
  /**
   * error: a collector the check needs was forbidden or failed, so the check could not run
   */
  outcome: "pass" | "warn" | "fail" | "error";
  /**
   * what was found
   */
  message: string;
  /**
   * what to do (empty on pass)
   */
  remedy: string;
  /**
   * README anchor explaining the check
   */
  doc: string;
  /**
   * the node, class, Secret... the verdict is about; null for the cluster
   */
  subject: string | null;
}
/**
 * how many checks had each outcome
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "preflightSummary".
 */
export interface PreflightSummary {
  pass: number;
  warn: number;
  fail: number;
  error: number;
}
/**
 * installctl preflight --json (exit 0 all pass, 1 a check could not run, 3 a check failed, 4 warnings only; usage errors and an invalid spec exit 2 with an error object)
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "preflight".
 */
export interface Preflight {
  exitCode: 0 | 1 | 3 | 4;
  install: {
    name: string;
    cell: string;
  };
  /**
   * cluster: collected now; evidence: read from --from-evidence
   */
  source: "cluster" | "evidence";
  /**
   * the file --evidence-out wrote or --from-evidence read
   */
  evidenceFile: string | null;
  cluster: {
    context: string | null;
    /**
     * the API server's origin
     */
    server: string;
    /**
     * gitVersion, e.g. v1.35.2-eks-3025e55
     */
    version: string | null;
    /**
     * eks, aks, gke, openshift, rke2, k3s or vanilla
     */
    distribution: string | null;
  };
  /**
   * why the verdict may not be about this spec (evidence of another revision of it)
   */
  notes: string[];
  summary: PreflightSummary;
  /**
   * by catalogue order, then subject
   */
  checks: CheckResult[];
}
/**
 * installctl support-bundle --json (exit 0 written, 1 written but nothing could be read from the cluster; 2 usage, invalid spec, --out exists)
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "supportBundle".
 */
export interface SupportBundle {
  /**
   * the .tar.gz written
   */
  out: string;
  bytes: number;
  sha256: string;
  /**
   * when collection started (UTC, ISO 8601)
   */
  collectedAt: string;
  install: {
    name: string;
    cell: string;
  };
  /**
   * the install's namespaces collected
   */
  namespaces: string[];
  /**
   * files in the bundle, index.json included
   */
  files: number;
  /**
   * bundle paths cut to a cap (index.json says which)
   */
  truncated: string[];
  /**
   * bundle paths left out to stay within the total cap
   */
  omitted: string[];
  redactions: {
    total: number;
    byRule: {
      [k: string]: number | undefined;
    };
  };
  /**
   * collectors that did not succeed, per namespace (the bundle's collectors.json has the messages)
   */
  problems: {
    namespace: string;
    collector: string;
    status: "forbidden" | "not-found" | "failed" | "skipped";
    httpStatus: number | null;
  }[];
  exitCode: 0 | 1;
}
/**
 * installctl support-bundle analyze --json (exit 0 all pass, 1 a check could not run, 3 a fail, 4 warnings only; 2 not a readable bundle)
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "supportBundleAnalyze".
 */
export interface SupportBundleAnalyze {
  file: string;
  /**
   * when the bundle was collected: the analysis is as of then
   */
  collectedAt: string;
  install: {
    name: string;
    cell: string;
  };
  /**
   * preflight checks over the bundled evidence, then the bundle's failure patterns
   */
  results: CheckResult[];
  summary: PreflightSummary;
  /**
   * what could not be analyzed (a bundle without valid evidence or spec)
   */
  notes: string[];
  exitCode: 0 | 1 | 3 | 4;
}
/**
 * installctl status --json: whether a render directory still matches its spec, its own files and this installctl, and which release it holds. inSync is false (exit 1) when the spec changed, a file changed or went missing, another installctl version rendered it, or the manifest's release disagrees with the rendered values (release.mismatch).
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "status".
 */
export interface Status {
  /**
   * the render directory, as given
   */
  dir: string;
  /**
   * false when anything drifted; a spec not found is not drift (spec.state says it was not compared)
   */
  inSync: boolean;
  /**
   * metadata.name of the rendered spec, from manifest.json
   */
  install: string;
  /**
   * the support-matrix cell at render time, from manifest.json
   */
  cell: {
    id: string;
    status: string;
  };
  spec: {
    /**
     * the spec's file name manifest.json records (a base name only)
     */
    file: string;
    /**
     * SHA-256 of the spec text rendered
     */
    recordedSha256: string;
    state: "unchanged" | "changed" | "not-found";
    /**
     * the spec file compared; null when none was found
     */
    compared: string | null;
    /**
     * --spec, the manifest's file name in the current directory, or beside DIR (DIR/..)
     */
    foundBy: "flag" | "current-directory" | "beside-dir" | null;
    /**
     * SHA-256 of the compared spec's text; null when not found or not a spec render could read (over 1 MiB, not UTF-8)
     */
    sha256: string | null;
    /**
     * the paths looked at, in order
     */
    searched: string[];
  };
  files: {
    total: number;
    unchanged: number;
    /**
     * changed, missing, not-a-file and unreadable files
     */
    drifted: number;
    /**
     * every file manifest.json lists, sorted by path
     */
    entries: {
      path: string;
      /**
       * changed-by-pulumi: a Pulumi stack file Pulumi writes secrets and its encryption salt into (expected, not drift); not-a-file: a directory, symbolic link (never followed), device or FIFO in its place
       */
      state: "unchanged" | "changed" | "missing" | "changed-by-pulumi" | "not-a-file" | "unreadable";
    }[];
  };
  installctl: {
    /**
     * the installctl version that rendered DIR
     */
    rendered: string;
    /**
     * this installctl's version
     */
    running: string;
    /**
     * the rendering installctl compared with this one
     */
    state: "same" | "older" | "newer";
  };
  release: {
    /**
     * the platform release rendered, or unknown
     */
    version: string;
    /**
     * manifest.json's release; for renders by an installctl that did not record it, helm/agent-platform.values.yaml's install.release
     */
    source: "manifest" | "values" | "unknown";
    /**
     * the release's status in this installctl's catalog; null when the version is unknown
     */
    status: "current" | "supported" | "preview" | "not-catalogued" | null;
    /**
     * catalogued releases newer than the rendered one, oldest first
     */
    newer: {
      version: string;
      status: "current" | "supported" | "preview";
      date: string;
    }[];
    /**
     * the release to plan an upgrade to: the current release when it is newer, else the newest preview; null when none or the rendered release is not catalogued
     */
    upgradeTo: string | null;
    /**
     * manifest.json's release disagrees with the agent-platform values layer's install.release (a file whose SHA-256 the manifest records): the manifest was edited or is inconsistent, which is drift; version is then the values layer's. Null when they agree or the manifest records no release
     */
    mismatch: null | {
      /**
       * manifest.json's release
       */
      manifest: string;
      /**
       * helm/agent-platform.values.yaml's install.release; null when it names none (missing, unreadable, not YAML)
       */
      values: string | null;
    };
  };
  /**
   * what to run next, in order: each a shell line and why
   */
  next: {
    command: string;
    why: string;
  }[];
}
/**
 * installctl upgrade apply-spec --json
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "upgradeApplySpec".
 */
export interface UpgradeApplySpec {
  /**
   * the spec read
   */
  file: string;
  /**
   * the spec's release before this run
   */
  from: string;
  /**
   * the release the spec is moved to by this run: the first required stop on the way to target, or target; from when the spec is already there
   */
  to: string;
  /**
   * --to: the release the upgrade ends at
   */
  target: string;
  /**
   * why to is a required stop on the way to target (the release that requires it and its reason); null when to is target
   */
  stopReason: string | null;
  /**
   * the hops still to run after this one, in order: run apply-spec again (next) after upgrading the install to to
   */
  remainingHops: {
    from: string;
    to: string;
    stopReason: string | null;
  }[];
  /**
   * spec fields moved to their new names, in the order moved (JSON paths such as spec.ingress.exposure)
   */
  renamed: {
    from: string;
    to: string;
  }[];
  /**
   * what validate reports about the moved spec at to: warnings only (an error blocks the upgrade, exit 1)
   */
  issues: Issue[];
  /**
   * the file written (SPEC in place, or --out); null with --dry-run or when nothing changes
   */
  written: string | null;
  dryRun: boolean;
  /**
   * unified diff of the spec's text before and after; empty when nothing changes
   */
  diff: string;
  /**
   * the apply-spec command for the next hop, once the install runs to; null when to is target
   */
  next: string | null;
}
/**
 * why an upgrade plan is blocked (exit 1), with what to do
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "upgradeBlocker".
 */
export interface UpgradeBlocker {
  code: "UPGRADE_DOWNGRADE" | "UPGRADE_KUBERNETES_WINDOW" | "UPGRADE_STATEFUL_LOSS";
  /**
   * the hop it blocks (FROM -> TO), or null for the whole plan
   */
  hop: string | null;
  message: string;
  hint: string;
}
/**
 * one step of a hop, the same steps the RUNBOOK's Upgrade section prints
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "upgradeStep".
 */
export interface UpgradeStep {
  id: "spec" | "pre-checks" | "backup" | "infrastructure" | "charts" | "migrations" | "verify" | "rollback";
  title: string;
  notes: string[];
  /**
   * shell lines, in order, run from the directory the spec is in (render files under DIR)
   */
  commands: string[];
}
/**
 * one hop of an upgrade plan: FROM -> TO, the next required stop or the target
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "upgradeHop".
 */
export interface UpgradeHop {
  from: string;
  to: string;
  /**
   * why TO is a required stop, or null for the target
   */
  stopReason: string | null;
  kubernetes: {
    spec: string;
    min: string;
    max: string;
    inWindow: boolean;
  };
  images: {
    chart: "agent-platform" | "model-server";
    key: string;
    from: string | null;
    to: string | null;
  }[];
  /**
   * the customer values layer (images left out: see images), after the hop's renamed keys moved
   */
  values: {
    chart: "agent-platform" | "model-server";
    change: "added" | "removed" | "changed" | "moved";
    path: string;
    movedFrom: string | null;
  }[];
  renamedValues: {
    chart: "agent-platform" | "model-server";
    from: string;
    to: string;
    reason: string | null;
    inLayer: boolean;
  }[];
  /**
   * spec fields the hop renames (upgrade apply-spec moves them); set: the spec sets the old name
   */
  specRenames: {
    release: string;
    from: string;
    to: string;
    reason: string;
    set: boolean;
  }[];
  pulumi: {
    create: number;
    update: number;
    replace: number;
    delete: number;
    changes: {
      action: "create" | "update" | "replace" | "delete";
      type: string;
      name: string;
      /**
       * changed input paths; for a replace, the ones that force it first
       */
      properties: string[];
      replaceBecause: string[];
      stateful: "database" | "cache" | "bucket" | "cluster" | "node-pool" | "registry" | "key" | "file-system" | null;
      /**
       * the release that declares this replacement or deletion of a stateful resource, or null
       */
      declared: null | {
        release: string;
        reason: string;
        dataLoss: string;
      };
    }[];
  };
  migrations: {
    release: string;
    id: string;
    kind: "blocking" | "background";
    reversible: boolean;
    description: string;
  }[];
  /**
   * background migrations that must finish before the next hop (or the next upgrade)
   */
  backgroundGate: string[];
  backups: {
    what: "database" | "pulumi-state" | "helm-values";
    required: boolean;
    why: string;
  }[];
  steps: UpgradeStep[];
}
/**
 * installctl upgrade plan SPEC --to VERSION --json
 *
 * This interface was referenced by `CliOutput`'s JSON-Schema
 * via the `definition` "upgradePlan".
 */
export interface UpgradePlan {
  spec: string;
  install: string;
  cell: string;
  from: string;
  to: string;
  blocked: boolean;
  blockers: UpgradeBlocker[];
  hops: UpgradeHop[];
  exitCode: 0 | 1;
}
