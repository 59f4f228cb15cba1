// Terminal output as plain text, for checking a step's expected output: escape
// sequences (colors, titles, cursor moves) and carriage returns removed.

// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_][^\x1b]*\x1b\\|\x1b[@-Z\\-_]|\x1b[()][0-9A-Za-z]/g;

export function plainText(output: string): string {
  return output.replace(ESCAPES, '').replace(/\r+\n/g, '\n').replace(/\r/g, '');
}
