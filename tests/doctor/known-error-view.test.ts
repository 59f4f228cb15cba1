// components/steps/known-error-view.ts in a real Chromium: the module is bundled with esbuild
// (Vite's own dependency) and loaded into a blank loopback page, as a step would use it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.ts';

let browser: Browser;
let bundle: string;

before(async () => {
  const result = await build({
    stdin: {
      contents: "import { showKnownError } from './components/steps/known-error-view.ts'; (globalThis as any).showKnownError = showKnownError;",
      resolveDir: new URL('../../', import.meta.url).pathname,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    write: false,
  });
  bundle = result.outputFiles[0]!.text;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('a failed step hint is shown as cause, fix and source, in German and English', async () => {
  const page = await browser.newPage();
  try {
    await page.setContent('<div id="de" hidden></div><div id="en" hidden></div><div id="x">fallback</div>');
    await page.addScriptTag({ content: bundle });
    const shown = await page.evaluate(() => {
      const show = (globalThis as unknown as { showKnownError: (el: HTMLElement, id: string, lang: string) => boolean }).showKnownError;
      return [
        show(document.getElementById('de')!, 'containerd-store-off', 'de'),
        show(document.getElementById('en')!, 'containerd-store-off', 'en'),
        show(document.getElementById('x')!, 'no-such-hint', 'en'),
      ];
    });
    assert.deepEqual(shown, [true, true, false]);
    const de = await page.locator('#de').innerText();
    assert.match(de, /Was schiefging/);
    assert.match(de, /Ursache: Dein Docker bewahrt Images im klassischen Image-Store auf/);
    assert.match(de, /Lösung: Schalte den containerd-Image-Store ein/);
    assert.equal(await page.locator('#de a').getAttribute('href'), 'https://docs.docker.com/engine/storage/containerd/');
    assert.equal(await page.locator('#de').isVisible(), true);
    const en = await page.locator('#en').innerText();
    assert.match(en, /Cause: Your Docker keeps images in the classic image store/);
    assert.match(en, /Fix: Turn on the containerd image store/);
    assert.equal(await page.locator('#x').innerText(), 'fallback');
  } finally {
    await page.close();
  }
});
