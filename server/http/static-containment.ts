// The built site is served with express.static, which refuses '..', dotfiles and null
// bytes but follows symbolic links. A link in dist/ (copied from public/, or made by a
// tool) could then hand out any file the reader can read. This check resolves the file a
// request would get and lets it through only when it really lies inside the site folder.
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';

/** Whether `path`, with every link resolved, lies inside `root` (also resolved). */
function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

async function resolved(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch {
    return undefined; // missing: express.static answers 404 itself
  }
}

/**
 * False when the URL path names a file (or a folder whose index.html) that resolves to
 * somewhere outside `staticDir`. Paths that cannot be decoded or do not exist are left to
 * express.static, which refuses or 404s them.
 */
export async function staysInside(staticDir: string, urlPath: string): Promise<boolean> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return true;
  }
  if (decoded.includes('\0')) return true;
  const root = await resolved(staticDir);
  if (!root) return true;
  const target = await resolved(join(staticDir, decoded));
  if (!target) return true;
  if (!inside(root, target)) return false;
  if ((await stat(target)).isDirectory()) {
    const index = await resolved(join(target, 'index.html'));
    if (index && !inside(root, index)) return false;
  }
  return true;
}
