// The dashboard's three files: the HTML shell (no inline script, so its CSP needs no hash),
// the stylesheet, and the script, bundled once per process from dashboard-page.ts with
// esbuild (the bundler tsx runs on), so the page shares contracts/ with the server.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import de from '../../content/locales/de/class.json' with { type: 'json' };
import en from '../../content/locales/en/class.json' with { type: 'json' };

export interface DashboardAssets {
  html(lang: 'de' | 'en'): string;
  script: string;
  style: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export async function dashboardAssets(): Promise<DashboardAssets> {
  const bundled = await build({
    entryPoints: [fileURLToPath(new URL('./dashboard-page.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
  });
  const script = bundled.outputFiles[0].text;
  const style = await readFile(new URL('./dashboard.css', import.meta.url), 'utf8');
  return {
    script,
    style,
    html: (lang) => {
      const t = lang === 'de' ? de.dashboard : en.dashboard;
      return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${escapeHtml(t.title)}</title>
<link rel="stylesheet" href="/dashboard/dashboard.css">
<script type="module" src="/dashboard/dashboard.js"></script>
</head>
<body>
<main id="dashboard"><p>${escapeHtml(t.connecting)}</p></main>
</body>
</html>
`;
    },
  };
}
