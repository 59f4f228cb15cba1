// Serves a folder over HTTP on 127.0.0.1, as the site looks without the runner
// (opened from any static host). Used by browser tests of the plain site.
import { createServer, type Server } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';
import { launchBrowser } from './browser.ts';
import { requireDist } from './dist.ts';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.xml': 'application/xml',
  '.txt': 'text/plain',
};

export async function serveStatic(root: string): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(root + sep) && file !== root) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/html' });
      createReadStream(join(root, '404.html')).pipe(res);
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/**
 * Registers before/after hooks that serve the production build statically and
 * launch Chromium once for the calling test file. Read the fields inside tests.
 */
export function useStaticSiteAndBrowser(): { site: Awaited<ReturnType<typeof serveStatic>>; browser: import('playwright-core').Browser } {
  const shared = {} as { site: Awaited<ReturnType<typeof serveStatic>>; browser: import('playwright-core').Browser };
  before(async () => {
    shared.site = await serveStatic(requireDist());
    shared.browser = await launchBrowser();
  });
  after(async () => {
    await shared.browser?.close();
    await shared.site?.close();
  });
  return shared;
}
