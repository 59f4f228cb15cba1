// Highlighting by file name: Rust and YAML have CodeMirror packages of their own; TOML,
// Dockerfile and shell come from @codemirror/legacy-modes. Each loads only when a file
// of its kind is opened.
import type { Extension } from '@codemirror/state';

export async function languageFor(path: string): Promise<Extension> {
  const name = path.split('/').pop() ?? '';
  const stream = async (load: () => Promise<Parameters<typeof import('@codemirror/language').StreamLanguage.define>[0]>) => {
    const { StreamLanguage } = await import('@codemirror/language');
    return StreamLanguage.define(await load());
  };
  if (name.startsWith('Dockerfile')) return stream(async () => (await import('@codemirror/legacy-modes/mode/dockerfile')).dockerFile);
  switch (name.split('.').pop()) {
    case 'rs':
      return (await import('@codemirror/lang-rust')).rust();
    case 'yml':
    case 'yaml':
      return (await import('@codemirror/lang-yaml')).yaml();
    case 'toml':
      return stream(async () => (await import('@codemirror/legacy-modes/mode/toml')).toml);
    case 'sh':
      return stream(async () => (await import('@codemirror/legacy-modes/mode/shell')).shell);
    case 'mjs':
    case 'js':
      return stream(async () => (await import('@codemirror/legacy-modes/mode/javascript')).javascript);
    default:
      return [];
  }
}
