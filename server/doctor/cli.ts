// npm run doctor [-- --lang de|en] [--json]: checks the reader's Docker and says what to fix.
// Exit code 0 when no check failed, 1 when one did, 2 on a bad argument.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDoctor } from './doctor.ts';
import { DOCTOR_TEXTS, fillTemplate, langFromEnv } from './texts.ts';
import { LANGS, type CheckStatus, type DoctorReport, type Lang } from './types.ts';

interface CliOptions {
  lang: Lang;
  json: boolean;
  help: boolean;
}

export function parseCliArgs(argv: string[], env: NodeJS.ProcessEnv): { ok: true; options: CliOptions } | { ok: false; lang: Lang; arg: string } {
  const options: CliOptions = { lang: langFromEnv(env), json: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') options.json = true;
    else if (arg === '--help' || arg === '-h') options.help = true;
    else if (arg === '--lang' || arg.startsWith('--lang=')) {
      const value = arg === '--lang' ? argv[++i] : arg.slice('--lang='.length);
      if (!LANGS.includes(value as Lang)) return { ok: false, lang: options.lang, arg: `${arg}${arg === '--lang' ? ` ${value ?? ''}` : ''}`.trim() };
      options.lang = value as Lang;
    } else return { ok: false, lang: options.lang, arg };
  }
  return { ok: true, options };
}

const SYMBOLS: Record<CheckStatus, string> = { ok: '✔', warn: '!', fail: '✘', skip: '–' };
const COLORS: Record<CheckStatus, string> = { ok: '32', warn: '33', fail: '31', skip: '90' };

export function formatReport(report: DoctorReport, lang: Lang, color: boolean): string {
  const t = DOCTOR_TEXTS[lang].cli;
  const paint = (status: CheckStatus, text: string) => (color ? `\u001b[${COLORS[status]}m${text}\u001b[0m` : text);
  const lines = [t.heading, ''];
  const counts: Record<CheckStatus, number> = { ok: 0, warn: 0, fail: 0, skip: 0 };
  for (const check of report.checks) {
    counts[check.status]++;
    lines.push(`${paint(check.status, `${SYMBOLS[check.status]} ${check.title}`)} (${check.id}: ${t[`status.${check.status}`]})`);
    lines.push(`    ${check.detail}`);
    if (check.status !== 'ok') lines.push(`    ${t.fix}: ${check.fix}`);
    lines.push(`    ${t.source}: ${check.source}`);
  }
  lines.push('', fillTemplate(t.summary!, counts), counts.fail > 0 ? t.someFailed! : t.allGood!);
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const parsed = parseCliArgs(process.argv.slice(2), process.env);
  if (!parsed.ok) {
    const t = DOCTOR_TEXTS[parsed.lang].cli;
    process.stderr.write(`${fillTemplate(t.badArgument!, { arg: parsed.arg })}\n${t.usage}\n`);
    process.exitCode = 2;
    return;
  }
  const { options } = parsed;
  if (options.help) {
    process.stdout.write(`${DOCTOR_TEXTS[options.lang].cli.usage}\n`);
    return;
  }
  const report = await runDoctor({ lang: options.lang });
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report, options.lang, Boolean(process.stdout.isTTY) && !process.env.NO_COLOR));
  process.exitCode = report.checks.some((c) => c.status === 'fail') ? 1 : 0;
}

// Runs only as a program, so tests can import parseCliArgs and formatReport.
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  await main();
}
