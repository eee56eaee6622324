/**
 * Strict JSON syntax check that reports the offset of the first error. JSON.parse in Node 20 often
 * omits the position, and YAML (which accepts JSON) is more lenient than JSON ({"a": } is valid
 * YAML), so a .json spec gets this check first. Iterative: nesting depth cannot overflow the stack.
 */

export interface JsonSyntaxError {
  offset: number;
  message: string;
}

const NUMBER = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const WHITESPACE = /[ \t\n\r]*/y;

export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  let at = 0;
  const stack: Array<'object' | 'array'> = [];
  // What the grammar accepts next.
  let expect: 'value' | 'key' | 'colon' | 'after-value' | 'value-or-close' | 'key-or-close' = 'value';

  const skip = () => {
    WHITESPACE.lastIndex = at;
    WHITESPACE.exec(text);
    at = WHITESPACE.lastIndex;
  };
  const fail = (message: string): JsonSyntaxError => ({ offset: at, message });
  const describe = () => (at >= text.length ? 'end of input' : `'${text[at]}'`);

  for (;;) {
    skip();
    if (at >= text.length) {
      if (stack.length === 0 && expect === 'after-value') return null;
      return fail('unexpected end of input');
    }
    const char = text[at]!;
    switch (expect) {
      case 'value':
      case 'value-or-close': {
        if (expect === 'value-or-close' && char === ']') {
          stack.pop();
          at++;
          expect = 'after-value';
          break;
        }
        if (char === '{') {
          stack.push('object');
          at++;
          expect = 'key-or-close';
        } else if (char === '[') {
          stack.push('array');
          at++;
          expect = 'value-or-close';
        } else {
          const token = matchScalar(text, at);
          if (token === 0) return fail(`expected a value, found ${describe()}`);
          at += token;
          expect = 'after-value';
        }
        break;
      }
      case 'key':
      case 'key-or-close': {
        if (expect === 'key-or-close' && char === '}') {
          stack.pop();
          at++;
          expect = 'after-value';
          break;
        }
        STRING.lastIndex = at;
        if (!STRING.test(text)) return fail(`expected a double-quoted property name, found ${describe()}`);
        at = STRING.lastIndex;
        expect = 'colon';
        break;
      }
      case 'colon':
        if (char !== ':') return fail(`expected ':' after a property name, found ${describe()}`);
        at++;
        expect = 'value';
        break;
      case 'after-value': {
        const container = stack[stack.length - 1];
        if (!container) return fail(`unexpected ${describe()} after the JSON value`);
        const close = container === 'object' ? '}' : ']';
        if (char === ',') {
          at++;
          expect = container === 'object' ? 'key' : 'value';
        } else if (char === close) {
          stack.pop();
          at++;
        } else return fail(`expected ',' or '${close}', found ${describe()}`);
        break;
      }
    }
  }
}

function matchScalar(text: string, at: number): number {
  for (const literal of ['true', 'false', 'null']) if (text.startsWith(literal, at)) return literal.length;
  for (const pattern of [STRING, NUMBER]) {
    pattern.lastIndex = at;
    if (pattern.test(text)) return pattern.lastIndex - at;
  }
  return 0;
}
