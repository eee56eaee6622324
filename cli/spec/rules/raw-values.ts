/**
 * Checks that walk the raw document before or beside the schema: literal secrets (never echoed
 * back) and values with stray whitespace. They run on untyped data, so they are defensive.
 */
import type { Finding } from '../issue.js';

/** Keys that name a secret; a string under one of them is a literal secret, not a reference. */
const SECRET_KEY = /(^|[-_])?(password|passwd|passphrase|secret|token|api[-_]?key|private[-_]?key|client[-_]?secret|credentials?|access[-_]?key)$/i;

/** Shapes of well-known credentials, wherever they appear. */
const SECRET_VALUE = [
  /^gh[pousr]_[A-Za-z0-9]{30,}/, // GitHub tokens
  /^github_pat_[A-Za-z0-9_]{20,}/,
  /^glpat-[A-Za-z0-9_-]{20,}/, // GitLab personal access token
  /^sk-(ant-|proj-)?[A-Za-z0-9_-]{20,}/, // OpenAI / Anthropic API keys
  /^AKIA[0-9A-Z]{16}$/, // AWS access key id
  /^AIza[0-9A-Za-z_-]{35}$/, // Google API key
  /^xox[abprs]-[A-Za-z0-9-]{10,}/, // Slack
  /^hf_[A-Za-z0-9]{30,}/, // Hugging Face
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]+:[^/@\s]+@/i, // credentials inside a URL
];

const FREE_TEXT_KEYS = new Set(['note']);

export function findLiteralSecrets(data: unknown): Finding[] {
  const findings: Finding[] = [];
  const visit = (value: unknown, path: (string | number)[], key: string | null): void => {
    if (typeof value === 'string' || typeof value === 'number') {
      const text = String(value);
      const namedSecret = key !== null && SECRET_KEY.test(key) && !/Name$/.test(key);
      if ((namedSecret && text !== '') || (typeof value === 'string' && SECRET_VALUE.some((pattern) => pattern.test(text)))) {
        findings.push({
          severity: 'error',
          code: 'SECRET_LITERAL',
          path,
          message: 'a secret value is written into the spec; specs carry only references to secrets (the value is not shown)',
          hint: 'store it in a Kubernetes Secret or an external store and write secretRef: {name, key} or externalRef: {store, path}; rotate it if this file was shared',
        });
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, [...path, index], key));
    } else if (value !== null && typeof value === 'object') {
      for (const [childKey, child] of Object.entries(value)) if (!FREE_TEXT_KEYS.has(childKey)) visit(child, [...path, childKey], childKey);
    }
  };
  visit(data, [], null);
  return findings;
}

export function findStrayWhitespace(data: unknown): Finding[] {
  const findings: Finding[] = [];
  const visit = (value: unknown, path: (string | number)[]): void => {
    if (typeof value === 'string') {
      if (value !== value.trim() && value.trim() !== '') {
        findings.push({
          severity: 'error',
          code: 'VALUE_WHITESPACE',
          path,
          message: `the value ${JSON.stringify(value)} has leading or trailing whitespace`,
          hint: `write ${JSON.stringify(value.trim())}`,
        });
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, [...path, index]));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key !== key.trim()) {
          findings.push({ severity: 'error', code: 'VALUE_WHITESPACE', path: [...path, key], message: `the key ${JSON.stringify(key)} has leading or trailing whitespace`, hint: `write ${JSON.stringify(key.trim())}`, atKey: true });
        }
        if (!FREE_TEXT_KEYS.has(key)) visit(child, [...path, key]);
      }
    }
  };
  visit(data, []);
  return findings;
}
