// Shapes shared by the doctor's checks, runner, CLI and HTTP route.
// The JSON contract (docs/doctor.md): {"checks":[{"id","status","title","detail","fix","source"}]}.

import type { CheckStatus } from '../../contracts/http-api.ts';
import { LOCALES, type Locale } from '../../contracts/locale.ts';

export type { CheckResult, CheckStatus, DoctorReport } from '../../contracts/http-api.ts';
export type Lang = Locale;
export const LANGS: readonly Lang[] = LOCALES;

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

// CheckResult and DoctorReport, the JSON answer, are defined in contracts/http-api.ts.
