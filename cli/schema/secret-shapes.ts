/**
 * Shapes of credentials, found anywhere inside a string (a value, a key or free text): not only a
 * whole value that is a token, but "Acme ghp_...", "pat=github_pat_...", a token in a URL path or
 * query, a user:password@ address. Each detector names its source (mostly gitleaks' default rules,
 * config/gitleaks.toml, by rule id) so the README table can say where a shape comes from; the
 * README table is checked against SECRET_DETECTORS by test/readme.test.ts.
 *
 * False positives matter as much as misses: a spec is full of ids, digests, ARNs and UUIDs. So
 * shapes are anchored on their fixed prefixes, bounded by non-alphanumerics (a prefix inside a
 * longer word does not count, '_', '-', '/', '=' and spaces do separate), and the few generic
 * shapes also need a character mix and an entropy a random secret has and an identifier does not.
 */

export interface SecretContext {
  /** The keys from the document root down to this string (indexes left out). */
  keys?: readonly string[];
  /** A string beside this one (same mapping or list) holds an AWS access key id. */
  besideAccessKeyId?: boolean;
}

export interface SecretDetector {
  /** Stable name, shown in messages and the README. */
  id: string;
  /** What it looks for, for people. */
  shape: string;
  /** Where the shape comes from (gitleaks rule ids, vendor documentation). */
  source: string;
  /** Global and unanchored: it is run over the whole string. */
  pattern: RegExp;
  /** A further test of one match (character mix, entropy, surrounding keys). */
  accept?: (match: RegExpExecArray, text: string, context: SecretContext) => boolean;
}

/** Not preceded by a letter or digit: "ghp_" in "xghp_" is not a token; "pat=ghp_", "/ghp_", "a_ghp_" are. */
const START = '(?<![A-Za-z0-9])';
/** Not followed by a letter or digit, for fixed-length shapes. */
const END = '(?![A-Za-z0-9])';

/** Shannon entropy in bits per character. */
export function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

const TOKEN_CHARACTER = /[A-Za-z0-9_-]/;
const ALPHANUMERIC = /[A-Za-z0-9]/;
const mixedCase = (text: string): boolean => /[a-z]/.test(text) && /[A-Z]/.test(text);
const hasDigit = (text: string): boolean => /[0-9]/.test(text);
/** Random: upper and lower case, a digit, and the entropy of a generated key (an identifier has less). */
const looksRandom = (text: string, bits: number): boolean => mixedCase(text) && hasDigit(text) && entropy(text) >= bits;

export const AWS_ACCESS_KEY_ID = new RegExp(`${START}(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}${END}`, 'g');
const ACCESS_KEY_ID_ANYWHERE = new RegExp(AWS_ACCESS_KEY_ID.source);
const AWS_CONTEXT = /aws|amazon|secret[_.-]?access|access[_.-]?key/i;

export const SECRET_DETECTORS: readonly SecretDetector[] = [
  {
    id: 'github-token',
    shape: '`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` and 30+ letters or digits',
    source: 'gitleaks `github-pat`, `github-oauth`, `github-app-token`, `github-refresh-token`',
    pattern: new RegExp(`${START}gh[pousr]_[A-Za-z0-9]{30,}`, 'g'),
  },
  {
    id: 'github-fine-grained-pat',
    shape: '`github_pat_` and 22+ word characters',
    source: 'gitleaks `github-fine-grained-pat`',
    pattern: new RegExp(`${START}github_pat_[A-Za-z0-9_]{22,}`, 'g'),
  },
  {
    id: 'gitlab-token',
    shape: '`glpat-`, `gldt-`, `glrt-`, `glptt-`, `glcbt-`, `glft-`, `glimt-`, `glagent-`, `gloas-`, `glsoat-`, `glffct-` and 20+ characters',
    source:
      'gitleaks `gitlab-pat`, `gitlab-pat-routable`, `gitlab-deploy-token`, `gitlab-runner-authentication-token`, `gitlab-ptt`, `gitlab-cicd-job-token`, `gitlab-feed-token`, `gitlab-incoming-mail-token`, `gitlab-kubernetes-agent-token`, `gitlab-oauth-app-secret`, `gitlab-scim-token`, `gitlab-feature-flag-client-token`',
    pattern: new RegExp(`${START}gl(?:pat|dt|rt|ptt|cbt|ft|imt|agent|oas|soat|ffct)-[A-Za-z0-9_-]{20,}`, 'g'),
  },
  {
    id: 'atlassian-api-token',
    shape: '`ATATT3` and 180+ characters (Atlassian and Bitbucket API tokens)',
    source: 'gitleaks `atlassian-api-token`',
    pattern: new RegExp(`${START}ATATT3[A-Za-z0-9_=-]{180,}`, 'g'),
  },
  {
    id: 'anthropic-api-key',
    shape: '`sk-ant-` and a key version such as `api03-`, then 20+ characters',
    source: 'gitleaks `anthropic-api-key`, `anthropic-admin-api-key`',
    pattern: new RegExp(`${START}sk-ant-[a-z]+\\d\\d-[A-Za-z0-9_-]{20,}`, 'g'),
  },
  {
    id: 'openai-api-key',
    shape: '`sk-`, optionally `proj-`, `svcacct-` or `admin-`, then 20+ characters of mixed case and digits',
    source: 'gitleaks `openai-api-key`',
    pattern: new RegExp(`${START}sk-(?:proj-|svcacct-|admin-)?([A-Za-z0-9_-]{20,})`, 'g'),
    accept: (match) => mixedCase(match[1]!) && hasDigit(match[1]!),
  },
  {
    id: 'aws-access-key-id',
    shape: '`AKIA`, `ASIA`, `ABIA`, `ACCA` (or `A3T` and one more) and 16 upper-case letters or digits 2-7',
    source: 'gitleaks `aws-access-token`',
    pattern: AWS_ACCESS_KEY_ID,
  },
  {
    id: 'aws-secret-access-key',
    shape: '40 base64 characters (mixed case, digits, high entropy) next to an AWS access key id, under an AWS-named key, or after "aws"/"secret" in the same text',
    source: 'trufflehog `aws` detector (id and secret side by side); gitleaks `generic-api-key` (entropy)',
    // A '/' may bound it (a URL path segment), though base64 holds '/' too: the context decides.
    pattern: /(?<![A-Za-z0-9+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9+=])/g,
    accept: (match, text, context) => {
      if (!looksRandom(match[0], 4.2)) return false;
      if (context.besideAccessKeyId || (context.keys ?? []).some((key) => AWS_CONTEXT.test(key))) return true;
      return holdsAccessKeyId(text) || /aws|secret/i.test(text.slice(Math.max(0, match.index - 40), match.index));
    },
  },
  { id: 'google-api-key', shape: '`AIza` and 35 characters', source: 'gitleaks `gcp-api-key`', pattern: new RegExp(`${START}AIza[A-Za-z0-9_-]{35}${END}`, 'g') },
  {
    id: 'huggingface-token',
    shape: '`hf_` and 30+ letters or digits of mixed case; `api_org_` and 34 letters',
    source: 'gitleaks `huggingface-access-token`, `huggingface-organization-api-token`',
    pattern: new RegExp(`${START}(?:hf_([A-Za-z0-9]{30,})|api_org_[A-Za-z]{34}${END})`, 'g'),
    accept: (match) => match[1] === undefined || mixedCase(match[1]),
  },
  {
    id: 'slack-token',
    shape: '`xoxb-`, `xoxp-`, `xoxa-`, `xoxr-`, `xoxs-`, `xoxo-`, `xoxe-`, `xapp-` and 10+ characters',
    source: 'gitleaks `slack-bot-token`, `slack-user-token`, `slack-app-token`, `slack-legacy-*`, `slack-config-*`',
    pattern: new RegExp(`${START}(?:xox[abeoprs]|xapp)-[A-Za-z0-9-]{10,}`, 'g'),
  },
  {
    id: 'slack-webhook-url',
    shape: '`hooks.slack.com/services/` (or `workflows/`, `triggers/`) and the secret path',
    source: 'gitleaks `slack-webhook-url`',
    pattern: /hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/]{20,}/gi,
  },
  {
    id: 'microsoft-teams-webhook',
    shape: '`*.webhook.office.com/webhookb2/` and the secret path',
    source: 'gitleaks `microsoft-teams-webhook`',
    pattern: /\.webhook\.office\.com\/webhookb2\/[A-Za-z0-9@/-]{40,}/gi,
  },
  { id: 'npm-token', shape: '`npm_` and 36 letters or digits', source: 'gitleaks `npm-access-token`', pattern: new RegExp(`${START}npm_[A-Za-z0-9]{36}${END}`, 'g') },
  { id: 'pypi-token', shape: '`pypi-AgEIcHlwaS5vcmc` and 50+ characters', source: 'gitleaks `pypi-upload-token`', pattern: /pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}/g },
  {
    id: 'docker-hub-token',
    shape: '`dckr_pat_` or `dckr_oat_` and 20+ characters',
    source: 'Docker Hub access token format (docs.docker.com, access tokens)',
    pattern: new RegExp(`${START}dckr_(?:pat|oat)_[A-Za-z0-9_-]{20,}`, 'g'),
  },
  {
    id: 'artifactory-token',
    shape: '`AKCp` and 69 letters or digits; `cmVmd` and 59 (reference token)',
    source: 'gitleaks `artifactory-api-key`, `artifactory-reference-token`',
    pattern: new RegExp(`${START}(?:AKCp[A-Za-z0-9]{69}|cmVmd[A-Za-z0-9]{59})${END}`, 'g'),
  },
  {
    id: 'vault-token',
    shape: '`hvs.` (90+ characters) or `hvb.` (138+) HashiCorp Vault tokens',
    source: 'gitleaks `vault-service-token`, `vault-batch-token`',
    pattern: new RegExp(`${START}(?:hvs\\.[A-Za-z0-9_-]{90,}|hvb\\.[A-Za-z0-9_-]{138,})`, 'g'),
  },
  {
    id: 'azure-ad-client-secret',
    shape: 'three characters, a digit, `Q~` and 31-34 characters',
    source: 'gitleaks `azure-ad-client-secret`',
    pattern: new RegExp(`${START}[A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])`, 'g'),
  },
  {
    id: 'stripe-key',
    shape: '`sk_`/`rk_` then `live_`, `test_` or `prod_` and 10+ letters or digits',
    source: 'gitleaks `stripe-access-token`',
    pattern: new RegExp(`${START}(?:sk|rk)_(?:test|live|prod)_[A-Za-z0-9]{10,}`, 'g'),
  },
  {
    id: 'jwt',
    shape: 'a JSON Web Token: `eyJ...` `.eyJ...` `.` signature',
    source: 'gitleaks `jwt`',
    // Anchored on the payload's ".ey" (segments between dots are disjoint, so the scan is linear);
    // the header before the dot is then checked by walking back over that one segment. A forward
    // pattern starting at every "ey" was quadratic on "ey-ey-ey-...".
    pattern: /\.ey[A-Za-z0-9_-]{17,}\.[A-Za-z0-9_-]*/g,
    accept: (match, text) => {
      let start = match.index;
      while (start > 0 && TOKEN_CHARACTER.test(text[start - 1]!)) start--;
      for (let at = start; at + 19 <= match.index; at++) {
        if (text.startsWith('ey', at) && (at === 0 || !ALPHANUMERIC.test(text[at - 1]!))) return true;
      }
      return false;
    },
  },
  {
    id: 'private-key',
    shape: 'a PEM `-----BEGIN ... PRIVATE KEY-----` block',
    source: 'gitleaks `private-key`',
    pattern: /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/g,
  },
  {
    id: 'url-credentials',
    shape: 'a `user:password@` part in an address, with or without a scheme (`https://bob:pa55@host`, `bob:pa55@registry.internal`)',
    source: 'RFC 3986 userinfo; gitleaks `curl-auth-user`',
    // Every run is bounded and the scheme starts only at a word's start: a 1 MiB value costs a linear scan, never a quadratic one.
    pattern: /(?:(?<![A-Za-z0-9+.-])[a-z][a-z0-9+.-]{0,31}:\/\/|(?<![A-Za-z0-9._~%+:-]))([A-Za-z0-9._~%+!$&'()*,;=-]{1,256}):([^\s/@:]{1,256})@(?=[A-Za-z0-9[])/gi,
    accept: (match) => !/^(mailto|tel|sip|urn)$/i.test(match[1]!),
  },
  {
    id: 'url-query-token',
    shape:
      'a credential-named query parameter: `?access_token=`, `token=`, `private_token=`, `api_key=`, `client_secret=`, `password=`, `sig=`, `X-Amz-Signature=` and 6+ characters',
    source: 'gitleaks `generic-api-key`, narrowed to URL query parameters; Azure SAS and S3 presigned URLs',
    pattern:
      /[?&;](?:access_token|auth_token|private_token|refresh_token|id_token|token|api[_-]?key|apikey|client_secret|password|passwd|pwd|secret|sig|signature|x-amz-signature|x-amz-security-token|x-amz-credential|x-goog-signature|x-goog-credential)=([^&#\s]{6,})/gi,
    accept: (match) => !/^(?:\$|%24|\{|<|\*+$|x+$)/i.test(match[1]!),
  },
  {
    id: 'generic-secret-assignment',
    shape: '`password=`, `secret:`, `token=`, `api_key=`, `access_key=`, `credentials=` ... followed by 10+ characters with letters, digits and an entropy of 3.5+',
    source: 'gitleaks `generic-api-key` (its keywords, its entropy 3.5 and its letters-only allowlist)',
    // "key: value" needs the space YAML puts there: "arn:...:secret:prod/db" is an ARN, not an assignment.
    pattern:
      /(?:passw(?:or)?d|pwd|secret|token|api[_.-]?key|access[_.-]?key|auth[_.-]?key|credentials?|private[_.-]?key)[A-Za-z0-9_.-]{0,20}["']?\s{0,2}(?:=>?|:=|::?\s+)\s{0,3}["'`]?([A-Za-z0-9_.=+/~-]{10,150})/gi,
    accept: (match) => {
      const value = match[1]!;
      // Letters and separators only (a name, a store path such as prod/agents/app) is not a secret,
      // nor is a lower-case name of short words (agents-db-2024, us-east-1).
      if (/^[A-Za-z_./-]+$/.test(value) || !hasDigit(value)) return false;
      if (/^[a-z0-9]+(?:[-_./][a-z0-9]+)+$/.test(value) && value.split(/[-_./]/).every((word) => word.length <= 12)) return false;
      return entropy(value) >= 3.5;
    },
  },
];

/** The first detector that finds a secret anywhere in text; null when none does. */
export function findSecretShape(text: string, context: SecretContext = {}): SecretDetector | null {
  // The shortest shape ("a://b:c@h") is 9 characters; most strings of a spec are shorter names.
  if (text.length < 9) return null;
  for (const detector of SECRET_DETECTORS) {
    detector.pattern.lastIndex = 0;
    for (let match = detector.pattern.exec(text); match; match = detector.pattern.exec(text)) {
      if (!detector.accept || detector.accept(match, text, context)) return detector;
      if (match[0].length === 0) detector.pattern.lastIndex++;
    }
  }
  return null;
}

/** Whether text holds an AWS access key id (for the secret key beside it). */
export function holdsAccessKeyId(text: string): boolean {
  // The AWS secret detector asks this for every 40-character candidate of one string: scan it once.
  if (text !== lastScanned.text) lastScanned = { text, holds: ACCESS_KEY_ID_ANYWHERE.test(text) };
  return lastScanned.holds;
}

let lastScanned: { text: string | null; holds: boolean } = { text: null, holds: false };

/** Characters of base64 and tokens: a long run of them could be a key. */
const KEY_CHARACTER = /[A-Za-z0-9+/=_~.-]/;

/**
 * The runs of 24+ key characters, found by a plain scan: a regex over a run of megabytes overflows
 * V8's backtracking stack. Long runs are judged on their first 4 KiB (a key is shorter).
 */
function* keyLikeRuns(text: string): Generator<string> {
  let start = -1;
  for (let index = 0; index <= text.length; index++) {
    const inRun = index < text.length && KEY_CHARACTER.test(text[index]!);
    if (inRun && start === -1) start = index;
    else if (!inRun && start !== -1) {
      if (index - start >= 24) yield text.slice(start, Math.min(index, start + 4096));
      start = -1;
    }
  }
}

/**
 * Whether text may hold a credential, for deciding what a message may quote. Broader than
 * findSecretShape (which fails the spec, so must not cry wolf): any detector regardless of its
 * context, a ':...@' in an address, or a long random-looking run. What it flags is not shown.
 */
export function mayHoldCredential(text: string): boolean {
  if (text.length < 9) return false;
  if (findSecretShape(text, { besideAccessKeyId: true })) return true;
  if (/[^\s/@:]:[^\s/@:]{0,256}@/.test(text)) return true;
  for (const run of keyLikeRuns(text)) if (looksRandom(run, 4.2)) return true;
  return false;
}
