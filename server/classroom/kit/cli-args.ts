// Command-line options of `npm run kit` (docs/cli.md). Pure, so it is unit tested.
export type KitCommand =
  | { command: 'create'; out: string; images?: string[]; pull: boolean }
  | { command: 'load'; file: string }
  | { command: 'help' };

export type KitArgsResult = { ok: true; value: KitCommand } | { ok: false; arg: string };

export const DEFAULT_KIT_FILE = 'workshop-kit.tar';

export function parseKitArgs(argv: readonly string[]): KitArgsResult {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || rest.includes('--help')) return { ok: true, value: { command: 'help' } };
  if (command === 'load') {
    if (rest.length !== 1 || rest[0].startsWith('--')) return { ok: false, arg: rest[0] ?? 'load' };
    return { ok: true, value: { command: 'load', file: rest[0] } };
  }
  if (command !== 'create') return { ok: false, arg: command };
  const value: Extract<KitCommand, { command: 'create' }> = { command: 'create', out: DEFAULT_KIT_FILE, pull: true };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--no-pull') value.pull = false;
    else if (arg === '--out' || arg === '--images') {
      const next = rest[++i];
      if (!next || next.startsWith('--')) return { ok: false, arg };
      if (arg === '--out') value.out = next;
      else value.images = next.split(',').map((image) => image.trim()).filter(Boolean);
    } else return { ok: false, arg };
  }
  return { ok: true, value };
}
