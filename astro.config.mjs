// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import mdx from '@astrojs/mdx';
import stepManifest from './integrations/step-manifest.ts';

// srcDir '.' keeps the layout flat: content/, components/, pages/ at the top level.
export default defineConfig({
  srcDir: '.',
  outDir: './dist',
  site: 'http://127.0.0.1:4321',
  integrations: [
    starlight({
      title: { de: 'WebAssembly-Docker-Workshop', en: 'WebAssembly Docker Workshop' },
      defaultLocale: 'de',
      locales: {
        de: { label: 'Deutsch', lang: 'de' },
        en: { label: 'English', lang: 'en' },
      },
      // Runnable steps: the terminal dock under every page, progress above the sidebar.
      // Long commands wrap instead of hiding behind a scroll bar (issue 12); the copy
      // button still copies the command exactly.
      expressiveCode: { defaultProps: { wrap: true } },
      customCss: ['./components/layout/site.css'],
      components: {
        PageFrame: './components/terminal/TerminalPageFrame.astro',
        Sidebar: './components/steps/ProgressSidebar.astro',
      },
      // Chapter slugs are the same in both languages; Starlight localises the labels
      // from each page's title.
      sidebar: [
        'index',
        'why',
        'how',
        'setup',
        'build',
        'run',
        'compose',
        'performance',
        'further-reading',
      ],
    }),
    mdx(),
    // Checks how pages use steps and writes <outDir>/workshop-steps.json for the runner (docs/steps.md).
    stepManifest({ locales: ['de', 'en'] }),
  ],
});
