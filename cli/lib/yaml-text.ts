/**
 * YAML for files other programs read back: Helm values (go-yaml: YAML 1.1, plus Go's number syntax),
 * Pulumi stack config, the API server. Each reads a plain scalar its own way: `yes`, `on`, `y`,
 * `1_000`, `1:20`, `0b101` or `2026-01-01` are strings to a YAML 1.2 reader but a boolean, a number
 * or a date to Helm. Written with the YAML 1.1 schema (which quotes its booleans, numbers and dates)
 * and every string that starts like a number double-quoted, a value reads back as written everywhere.
 */
import { Document, visit } from 'yaml';

const NUMBER_LIKE = /^[-+.]?[0-9]/;

export function portableYaml(value: unknown): string {
  const document = new Document(value, { version: '1.1' });
  visit(document, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && NUMBER_LIKE.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return document.toString({ lineWidth: 0 });
}
