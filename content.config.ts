import { defineCollection } from 'astro:content';
import { docsLoader, i18nLoader } from '@astrojs/starlight/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';

export const collections = {
  docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }),
  // Starlight's own UI strings plus the workshop's (keys starting with "workshop.").
  // Starlight's schema is a loose object, so the workshop's keys pass as they are; it is
  // partial: a missing key falls back to the default locale, never crashes.
  i18n: defineCollection({ loader: i18nLoader(), schema: i18nSchema() }),
};
