// The runner's reader-facing texts for its error and reason codes, in one language, for
// the components to hand to the page (build time only: the JSON is not shipped as code).
import de from '../../content/locales/de/runner.json';
import en from '../../content/locales/en/runner.json';

export type RunnerTexts = typeof en;

export function runnerTexts(lang: string | undefined): RunnerTexts {
  return lang === 'de' ? de : en;
}
