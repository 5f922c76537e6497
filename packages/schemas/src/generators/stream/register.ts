import { applyChangesToString, ChangeType, type StringChange, type Tree } from '@nx/devkit';
import ts from 'typescript';

function sourceOf(tree: Tree, path: string): { text: string; file: ts.SourceFile } {
  const text = tree.read(path, 'utf-8');
  if (text === null) throw new Error(`${path} does not exist: run this generator at the root of Fiat's repository`);
  return { text, file: ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true) };
}

/** The position after the last import statement, or after the last export-from statement (0 when there is none). */
function afterLast(file: ts.SourceFile, kind: 'import' | 'export'): number {
  let imports = 0;
  let exports = 0;
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement)) imports = statement.end;
    if (ts.isExportDeclaration(statement) && statement.moduleSpecifier !== undefined) exports = statement.end;
  }
  return kind === 'import' ? imports : exports || imports;
}

/**
 * Adds `lines` after the last import statement of `path` (`kind: 'import'`) or after its last
 * export-from statement (`kind: 'export'`).
 *
 * @example
 * ```ts
 * addModuleLines(tree, 'packages/schemas/src/index.ts', 'export', ["export { PageView } from './streams/PageView.js';"]);
 * ```
 */
export function addModuleLines(tree: Tree, path: string, kind: 'import' | 'export', lines: readonly string[]): void {
  const { text, file } = sourceOf(tree, path);
  const at = afterLast(file, kind);
  const change: StringChange = { type: ChangeType.Insert, index: at, text: at === 0 ? `${lines.join('\n')}\n` : `\n${lines.join('\n')}` };
  tree.write(path, applyChangesToString(text, [change]));
}

/**
 * Appends `element` to the array literal that initialises the variable `name` in `path`.
 *
 * @example
 * ```ts
 * appendToArray(tree, 'packages/schemas/src/builtIn.ts', 'builtInStreams', 'PageView');
 * ```
 */
export function appendToArray(tree: Tree, path: string, name: string, element: string): void {
  const { text, file } = sourceOf(tree, path);
  let array: ts.ArrayLiteralExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && node.name.getText(file) === name && node.initializer !== undefined && ts.isArrayLiteralExpression(node.initializer)) {
      array = node.initializer;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (array === undefined) throw new Error(`${path} has no array literal '${name} = [...]' to register the stream in`);
  const elements = array.elements;
  const last = elements[elements.length - 1];
  const change: StringChange =
    last === undefined
      ? { type: ChangeType.Insert, index: array.getStart(file) + 1, text: element }
      : { type: ChangeType.Insert, index: last.end, text: `, ${element}` };
  tree.write(path, applyChangesToString(text, [change]));
}
