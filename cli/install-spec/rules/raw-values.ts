/**
 * Checks that walk the raw document before or beside the schema, over every string and every key,
 * free text included: literal secrets (never echoed back), control characters, stray whitespace.
 * They run on untyped data, so they are defensive, and report into a FindingCollector, which keeps
 * the first findings in document order and counts the rest.
 */
import { CONTROL_CHARACTER, describeControlCharacter, firstControlCharacter } from '../../schema/control-characters.js';
import type { DocPath, FindingCollector } from '../../schema/issue.js';
import { findSecretShape, holdsAccessKeyId } from '../../schema/secret-shapes.js';
import { showKey, showValue } from '../../schema/show-value.js';

/** Keys that name a secret; a string under one of them is a literal secret, not a reference. */
const SECRET_KEY = /(^|[-_])?(password|passwd|passphrase|secret|token|api[-_]?key|private[-_]?key|client[-_]?secret|credentials?|access[-_]?key)$/i;

/** Free text: prose, not settings, so a key word in it names nothing and whitespace is the author's. */
const FREE_TEXT_KEYS = new Set(['note']);

const SECRET_HINT = 'store it in a Kubernetes Secret or an external store and write secretRef: {name, key} or externalRef: {store, path}; rotate it if this file was shared';

type Path = (string | number)[];

export function findLiteralSecrets(data: unknown, sink: FindingCollector): void {
  const visit = (value: unknown, path: Path, keys: string[], besideAccessKeyId: boolean): void => {
    const key = keys.length > 0 ? keys[keys.length - 1]! : null;
    if (typeof value === 'string' || typeof value === 'number') {
      const text = String(value);
      const namedSecret = key !== null && !FREE_TEXT_KEYS.has(key) && SECRET_KEY.test(key) && !/Name$/.test(key) && text !== '';
      const shape = typeof value === 'string' ? findSecretShape(text, { keys, besideAccessKeyId }) : null;
      if (!namedSecret && !shape) return;
      sink.add(path, 'error', () => ({
        severity: 'error',
        code: 'SECRET_LITERAL',
        path,
        message: shape
          ? `the value holds what looks like a secret (${shape.id}); specs carry only references to secrets (the value is not shown)`
          : `a literal value under ${showKey(key!)}, a key that names a secret; specs carry only references to secrets (the value is not shown)`,
        hint: SECRET_HINT,
      }));
    } else if (Array.isArray(value)) {
      const beside = value.some((item) => typeof item === 'string' && holdsAccessKeyId(item));
      value.forEach((item, index) => visit(item, [...path, index], keys, beside));
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      const beside = entries.some(([, child]) => typeof child === 'string' && holdsAccessKeyId(child));
      for (const [childKey, child] of entries) {
        const shape = findSecretShape(childKey, { keys });
        if (shape) {
          // The key is the secret: the path shown stops at its mapping (see showPath).
          sink.add([...path, childKey], 'error', () => ({
            severity: 'error',
            code: 'SECRET_LITERAL',
            path: [...path, childKey],
            atKey: true,
            message: `a key of this mapping holds what looks like a secret (${shape.id}); specs carry only references to secrets (the key is not shown)`,
            hint: `remove that key: keys are names, never credentials; ${SECRET_HINT}`,
          }));
        }
        visit(child, [...path, childKey], [...keys, childKey], beside);
      }
    }
  };
  visit(data, [], [], false);
}

const CONTROL_HINT = 'remove it: spec values and keys are single-line printable text (write a note on one line; a folded block scalar, >-, joins lines without a line break)';

export function findControlCharacters(data: unknown, sink: FindingCollector): void {
  const report = (path: DocPath, text: string, atKey: boolean): void => {
    const codePoint = firstControlCharacter(text);
    if (codePoint === null) return;
    sink.add(path, 'error', () => ({
      severity: 'error',
      code: 'VALUE_CONTROL_CHARACTER',
      path,
      atKey,
      message: `the ${atKey ? 'key' : 'value'} holds ${describeControlCharacter(codePoint)}, a control character`,
      hint: CONTROL_HINT,
    }));
  };
  const visit = (value: unknown, path: Path): void => {
    if (typeof value === 'string') {
      report(path, value, false);
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, [...path, index]));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        report([...path, key], key, true);
        visit(child, [...path, key]);
      }
    }
  };
  visit(data, []);
}

/** Leading or trailing spaces (or nothing but); text with control characters is reported by findControlCharacters instead. */
function padded(text: string): boolean {
  return text !== text.trim() && !CONTROL_CHARACTER.test(text);
}

export function findStrayWhitespace(data: unknown, sink: FindingCollector): void {
  const visit = (value: unknown, path: Path): void => {
    if (typeof value === 'string') {
      if (!padded(value)) return;
      sink.add(path, 'error', () => {
        const trimmed = showValue(value.trim());
        return {
          severity: 'error',
          code: 'VALUE_WHITESPACE',
          path,
          message: value.trim() === '' ? 'the value is only whitespace' : `the value ${showValue(value)} has leading or trailing whitespace`,
          hint: value.trim() === '' ? 'write the value, or remove the key' : trimmed.startsWith('"') ? `write ${trimmed}` : 'remove the leading and trailing whitespace',
        };
      });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, [...path, index]));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (padded(key)) {
          sink.add([...path, key], 'error', () => {
            const trimmed = showKey(key.trim());
            return {
              severity: 'error',
              code: 'VALUE_WHITESPACE',
              path: [...path, key],
              message: key.trim() === '' ? 'a key is only whitespace' : `the key ${showKey(key)} has leading or trailing whitespace`,
              hint:
                key.trim() === '' ? 'write the key name' : trimmed.startsWith("'") || trimmed.startsWith('"') ? `write ${trimmed}` : 'remove the leading and trailing whitespace',
              atKey: true,
            };
          });
        }
        if (!FREE_TEXT_KEYS.has(key)) visit(child, [...path, key]);
      }
    }
  };
  visit(data, []);
}
