/**
 * Edits a spec file's text the way a person would: a new release version and renamed fields, with
 * every comment, key order, quote style and blank line left as it was. The yaml package's Document
 * API (the parser every spec goes through) finds the nodes; a renamed key within its mapping and the
 * version are replaced in place in the source text, which keeps even the spacing of a trailing
 * comment. A field moved to another mapping re-prints the document (YAML; comments kept) or the
 * JSON (2-space indent: JSON has no comments to lose). The result is parsed back and must equal the
 * intended data, or this throws (a bug, never a half-edited spec).
 */
import { isDeepStrictEqual } from 'node:util';
import { isAlias, isMap, isPair, isScalar, parse, parseDocument, visit, Scalar, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { normalizeLineBreaks } from './parse-yaml.js';

export interface FieldMove {
  /** Dotted paths from the document root (spec.ingress.exposure). */
  from: string;
  to: string;
}

export type SpecEdit = { ok: true; text: string } | { ok: false; reason: string };

const PARSE = { version: '1.2', uniqueKeys: false, logLevel: 'silent' } as const;

type Located = { ok: true; map: YAMLMap; pair: Pair<Scalar, unknown> } | { ok: false; reason: string };

/** Anchor names some alias (*name) refers to: a node anchored with one is shared, so editing it would edit every alias too. */
function aliasedAnchors(doc: Document): Set<string> {
  const names = new Set<string>();
  visit(doc, {
    Alias(_key, alias) {
      names.add(alias.source);
    },
  });
  return names;
}

/** Why `node` (at `where`) cannot be edited for one path alone: it is an alias, or anchored and aliased elsewhere; null when it can. */
function shared(node: unknown, where: string, aliased: ReadonlySet<string>): string | null {
  if (isAlias(node)) return `${where} is an alias (*${node.source}): edit it by hand`;
  const anchor = (node as { anchor?: string } | null)?.anchor;
  if (anchor && aliased.has(anchor)) return `${where} is anchored (&${anchor}) and aliased (*${anchor}) elsewhere, which would change with it: edit it by hand`;
  return null;
}

/** Why a value moved to another mapping cannot be: an alias or a shared anchor anywhere in it (an alias could end up before its anchor). */
function sharedWithin(value: unknown, where: string, aliased: ReadonlySet<string>): string | null {
  let reason = shared(value, where, aliased);
  if (reason || !value || typeof value !== 'object') return reason;
  visit(value as Node, (_key, node) => {
    reason = shared(node, `${where} (inside)`, aliased);
    return reason ? visit.BREAK : undefined;
  });
  return reason;
}

/** The pair at a dotted path, through mappings only: an alias or a shared anchor on the way cannot be edited for one path alone. */
function locate(doc: Document, path: string, aliased: ReadonlySet<string>): Located {
  const keys = path.split('.');
  let node = doc.contents as Node | null;
  for (let index = 0; index < keys.length; index++) {
    const where = keys.slice(0, index).join('.') || 'the document';
    const reason = shared(node, where, aliased);
    if (reason) return { ok: false, reason };
    if (!isMap(node)) return { ok: false, reason: `${where} is not a mapping` };
    const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === keys[index]) as Pair<Scalar, unknown> | undefined;
    if (!pair) return { ok: false, reason: `${path} is not set` };
    if (index === keys.length - 1) return { ok: true, map: node, pair };
    node = pair.value as Node | null;
  }
  return { ok: false, reason: `${path} is empty` };
}

/** A scalar's new value written in its original style, or null when that style cannot hold it as the same string. */
function inStyle(scalar: Scalar, value: string): string | null {
  switch (scalar.type) {
    case 'QUOTE_DOUBLE':
      return JSON.stringify(value);
    case 'QUOTE_SINGLE':
      return `'${value.replace(/'/g, "''")}'`;
    case 'PLAIN':
      return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value) && parse(value, PARSE) === value ? value : null;
    // A block scalar as a key or a version: printed again rather than spliced.
    case 'BLOCK_FOLDED':
    case 'BLOCK_LITERAL':
    case undefined:
      return null;
  }
}

/** Replaces each changed scalar's source range with its new value in its original style; null when one cannot be. */
function splice(text: string, changed: ReadonlyMap<Scalar, string>): string | null {
  const edits: Array<{ start: number; end: number; value: string }> = [];
  for (const [scalar, value] of changed) {
    const written = inStyle(scalar, value);
    if (written === null || !scalar.range) return null;
    edits.push({ start: scalar.range[0], end: scalar.range[1], value: written });
  }
  edits.sort((a, b) => b.start - a.start);
  let out = text;
  for (const edit of edits) out = out.slice(0, edit.start) + edit.value + out.slice(edit.end);
  return out;
}

/** Removes a mapping a move left empty, up the path (as the plain-data rename does). */
function pruneEmpty(doc: Document, keys: string[]): void {
  for (let end = keys.length; end > 1; end--) {
    const parent = doc.getIn(keys.slice(0, end), true);
    if (isMap(parent) && parent.items.length === 0) doc.deleteIn(keys.slice(0, end));
    else return;
  }
}

/**
 * `text` with the value at `versionPath` set to `version` (when given) and each move applied in
 * order; `expected` is the data the result must parse to.
 */
export function editSpecText(text: string, edit: { versionPath?: string; version?: string; moves: readonly FieldMove[]; json: boolean; expected: unknown }): SpecEdit {
  const doc = parseDocument(normalizeLineBreaks(text), PARSE);
  if (doc.errors.length > 0) return { ok: false, reason: doc.errors[0]!.message };
  const aliased = aliasedAnchors(doc);
  const changed = new Map<Scalar, string>();
  let reprint = false;
  if (edit.versionPath && edit.version !== undefined) {
    const at = locate(doc, edit.versionPath, aliased);
    if (!at.ok) return at;
    const reason = shared(at.pair.value, edit.versionPath, aliased);
    if (reason) return { ok: false, reason };
    if (!isScalar(at.pair.value)) return { ok: false, reason: `${edit.versionPath} is not a plain value` };
    at.pair.value.value = edit.version;
    changed.set(at.pair.value, edit.version);
  }
  for (const move of edit.moves) {
    const at = locate(doc, move.from, aliased);
    if (!at.ok) return at;
    const keyShared = shared(at.pair.key, `the key ${move.from}`, aliased);
    if (keyShared) return { ok: false, reason: keyShared };
    const fromKeys = move.from.split('.');
    const toKeys = move.to.split('.');
    if (doc.hasIn(toKeys)) return { ok: false, reason: `${move.to} is set too: keep one of ${move.from} and ${move.to} by hand` };
    if (fromKeys.slice(0, -1).join('.') === toKeys.slice(0, -1).join('.')) {
      at.pair.key.value = toKeys[toKeys.length - 1]!;
      changed.set(at.pair.key, toKeys[toKeys.length - 1]!);
    } else {
      // Another mapping: the value node (and its comments) moves; the document is printed again.
      const valueShared = sharedWithin(at.pair.value, move.from, aliased);
      if (valueShared) return { ok: false, reason: valueShared };
      doc.setIn(toKeys, at.pair.value);
      doc.deleteIn(fromKeys);
      pruneEmpty(doc, fromKeys.slice(0, -1));
      reprint = true;
    }
  }
  const spliced = reprint ? null : splice(text, changed);
  const out = spliced ?? (edit.json ? `${JSON.stringify(doc.toJS(), null, 2)}\n` : doc.toString({ lineWidth: 0 }));
  if (!isDeepStrictEqual(parse(normalizeLineBreaks(out), PARSE), edit.expected)) throw new Error('editing the spec text did not give the intended spec');
  return { ok: true, text: out };
}
