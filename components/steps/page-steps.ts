// Which steps each chapter shows, read from the MDX sources at build time, for the
// progress panel. The build check (integrations/step-manifest.ts) verifies the built
// pages; this only needs the same <Step id="..."/> uses to count them.
const sources = import.meta.glob<string>('../../content/docs/**/*.mdx', { query: '?raw', import: 'default', eager: true });

const STEP_USE = /<Step\s+id=["']([^"']+)["']/g;

/** Step ids per chapter slug ("" for the home page) of one language, in page order. */
export function stepsPerChapter(lang: string): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  const prefix = `../../content/docs/${lang}/`;
  for (const [path, source] of Object.entries(sources)) {
    if (!path.startsWith(prefix)) continue;
    const slug = path.slice(prefix.length).replace(/\.mdx$/, '').replace(/(^|\/)index$/, '');
    const ids = [...source.matchAll(STEP_USE)].map((m) => m[1]);
    if (ids.length > 0) result[slug] = ids;
  }
  return result;
}
