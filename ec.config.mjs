// @ts-check
// Expressive Code options (Starlight's code blocks). They live here, not in
// astro.config.mjs, because the <Code> component of the runnable steps can only use
// plugins from this file (a plugin is not serializable into the Astro config).
import { defineEcConfig } from '@astrojs/starlight/expressive-code';
import { pluginTranscript } from './integrations/transcript-plugin.ts';

export default defineEcConfig({
  // Blocks marked `transcript` copy only their commands (integrations/transcript-plugin.ts).
  plugins: [pluginTranscript()],
});
