// The runner's reader-facing texts (CLI output, the invalid-link page) from
// content/locales/<lang>/runner.json, so German and English stay side by side.
import de from '../../content/locales/de/runner.json' with { type: 'json' };
import en from '../../content/locales/en/runner.json' with { type: 'json' };

import type { Locale } from '../../contracts/locale.ts';

export type RunnerLanguage = Locale;
type CliKey = keyof typeof en.cli;

/** The reader's language from the usual locale variables (German when they say de). */
export function cliLanguage(env: NodeJS.ProcessEnv = process.env): RunnerLanguage {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('de') ? 'de' : 'en';
}

export function cliText(key: CliKey, values: Record<string, string | number> = {}, lang = cliLanguage()): string {
  const table = lang === 'de' ? de.cli : en.cli;
  return (table[key] ?? en.cli[key]).replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
