// The class server's CLI texts from content/locales/<lang>/class.json.
import de from '../../content/locales/de/class.json' with { type: 'json' };
import en from '../../content/locales/en/class.json' with { type: 'json' };

type CliKey = keyof typeof en.cli;

export function classLanguage(env: NodeJS.ProcessEnv = process.env): 'de' | 'en' {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('de') ? 'de' : 'en';
}

export function classText(key: CliKey, values: Record<string, string | number> = {}, lang = classLanguage()): string {
  const table = lang === 'de' ? de.cli : en.cli;
  return (table[key] ?? en.cli[key]).replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
