/**
 * One made-up credential per secret detector, deterministic, each in the shape its vendor issues
 * (length, alphabet, character mix), for tests that must find them and never see them echoed.
 */
import type { SecretContext } from '../../cli/schema/secret-shapes.js';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const ALNUM = LOWER + UPPER + DIGITS;

/** length characters of alphabet from a small PRNG; the first three are a lower, an upper and a digit when it has them. */
export function randomChars(length: number, alphabet: string, seed: number): string {
  let state = (seed * 0x9e3779b1) | 1;
  let out = '';
  for (let i = 0; i < length; i++) {
    // xorshift32: integer arithmetic only, so the same characters on every platform.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out += alphabet[(state >>> 0) % alphabet.length];
  }
  const fixed = [LOWER, UPPER, DIGITS].map((set, index) => [...set].find((char) => alphabet.includes(char)) ?? out[index]!);
  return (fixed.join('') + out.slice(3)).slice(0, length);
}

const uuid = (seed: number): string => [8, 4, 4, 4, 12].map((length, index) => randomChars(length, 'abcdef0123456789', seed + index)).join('-');

export interface SecretSample {
  detector: string;
  /** The credential itself: what must never be echoed. */
  secret: string;
  /** Context some detectors need (an AWS secret key is only one beside an access key id). */
  context?: SecretContext;
  /** A whole URL: placed as a value, not inside another URL. */
  url?: boolean;
}

/** The part of a sample that is the credential (a URL's host and path prefix are not secret). */
export function credentialOf(sample: SecretSample): string {
  if (!sample.url) return sample.secret;
  const query = /[?&]\w+=([^&]+)$/.exec(sample.secret);
  const userinfo = /:\/\/[^:/]+:([^@]+)@/.exec(sample.secret);
  return query?.[1] ?? userinfo?.[1] ?? sample.secret.slice(sample.secret.lastIndexOf('/') + 1);
}

export const SECRET_SAMPLES: SecretSample[] = [
  { detector: 'github-token', secret: `ghp_${randomChars(36, ALNUM, 1)}` },
  { detector: 'github-fine-grained-pat', secret: `github_pat_${randomChars(22, ALNUM, 2)}_${randomChars(59, ALNUM, 3)}` },
  { detector: 'gitlab-token', secret: `glpat-${randomChars(20, ALNUM + '_-', 4)}` },
  { detector: 'atlassian-api-token', secret: `ATATT3${randomChars(186, ALNUM + '_-=', 5)}` },
  { detector: 'anthropic-api-key', secret: `sk-ant-api03-${randomChars(93, ALNUM + '_-', 6)}AA` },
  { detector: 'openai-api-key', secret: `sk-proj-${randomChars(48, ALNUM, 7)}` },
  { detector: 'aws-access-key-id', secret: `AKIA${randomChars(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 8)}` },
  { detector: 'aws-secret-access-key', secret: randomChars(40, ALNUM + '+/', 9), context: { besideAccessKeyId: true } },
  { detector: 'google-api-key', secret: `AIza${randomChars(35, ALNUM + '_-', 10)}` },
  { detector: 'huggingface-token', secret: `hf_${randomChars(34, LOWER + UPPER, 11)}` },
  { detector: 'slack-token', secret: `xoxb-${randomChars(12, DIGITS, 12)}-${randomChars(12, DIGITS, 13)}-${randomChars(24, ALNUM, 14)}` },
  {
    detector: 'slack-webhook-url',
    secret: `https://hooks.slack.com/services/T${randomChars(10, UPPER + DIGITS, 15)}/B${randomChars(10, UPPER + DIGITS, 16)}/${randomChars(24, ALNUM, 17)}`,
    url: true,
  },
  {
    detector: 'microsoft-teams-webhook',
    secret: `https://acme.webhook.office.com/webhookb2/${uuid(18)}@${uuid(19)}/IncomingWebhook/${randomChars(32, 'abcdef0123456789', 20)}/${uuid(21)}`,
    url: true,
  },
  { detector: 'npm-token', secret: `npm_${randomChars(36, ALNUM, 22)}` },
  { detector: 'pypi-token', secret: `pypi-AgEIcHlwaS5vcmc${randomChars(60, ALNUM + '_-', 23)}` },
  { detector: 'docker-hub-token', secret: `dckr_pat_${randomChars(27, ALNUM + '_-', 24)}` },
  { detector: 'artifactory-token', secret: `AKCp${randomChars(69, ALNUM, 25)}` },
  { detector: 'vault-token', secret: `hvs.${randomChars(95, ALNUM + '_-', 26)}` },
  { detector: 'azure-ad-client-secret', secret: `x7K8Q~${randomChars(34, ALNUM + '_~.-', 27)}` },
  { detector: 'stripe-key', secret: `sk_live_${randomChars(24, ALNUM, 28)}` },
  { detector: 'jwt', secret: `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.${randomChars(43, ALNUM + '_-', 29)}` },
  { detector: 'private-key', secret: `-----BEGIN OPENSSH PRIVATE KEY-----b3BlbnNzaC1rZXktdjEAAAAA${randomChars(40, ALNUM, 30)}` },
  { detector: 'url-credentials', secret: `https://deploy:${randomChars(16, ALNUM, 31)}@git.acme.internal/acme/app.git`, url: true },
  { detector: 'url-query-token', secret: `https://git.acme.internal/api/v4/projects?private_token=${randomChars(20, ALNUM, 32)}`, url: true },
  { detector: 'generic-secret-assignment', secret: `password=${randomChars(16, ALNUM, 33)}` },
];
