// Shapes shared by the doctor's checks, runner, CLI and HTTP route.
// The JSON contract (docs/doctor.md): {"checks":[{"id","status","title","detail","fix","source"}]}.

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';
export type Lang = 'de' | 'en';
export const LANGS: readonly Lang[] = ['de', 'en'];

/**
 * A text parameter: plain text; or another text of the same check section, by key;
 * or the translated title of another check, by id.
 */
export type TextParam = string | number | { key: string } | { checkTitle: string };

/** What a check finds, before it is put into words: a variant key of its locale section. */
export interface CheckOutcome {
  status: CheckStatus;
  /** Key under checks.<section> in content/locales/<lang>/doctor.json, with detail and fix. */
  variant: string;
  /** Values for {placeholders} in the variant's title, detail and fix. */
  params?: Record<string, TextParam>;
  /** The document the check's verdict and fix rely on. */
  source: string;
  /** Set when the variant lives in the "common" section (skips, timeouts, crashes). */
  common?: boolean;
}

/** One line of the doctor's JSON answer, in one language. */
export interface CheckResult {
  id: string;
  status: CheckStatus;
  title: string;
  detail: string;
  fix: string;
  source: string;
}

export interface DoctorReport {
  checks: CheckResult[];
}
