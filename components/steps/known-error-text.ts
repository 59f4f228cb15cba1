// The translated cause and fix for a known-error hint id (a failed step's `hint`, see
// contracts/terminal-protocol.ts and docs/errors.md). Browser-safe: only the locale JSON, no server code.
// Usage: const text = knownErrorText(message.hint, 'de'); if (text) show(text.cause, text.fix, text.source);
import de from '../../content/locales/de/errors.json';
import en from '../../content/locales/en/errors.json';
import { ENGINE_VERSION_PARAMS } from '../../contracts/docker-versions.ts';
import { fill } from '../runner/fill.ts';

export type KnownErrorLang = 'de' | 'en';

export interface KnownErrorText {
  cause: string;
  fix: string;
  /** Where the cause and fix come from (the same URL in both languages). */
  source: string;
}

export interface KnownErrorLabels {
  heading: string;
  cause: string;
  fix: string;
  source: string;
}

const texts = { de, en } as const;

/** Cause, fix and source for a hint id, or undefined for an id this page does not know. */
export function knownErrorText(id: string | undefined, lang: KnownErrorLang | string): KnownErrorText | undefined {
  if (!id) return undefined;
  const errors = (lang === 'de' ? texts.de : texts.en).errors as Record<string, KnownErrorText | undefined>;
  // Own keys only: an id like "__proto__" must not reach Object.prototype.
  const text = Object.hasOwn(errors, id) ? errors[id] : undefined;
  // Engine versions are placeholders ({minEngine}): one place defines them (contracts/docker-versions.ts).
  return text && { ...text, cause: fill(text.cause, ENGINE_VERSION_PARAMS), fix: fill(text.fix, ENGINE_VERSION_PARAMS) };
}

/** Headings for showing a known error ("What went wrong", "Cause", "Fix", "Source"). */
export function knownErrorLabels(lang: KnownErrorLang | string): KnownErrorLabels {
  return (lang === 'de' ? texts.de : texts.en).labels;
}
