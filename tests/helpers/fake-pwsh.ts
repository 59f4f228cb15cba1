// A shell named pwsh (so shellKindOf() takes it for PowerShell) that is really bash with the
// workshop's bash prompt hook: CI has no PowerShell. It ignores PowerShell's arguments. Good
// for what needs no PowerShell behaviour, e.g. a step the runner refuses before typing; a
// command the runner did type would run as bash and show in the terminal.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BASH_INIT = fileURLToPath(new URL('../../server/shell/integration/bash-init.sh', import.meta.url));

export interface FakePwsh {
  /** The executable, …/pwsh. */
  file: string;
  dispose(): Promise<void>;
}

export async function makeFakePwsh(): Promise<FakePwsh> {
  const dir = await mkdtemp(join(tmpdir(), 'fake-pwsh-'));
  const file = join(dir, 'pwsh');
  await writeFile(file, `#!/bin/bash\nexec /bin/bash --init-file '${BASH_INIT.replace(/'/g, "'\\''")}' -i\n`);
  await chmod(file, 0o755);
  return { file, dispose: () => rm(dir, { recursive: true, force: true }) };
}
