/**
 * The one reader of module specifiers the architecture tests share (test/architecture.test.ts,
 * test/architecture/runtime-imports.test.ts). It parses with the TypeScript compiler rather than a
 * pattern, so commented-out imports and strings that merely look like one are not counted, and
 * every form is: static and type imports, `export ... from`, import(), import('...').Type in a
 * type, require() and require.resolve(). A computed import() or require() (template with substitutions,
 * concatenation) is reported by its literal head, marked computed.
 */
import ts from 'typescript';

export interface ImportSite {
  specifier: string;
  /** 1-based line of the statement or call. */
  line: number;
  /** import()/require() of a template with substitutions or a concatenation: specifier is only its literal head. */
  computed?: true;
}

const stringValue = (node: ts.Node | undefined): string | null => (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : null);

function isRequire(callee: ts.Expression): boolean {
  if (ts.isIdentifier(callee)) return callee.text === 'require';
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'require' && callee.name.text === 'resolve';
}

/** The literal start of a computed specifier (`../x/${name}` or '../x/' + name), or null. */
function computedHead(node: ts.Node | undefined): string | null {
  if (node && ts.isTemplateExpression(node)) return node.head.text;
  if (node && ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return stringValue(node.left) ?? computedHead(node.left);
  return null;
}

function isImportCall(node: ts.Node): node is ts.CallExpression {
  return ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || isRequire(node.expression));
}

/** The module a node names, if it names one. */
function specifierOf(node: ts.Node): string | null {
  if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return stringValue(node.moduleSpecifier);
  if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) return stringValue(node.moduleReference.expression);
  if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) return stringValue(node.argument.literal);
  if (isImportCall(node)) return stringValue(node.arguments[0]);
  return null;
}

export function importsOf(text: string, fileName = 'file.ts'): ImportSite[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, /\.m?js$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  // Only subtrees that hold the word import, require or from (export ... from) are walked: generated validators are large.
  const keywords = [...text.matchAll(/\b(?:import|require|from)\b/g)].map((match) => match.index);
  const holdsKeyword = (node: ts.Node) => keywords.some((at) => at >= node.pos && at < node.end);
  const found: ImportSite[] = [];
  const visit = (node: ts.Node): void => {
    if (!holdsKeyword(node)) return;
    const specifier = specifierOf(node);
    const line = () => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    if (specifier !== null) found.push({ specifier, line: line() });
    const head = isImportCall(node) ? computedHead(node.arguments[0]) : null;
    if (head !== null) found.push({ specifier: head, line: line(), computed: true });
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every module specifier of a file written out in full, in order. */
export function specifiers(text: string, fileName?: string): string[] {
  return importsOf(text, fileName)
    .filter((site) => !site.computed)
    .map((site) => site.specifier);
}
