// Types Starlight's t() with the workshop's own UI strings (keys "workshop.…"), so a
// mistyped key fails `astro check` instead of showing the key to the reader.
// English is the reference: content/i18n/de.json must have the same keys (tests/doctor/locale-texts.test.ts).
declare namespace StarlightApp {
  type UIStrings = typeof import('./content/i18n/en.json');
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- Starlight's documented augmentation
  interface I18n extends UIStrings {}
}
