/**
 * A linear pass over the YAML token stream that refuses absurd documents before the parser builds
 * anything. The parser composes nodes recursively (900 nested brackets overflow the stack; 200k
 * take seconds and hundreds of MB), so nesting and size are bounded here, on tokens, where quoting,
 * comments and block scalars are already told apart from structure. Stops at the first excess.
 */
import { CST, Lexer } from 'yaml';

export interface PrescanLimits {
  /** Most collections nested inside one another (the root mapping is 1). */
  maxDepth: number;
  /** Most nodes (scalars, aliases, collections) in the whole text. */
  maxNodes: number;
}

export interface PrescanExcess {
  code: 'YAML_NESTING_LIMIT' | 'SPEC_TOO_COMPLEX';
  /** Source offset of the token that went over the limit. */
  offset: number;
}

/** Tokens the lexer inserts that are not source text. */
const MARKERS = new Set(['doc-mode', 'flow-error-end', 'scalar']);
/** Tokens that can begin an implicit key. */
const CONTENT = new Set([null, 'single-quoted-scalar', 'double-quoted-scalar', 'alias', 'anchor', 'tag', 'flow-map-start', 'flow-seq-start', 'block-scalar-header']);

/**
 * Counts depth as block collections open (one per indentation column that starts an entry with
 * '-', '?' or 'key:') plus open flow brackets. It may undercount (an indentless sequence shares
 * its parent's column) but does not overcount, so a valid spec is not refused here; the parsed
 * data is checked exactly afterwards.
 */
export function prescanYaml(text: string, limits: PrescanLimits): PrescanExcess | null {
  const blocks: number[] = [];
  let flow = 0;
  let nodes = 0;
  let offset = 0;
  let column = 0;
  let keyColumn: number | null = null;
  let keyOffset = 0;
  let scalarSource = false;

  const tooMany = (): boolean => ++nodes > limits.maxNodes;
  const tooDeep = (): boolean => blocks.length + flow > limits.maxDepth;
  /** A block entry at this column: it closes deeper collections and opens one unless its own is open. */
  const openBlock = (at: number): boolean => {
    while (blocks.length > 0 && blocks[blocks.length - 1]! > at) blocks.pop();
    if (blocks[blocks.length - 1] === at) return false;
    blocks.push(at);
    return tooDeep() || tooMany();
  };

  for (const token of new Lexer().lex(text)) {
    const type = scalarSource ? null : CST.tokenType(token);
    if (!scalarSource && type !== null && MARKERS.has(type)) {
      if (type === 'flow-error-end') flow = 0;
      if (type === 'scalar') {
        scalarSource = true;
        if (tooMany()) return { code: 'SPEC_TOO_COMPLEX', offset };
      }
      continue;
    }
    scalarSource = false;
    const start = offset;
    const startColumn = column;
    offset += token.length;
    const newline = token.lastIndexOf('\n');
    column = newline === -1 ? column + token.length : token.length - newline - 1;

    let excess: PrescanExcess['code'] | null = null;
    // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check -- the yaml library's token types: the default takes every other one (content and trivia), and a new one in a yaml update
    switch (type) {
      case 'doc-start':
      case 'doc-end':
        blocks.length = 0;
        flow = 0;
        keyColumn = null;
        break;
      case 'flow-map-start':
      case 'flow-seq-start':
        if (flow === 0 && keyColumn === null) [keyColumn, keyOffset] = [startColumn, start];
        flow++;
        if (tooDeep()) excess = 'YAML_NESTING_LIMIT';
        else if (tooMany()) excess = 'SPEC_TOO_COMPLEX';
        break;
      case 'flow-map-end':
      case 'flow-seq-end':
        flow = Math.max(0, flow - 1);
        break;
      case 'seq-item-ind':
      case 'explicit-key-ind':
      case 'map-value-ind':
        if (flow > 0) break;
        if (type === 'map-value-ind' && keyColumn !== null) {
          // A mapping starts where its first key does: report that position, not the colon.
          if (openBlock(keyColumn)) return { code: tooDeep() ? 'YAML_NESTING_LIMIT' : 'SPEC_TOO_COMPLEX', offset: keyOffset };
        } else if (openBlock(startColumn)) excess = tooDeep() ? 'YAML_NESTING_LIMIT' : 'SPEC_TOO_COMPLEX';
        keyColumn = null;
        break;
      default:
        if (type === 'single-quoted-scalar' || type === 'double-quoted-scalar' || type === 'alias') {
          if (tooMany()) excess = 'SPEC_TOO_COMPLEX';
        }
        if (flow === 0 && keyColumn === null && CONTENT.has(type)) [keyColumn, keyOffset] = [startColumn, start];
    }
    if (excess) return { code: excess, offset: start };
    // An implicit key fits on one line; a multi-line token (block scalar text) ends any candidate.
    if (newline !== -1) keyColumn = null;
  }
  return null;
}
