// Parses `npm run bench -- [options] -- <command...>`. Options end at `--` or at the
// first word that is not an option, so `bench --runs 5 node x.mjs --flag` passes
// --flag to node, not to the harness.

export interface BenchCliOptions {
  runs: number;
  warmup: number;
  format: 'table' | 'json' | 'csv';
  label?: string;
  timeoutSeconds: number;
  /** Run the workshop's own variants (see variants.ts) instead of a command. */
  variants?: string[];
  listVariants: boolean;
  progress: boolean;
  help: boolean;
  command: string[];
}

export const USAGE = `Usage: npm run bench -- [options] -- <command> [args...]
       npm run bench -- [options] --variants all|<id,id,...>
       npm run bench -- --list-variants

Times each run of <command> in the phases of the article's measureAvgTime.sh:
startup (until the output line "Starting"), run (until "Stopped"), shutdown
(until the process exits) and total. The command is started directly, without a
shell; pass one yourself (sh -c '...') if you need pipes or variables.

Options:
  --runs N          measured runs (default 10)
  --warmup N        warm-up runs before them, not counted (default 1)
  --json            print the result as JSON on stdout
  --csv             print the summary as CSV on stdout
  --label NAME      name of the result (default: the program's name)
  --timeout SEC     kill a run that takes longer (default 300)
  --variants LIST   run the workshop's variants: all, or ids from --list-variants
  --list-variants   show which variants this machine can run, and why not
  --no-progress     no progress bar on stderr
  -h, --help        this text`;

export class CliUsageError extends Error {}

function wholeNumber(name: string, text: string | undefined, min: number): number {
  if (text === undefined || !/^\d+$/.test(text) || Number(text) < min) {
    throw new CliUsageError(`${name} needs a whole number >= ${min}, got ${text === undefined ? 'nothing' : `"${text}"`}`);
  }
  return Number(text);
}

export function parseBenchArgs(argv: readonly string[]): BenchCliOptions {
  const options: BenchCliOptions = {
    runs: 10,
    warmup: 1,
    format: 'table',
    timeoutSeconds: 300,
    listVariants: false,
    progress: true,
    help: false,
    command: [],
  };
  let i = 0;
  const value = (name: string): string => {
    const v = argv[++i];
    if (v === undefined) throw new CliUsageError(`${name} needs a value`);
    return v;
  };
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-')) break;
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const take = () => inline ?? value(name);
    switch (name) {
      case '--runs': options.runs = wholeNumber('--runs', take(), 1); break;
      case '--warmup': options.warmup = wholeNumber('--warmup', take(), 0); break;
      case '--timeout': options.timeoutSeconds = wholeNumber('--timeout', take(), 1); break;
      case '--label': options.label = take(); break;
      case '--json': options.format = options.format === 'csv' ? fail('--json and --csv exclude each other') : 'json'; break;
      case '--csv': options.format = options.format === 'json' ? fail('--json and --csv exclude each other') : 'csv'; break;
      case '--variants': options.variants = take().split(',').map((s) => s.trim()).filter(Boolean); break;
      case '--list-variants': options.listVariants = true; break;
      case '--no-progress': options.progress = false; break;
      case '-h': case '--help': options.help = true; break;
      default: throw new CliUsageError(`unknown option ${name}`);
    }
  }
  options.command = argv.slice(i);
  if (!options.help && !options.listVariants) {
    if (options.variants && options.command.length > 0) throw new CliUsageError('give either a command or --variants, not both');
    if (!options.variants && options.command.length === 0) throw new CliUsageError('no command given: put it after --');
  }
  return options;
}

function fail(message: string): never {
  throw new CliUsageError(message);
}
