// `npm run clean`: deletes the reader's workspaces (the private root in their data folder,
// server/workspace/private-root.ts), the one way besides "Reset workspace" to lose them.
// Options and exit codes: docs/cli.md.
import { lstat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { checkPrivateFolder, UnsafeFolderError, userDataDir, workspaceRootOf } from '../workspace/private-root.ts';
import { removeTree } from '../workspace/workspace.ts';
import { cliText } from './runner-texts.ts';

async function main(args: string[]): Promise<number> {
  let dataDir = userDataDir();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') {
      console.log(cliText('cleanUsage', { root: workspaceRootOf(dataDir) }));
      return 0;
    }
    if (arg === '--data-dir' && args[i + 1]) dataDir = resolve(args[++i]);
    else {
      console.error(cliText('cleanBadArgument', { option: arg }));
      return 2;
    }
  }
  const root = workspaceRootOf(dataDir);
  try {
    await lstat(root);
  } catch {
    console.log(cliText('cleanNothing', { root }));
    return 0;
  }
  try {
    // The same checks as the runner's: never delete through a link or in a folder of someone else.
    await checkPrivateFolder(dirname(root));
    await checkPrivateFolder(root);
    await removeTree(root);
  } catch (error) {
    const message =
      error instanceof UnsafeFolderError
        ? cliText('unsafeFolder', { path: error.path, reason: cliText(`unsafeFolder.${error.reason}`) })
        : error instanceof Error
          ? error.message
          : String(error);
    console.error(cliText('cleanFailed', { message }));
    return 1;
  }
  console.log(cliText('cleanDone', { root }));
  return 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
