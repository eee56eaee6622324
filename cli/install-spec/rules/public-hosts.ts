/**
 * Air-gapped installs: public-service hosts named anywhere in the document. The requirement check
 * (matrix/requirements.ts, REQUIRE_NO_PUBLIC_ENDPOINTS) reads the endpoint fields under spec, where
 * a whole value is a URL or host; this reads every other string, word by word: metadata (labels
 * are copied onto every resource and Kubernetes object), hosts inside longer values (a no-proxy
 * list, "mirror of ghcr.io"), and prose. A URL is an error wherever it is written; a bare host in
 * prose is only a warning, since mentioning a service does not make the install reach it.
 */
import { hostOf, publicHostMatch } from '../../matrix/public-hosts.js';
import { requirementCode } from '../../matrix/engine.js';
import type { Finding } from '../../schema/issue.js';

export const NO_PUBLIC_ENDPOINTS = requirementCode('no-public-endpoints');

/** Keys whose values are prose (the schema's only unconstrained strings, plus common free text). */
const PROSE_KEYS = new Set(['note', 'customer', 'displayName', 'description']);
/** What separates the words of a value; the same split the manifest policy uses on rendered objects. */
const WORD_SEPARATOR = /[\s"'`,;=<>()[\]{}|\\]+/;
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

interface Mention {
  host: string;
  url: boolean;
}

/** Public hosts a string names: each word that is a URL or starts with a host ("ghcr.io/org/x"). */
export function publicMentions(value: string, publicHosts: readonly string[]): Mention[] {
  const mentions: Mention[] = [];
  for (const raw of value.split(WORD_SEPARATOR)) {
    // Sentence punctuation after a host ("from huggingface.co.") is not part of it.
    const word = raw.replace(/[.,;:!?]+$/, '');
    const host = word === '' ? null : hostOf(word);
    if (host && publicHostMatch(host, publicHosts) && !mentions.some((mention) => mention.host === host)) {
      mentions.push({ host, url: URL_LIKE.test(word) });
    }
  }
  return mentions;
}

export function findPublicHostMentions(data: unknown, publicHosts: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  const visit = (value: unknown, path: (string | number)[], prose: boolean): void => {
    if (typeof value === 'string') {
      const mentions = publicMentions(value, publicHosts);
      if (mentions.length === 0) return;
      const hosts = mentions.map((mention) => mention.host).join(', ');
      if (prose && mentions.every((mention) => !mention.url)) {
        findings.push({
          severity: 'warning',
          code: 'RULE_PUBLIC_HOST_MENTION',
          path,
          message: `the text names ${hosts}, a public internet service this air-gapped install cannot reach`,
          hint: 'fine if it is only a mention; the install never contacts it',
        });
      } else {
        findings.push({
          severity: 'error',
          code: NO_PUBLIC_ENDPOINTS,
          path,
          message: `${hosts} ${mentions.length === 1 ? 'is a public internet service' : 'are public internet services'}, unreachable from an air-gapped network`,
          hint: prose
            ? 'drop the URL from the text; an air-gapped spec names no public endpoint'
            : 'point it at a service inside the customer network (a mirror, an internal host), or remove it',
        });
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, [...path, index], prose));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) visit(child, [...path, key], prose || PROSE_KEYS.has(key));
    }
  };
  visit(data, [], false);
  return findings;
}
