// PowerShell syntax check without PowerShell: the tree-sitter grammar of PowerShell
// (tree-sitter-powershell, which ships its parser as WebAssembly) run by web-tree-sitter.
// pwsh itself is packaged neither by Debian nor on the npm registry without a download
// at install time, so CI cannot run `[scriptblock]::Create(...)` (docs/steps.md).
import { createRequire } from 'node:module';
import { Language, Parser, type Node } from 'web-tree-sitter';

const require = createRequire(import.meta.url);

let parser: Parser | undefined;

async function powershellParser(): Promise<Parser> {
  if (parser) return parser;
  await Parser.init();
  const language = await Language.load(require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm'));
  parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/**
 * The grammar (0.26) reads a parameter joined to its value by `=` (`--pull=never`) as an
 * error, where PowerShell passes it to a native command as one argument. The check reads
 * such a token as the parameter and its value apart, which parses the same way.
 */
export function joinedParametersApart(script: string): string {
  return script.replace(/(^|\s)(--?[A-Za-z][\w-]*)=(?=\S)/g, '$1$2 ');
}

function errors(node: Node, found: string[]): string[] {
  if (node.type === 'ERROR' || node.isMissing) {
    const what = node.isMissing ? `missing ${node.type}` : `cannot parse ${JSON.stringify(node.text)}`;
    found.push(`${what} at line ${node.startPosition.row + 1}, column ${node.startPosition.column + 1}`);
    return found;
  }
  for (const child of node.children) if (child) errors(child, found);
  return found;
}

/** The syntax errors of a PowerShell script ([] when it parses). */
export async function powershellSyntaxErrors(script: string): Promise<string[]> {
  const tree = (await powershellParser()).parse(joinedParametersApart(script));
  if (!tree) return ['the parser returned no tree'];
  try {
    return errors(tree.rootNode, []);
  } finally {
    tree.delete();
  }
}
