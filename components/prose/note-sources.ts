// The rule every "Changed since 2023" and "Correction" note obeys: it states something
// the 2023 article did not, so it names itself (an id, the same in both languages) and
// carries at least one source a reader can click. The components call this in their
// frontmatter; a violation throws, and a throw while rendering fails `astro build`.

export interface NoteSource {
  /** Where the fact is documented: a full URL, a site path ("/de/…") or an anchor on the page ("#…"). */
  href: string;
  /** Link text, in the page's language. */
  label: string;
}

export interface CheckedNote {
  id: string;
  sources: NoteSource[];
}

/** Lower-case words joined by hyphens: stable, readable, and usable in an HTML id. */
const NOTE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Something a browser can follow. "docker/docs#23824" is a label, not a link. */
const LINK = /^(?:https?:\/\/[^\s]+|\/[^\s]*|#[^\s]+)$/;

export function checkNoteProps(component: string, props: { id?: unknown; sources?: unknown }): CheckedNote {
  const { id, sources } = props;
  const name = typeof id === 'string' && id !== '' ? `<${component} id="${id}">` : `<${component}>`;
  const fail = (why: string): never => {
    throw new Error(`${name}: ${why}`);
  };

  if (typeof id !== 'string' || !NOTE_ID.test(id)) {
    fail('give the note an id in kebab-case, e.g. id="rust-wasi-target"; German and English use the same id');
  }
  if (!Array.isArray(sources) || sources.length === 0) {
    fail('give at least one source, e.g. sources={[{ href: "https://…", label: "…" }]}');
  }
  const checked = (sources as unknown[]).map((source, index) => {
    const { href, label } = (source ?? {}) as { href?: unknown; label?: unknown };
    if (typeof href !== 'string' || !LINK.test(href)) {
      fail(`source ${index + 1} needs an href a reader can click (https://…, /path or #anchor), got ${JSON.stringify(href)}`);
    }
    if (typeof label !== 'string' || label.trim() === '') {
      fail(`source ${index + 1} (${String(href)}) needs a label`);
    }
    return { href: href as string, label: label as string };
  });
  return { id: id as string, sources: checked };
}
