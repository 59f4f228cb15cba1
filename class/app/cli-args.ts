// Command-line options of `npm run class` (docs/cli.md). Pure, so it is unit tested.
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export const DEFAULT_CLASS_PORT = 4400;

export interface ClassCliOptions {
  host: string;
  port: number;
  name?: string;
  dataDir: string;
  help: boolean;
}

export type ClassCliResult = { ok: true; options: ClassCliOptions } | { ok: false; error: 'badArgument' | 'badPort'; values: Record<string, string> };

/** The user's data folder: XDG_DATA_HOME, %LOCALAPPDATA% or ~/Library/Application Support. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  return join(dataHome(env, platform, home), 'wasm-docker-workshop', 'class');
}

/** The user's data folder (the class server may not import the runner's userDataDir, so the same rule once more). */
function dataHome(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  if (platform === 'win32') return env.LOCALAPPDATA || join(home, 'AppData', 'Local');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support');
  // The XDG spec: a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  return xdg && isAbsolute(xdg) ? xdg : join(home, '.local', 'share');
}

export function parseClassArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): ClassCliResult {
  const options: ClassCliOptions = { host: '127.0.0.1', port: DEFAULT_CLASS_PORT, dataDir: defaultDataDir(env), help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const value = (): string | undefined => inline ?? (argv[i + 1] === undefined || argv[i + 1].startsWith('--') ? undefined : argv[++i]);
    switch (name) {
      case '--host':
      case '--name':
      case '--data': {
        const text = value();
        if (!text) return { ok: false, error: 'badArgument', values: { arg } };
        if (name === '--host') options.host = text;
        else if (name === '--name') options.name = text.slice(0, 80);
        else options.dataDir = text;
        break;
      }
      case '--port': {
        const text = value();
        if (text === undefined || !/^\d+$/.test(text) || Number(text) > 65535) return { ok: false, error: 'badPort', values: { value: text ?? '' } };
        options.port = Number(text);
        break;
      }
      case '--help':
      case '-h':
        if (inline !== undefined) return { ok: false, error: 'badArgument', values: { arg } };
        options.help = true;
        break;
      default:
        return { ok: false, error: 'badArgument', values: { arg } };
    }
  }
  return { ok: true, options };
}

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]';
}
