// The workshop's languages. Every page, text file and server message exists in each.
import { z } from './zod.ts';

export const LOCALES = ['de', 'en'] as const;
export const localeSchema = z.enum(LOCALES);
export type Locale = z.infer<typeof localeSchema>;

/** The article's language; also the site's root and the fallback for a missing text. */
export const DEFAULT_LOCALE: Locale = 'de';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}
