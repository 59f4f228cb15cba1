// Opening the browser with the ready URL as an argument would put the token on a command
// line, where every local user can read it (ps, /proc/PID/cmdline) while that process
// lives; a browser started that way keeps it for its whole session. As Jupyter does, the
// runner instead writes a small page only this user can read, opens that, and the page
// forwards to the ready URL. The file goes away when the runner stops.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface LaunchPage {
  /** The page on disk (in a folder only this user may enter). */
  path: string;
  /** file:// URL to hand to the browser; it carries no token. */
  fileUrl: string;
  remove(): Promise<void>;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export async function writeLaunchPage(readyUrl: string, parentDir = tmpdir()): Promise<LaunchPage> {
  // mkdtemp creates the folder with mode 0700.
  const folder = await mkdtemp(join(parentDir, 'wasm-docker-workshop-open-'));
  const path = join(folder, 'open.html');
  const href = escapeHtml(readyUrl);
  // No words to translate: the link shows the address itself, in case the refresh is blocked.
  const html = [
    '<!doctype html>',
    '<meta charset="utf-8">',
    '<meta name="referrer" content="no-referrer">',
    `<meta http-equiv="refresh" content="0;url=${href}">`,
    '<title>wasm-docker-workshop</title>',
    `<p><a href="${href}">${href}</a></p>`,
    '',
  ].join('\n');
  await writeFile(path, html, { mode: 0o600 });
  return { path, fileUrl: pathToFileURL(path).href, remove: () => rm(folder, { recursive: true, force: true }) };
}
