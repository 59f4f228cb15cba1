// Puts a check's outcome into words from content/locales/<lang>/doctor.json. No reader-
// facing text lives in the checks themselves, so German and English cannot drift apart.
import { ENGINE_VERSION_PARAMS } from '../../contracts/docker-versions.ts';
import de from '../../content/locales/de/doctor.json' with { type: 'json' };
import en from '../../content/locales/en/doctor.json' with { type: 'json' };
import type { DoctorCheck } from './check.ts';
import type { CheckOutcome, CheckResult, Lang, TextParam } from './types.ts';

interface VariantText {
  detail: string;
  fix: string;
}
type Section = { title: string } & Record<string, VariantText | string>;
export interface DoctorTexts {
  cli: Record<string, string>;
  panel: Record<string, string>;
  common: Record<string, VariantText>;
  checks: Record<string, Section>;
}

export const DOCTOR_TEXTS: Record<Lang, DoctorTexts> = { de, en } as unknown as Record<Lang, DoctorTexts>;

/** Reads LC_ALL, LC_MESSAGES, LANG in POSIX order: German when it starts with "de", else English. */
export function langFromEnv(env: NodeJS.ProcessEnv): Lang {
  const value = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^de\b|^de[_-]/i.test(value) ? 'de' : 'en';
}

/** Replaces {name} in a template; a {key} param pulls in another text of the same section. */
export function fillTemplate(
  template: string,
  params: Record<string, TextParam> = {},
  resolve: (param: Exclude<TextParam, string | number>) => string = () => '',
): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    if (typeof value === 'string' || typeof value === 'number') return String(value);
    return fillTemplate(resolve(value), params, resolve);
  });
}

export function checkTitle(check: Pick<DoctorCheck, 'section' | 'titleParams'>, lang: Lang): string {
  const section = DOCTOR_TEXTS[lang].checks[check.section];
  if (!section) throw new Error(`doctor.json (${lang}) has no section checks.${check.section}`);
  return fillTemplate(section.title, check.titleParams);
}

export function renderOutcome(
  check: DoctorCheck,
  outcome: CheckOutcome,
  lang: Lang,
  titleOf: (checkId: string) => string,
): CheckResult {
  const texts = DOCTOR_TEXTS[lang];
  const section = texts.checks[check.section];
  const variant = (outcome.common ? texts.common[outcome.variant] : section?.[outcome.variant]) as VariantText | undefined;
  if (!section || !variant || typeof variant !== 'object') {
    throw new Error(`doctor.json (${lang}) has no text for ${check.id} / ${outcome.variant}`);
  }
  const resolve = (param: Exclude<TextParam, string | number>): string => {
    if ('checkTitle' in param) return titleOf(param.checkTitle);
    const text = section[param.key];
    return typeof text === 'string' ? text : '';
  };
  // Engine versions come from one place (contracts/docker-versions.ts), never from the texts.
  const params = { ...ENGINE_VERSION_PARAMS, ...check.titleParams, ...outcome.params };
  return {
    id: check.id,
    status: outcome.status,
    title: checkTitle(check, lang),
    detail: fillTemplate(variant.detail, params, resolve),
    fix: fillTemplate(variant.fix, params, resolve),
    source: outcome.source,
  };
}
