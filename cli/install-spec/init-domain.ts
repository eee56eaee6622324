/**
 * The example domain of a starter spec, from --customer: "Initech Inc" gives initech.example, so
 * the placeholders an engineer replaces already read as the customer's (agents.initech.example).
 * Still under .example (RFC 2606), so validate keeps flagging them as RULE_PLACEHOLDER.
 */

/** Company-form words that end a name and say nothing about the customer ("Initech Inc" is initech). */
const LEGAL_FORMS = new Set([
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'co',
  'company',
  'ltd',
  'limited',
  'llc',
  'llp',
  'lp',
  'plc',
  'gmbh',
  'ag',
  'kg',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'bv',
  'nv',
  'ab',
  'as',
  'oy',
  'kk',
  'pty',
  'pvt',
  'holdings',
  'group',
  // init's own default customer ("Example Corp") keeps the long-standing acme.example.
  'example',
]);

/** The label used when the name has no ASCII letters or digits left (all symbols, only a legal form, a non-Latin script). */
export const FALLBACK_LABEL = 'acme';

/** At most this long: hosts such as agents-webhooks.LABEL.example stay short, and a DNS label is at most 63. */
const MAX_LABEL = 30;

/** A DNS label for the customer: accents dropped, lowercase ASCII words joined by '-', a leading "the" and trailing legal forms left out. */
export function customerLabel(customer: string): string {
  const words = customer
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    // S.A. and O'Reilly are one word each.
    .replace(/['.\u2019]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  while (words.length && LEGAL_FORMS.has(words[words.length - 1]!)) words.pop();
  if (words[0] === 'the') words.shift();
  let label = '';
  for (const word of words) {
    const next = label ? `${label}-${word}` : word;
    if (next.length > MAX_LABEL) {
      if (!label) label = word.slice(0, MAX_LABEL);
      break;
    }
    label = next;
  }
  return label || FALLBACK_LABEL;
}

/** LABEL.example: the domain every example host of the starter spec lives in. */
export function exampleDomain(customer: string): string {
  return `${customerLabel(customer)}.example`;
}
