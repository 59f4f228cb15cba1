// Where the built pages use which steps, and what is wrong with that. Pure functions:
// the Astro integration (step-manifest.ts) feeds them the built HTML, the tests feed
// them small strings. The rules are the contract in docs/steps.md.

/** The steps one built page shows, in page order. */
export interface PageSteps {
  /** Language folder of the page, e.g. "de". */
  lang: string;
  /** Page slug without the language, e.g. "build" ("" for the language's home page). */
  slug: string;
  /** The ids of the page's <Step/> elements, in order, duplicates kept. */
  stepIds: string[];
}

// Step.astro renders <workshop-step ... data-step-id="...">. Matching the element name as
// well as the attribute keeps other markup (progress lists, examples in code blocks, which
// are HTML-escaped anyway) from counting as a use.
const STEP_ELEMENT = /<workshop-step\b[^>]*?\sdata-step-id="([^"]*)"/g;

/** The step ids that a built HTML page renders, in order. */
export function findStepIds(html: string): string[] {
  return [...html.matchAll(STEP_ELEMENT)].map((match) => match[1]);
}

/** Splits a built page's path ("de/build/", "/en/", "de/build/index.html") into language and slug. */
export function pageOf(pathname: string, locales: readonly string[]): { lang: string; slug: string } | undefined {
  const parts = pathname
    .replace(/(^|\/)index\.html$/, '')
    .split('/')
    .filter(Boolean);
  const [lang, ...rest] = parts;
  if (!lang || !locales.includes(lang)) return undefined;
  return { lang, slug: rest.join('/') };
}

const where = (lang: string, slug: string) => `/${lang}/${slug ? `${slug}/` : ''}`;

/**
 * Every problem with the pages' use of steps, as sentences that say what to fix;
 * an empty list means the build may go on. Rules: a step id appears at most once per
 * language; every id a page uses is in the manifest; the page with the same slug in every
 * other language uses the same ids.
 */
export function checkStepUsage(
  pages: readonly PageSteps[],
  knownIds: ReadonlySet<string>,
  locales: readonly string[],
): string[] {
  const problems: string[] = [];

  // id -> lang -> pages (by slug) that use it, one entry per use
  const uses = new Map<string, Map<string, string[]>>();
  for (const page of pages) {
    for (const id of page.stepIds) {
      if (!knownIds.has(id)) {
        problems.push(`${where(page.lang, page.slug)} uses step "${id}", which is not in content/steps.ts.`);
        continue;
      }
      const byLang = uses.get(id) ?? new Map<string, string[]>();
      uses.set(id, byLang);
      byLang.set(page.lang, [...(byLang.get(page.lang) ?? []), page.slug]);
    }
  }

  for (const [id, byLang] of [...uses].sort(([a], [b]) => a.localeCompare(b))) {
    for (const [lang, slugs] of byLang) {
      if (slugs.length > 1) {
        problems.push(
          `step "${id}" is used ${slugs.length} times in "${lang}" (${slugs.map((s) => where(lang, s)).join(', ')}); use each step once per language.`,
        );
      }
    }
    const slugsOf = (lang: string) => [...new Set(byLang.get(lang) ?? [])].sort();
    for (const lang of locales) {
      for (const other of locales) {
        if (other === lang) continue;
        for (const slug of slugsOf(lang)) {
          if (slugsOf(other).includes(slug)) continue;
          const elsewhere = slugsOf(other).map((s) => where(other, s));
          problems.push(
            elsewhere.length > 0
              ? `step "${id}" is on ${where(lang, slug)} but on ${elsewhere.join(', ')} in "${other}"; put it on ${where(other, slug)}.`
              : `step "${id}" is on ${where(lang, slug)} but missing in "${other}"; add <Step id="${id}"/> to ${where(other, slug)}.`,
          );
        }
      }
    }
  }
  return problems;
}

/** Step ids per language and page slug, for the manifest: { de: { build: ["hello-node-wasi"] } }. */
export function stepsByPage(pages: readonly PageSteps[]): Record<string, Record<string, string[]>> {
  const result: Record<string, Record<string, string[]>> = {};
  for (const page of [...pages].sort((a, b) => a.lang.localeCompare(b.lang) || a.slug.localeCompare(b.slug))) {
    if (page.stepIds.length === 0) continue;
    (result[page.lang] ??= {})[page.slug] = [...page.stepIds];
  }
  return result;
}
