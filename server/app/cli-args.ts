// Command-line options of `npm start` (docs/cli.md). Pure, so it is unit tested.
import { DEFAULT_PORT } from './defaults.ts';

export interface CliOptions {
  port: number;
  host: string;
  open: boolean;
  build: boolean;
  verbose: boolean;
  help: boolean;
  /** --join URL: the class server's join link (docs/classroom.md). */
  join?: string;
  /** --seat NAME: the name the trainer sees. */
  seat?: string;
}

export type CliParseResult =
  | { ok: true; options: CliOptions }
  | { ok: false; error: 'badArgument' | 'badPort'; values: Record<string, string> };

/** CI services set CI=true (or 1); an empty value, 0 or false does not count. */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): CliParseResult {
  const options: CliOptions = { port: DEFAULT_PORT, host: '127.0.0.1', open: !isCi(env), build: true, verbose: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? (argv[i + 1]?.startsWith('--') ? undefined : argv[++i]);
    switch (name) {
      case '--port': {
        const text = value();
        const port = Number(text);
        if (text === undefined || !/^\d+$/.test(text) || port > 65535) return { ok: false, error: 'badPort', values: { value: text ?? '' } };
        options.port = port;
        break;
      }
      case '--host': {
        const host = value();
        if (!host) return { ok: false, error: 'badArgument', values: { arg } };
        options.host = host;
        break;
      }
      case '--join':
      case '--seat': {
        const text = value();
        if (!text) return { ok: false, error: 'badArgument', values: { arg } };
        if (name === '--join') options.join = text;
        else options.seat = text;
        break;
      }
      case '--no-open':
        options.open = false;
        break;
      case '--no-build':
        options.build = false;
        break;
      case '--verbose':
        options.verbose = true;
        break;
      case '--help':
      case '-h':
        options.help = true;
        break;
      default:
        return { ok: false, error: 'badArgument', values: { arg } };
    }
    if (inline !== undefined && !['--port', '--host', '--join', '--seat'].includes(name)) return { ok: false, error: 'badArgument', values: { arg } };
  }
  return { ok: true, options };
}

/** Loopback addresses need no warning; anything else is reachable from elsewhere. */
export function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]';
}
