// Which shell a session runs, decided from the platform alone. Kept free of side
// effects (the facts come in as arguments) so that every platform can be unit tested
// on Linux, the only platform CI runs.
import { basename, win32 } from 'node:path';

import type { ShellKind } from '../../contracts/terminal-protocol.ts';

export type { ShellKind };

export interface ShellChoice {
  kind: ShellKind;
  /** Executable to spawn. */
  file: string;
  /** WSL's bash, reached through wsl.exe: paths and env need translating. */
  wsl?: boolean;
}

export interface PlatformFacts {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  exists: (path: string) => boolean;
}

/** The kind of shell an executable is, from its file name; undefined for shells we cannot integrate. */
export function shellKindOf(file: string): ShellKind | undefined {
  const name = (file.includes('\\') ? win32.basename(file) : basename(file)).toLowerCase().replace(/\.exe$/, '');
  if (name === 'bash') return 'bash';
  if (name === 'zsh') return 'zsh';
  if (name === 'pwsh' || name === 'powershell') return 'powershell';
  return undefined;
}

/**
 * macOS and Linux: the reader's $SHELL when it is bash or zsh, else the first bash or
 * zsh found. Windows: Git Bash, then WSL's bash, then PowerShell 7, then Windows PowerShell.
 */
export function chooseShell(facts: PlatformFacts): ShellChoice {
  return facts.platform === 'win32' ? chooseWindowsShell(facts) : chooseUnixShell(facts);
}

function chooseUnixShell({ platform, env, exists }: PlatformFacts): ShellChoice {
  const own = env.SHELL;
  if (own) {
    const kind = shellKindOf(own);
    if ((kind === 'bash' || kind === 'zsh') && exists(own)) return { kind, file: own };
  }
  // macOS has shipped zsh as the default since 10.15; its /bin/bash is the old 3.2.
  const fallbacks =
    platform === 'darwin'
      ? ['/bin/zsh', '/opt/homebrew/bin/bash', '/usr/local/bin/bash', '/bin/bash']
      : ['/bin/bash', '/usr/bin/bash', '/bin/zsh', '/usr/bin/zsh', '/usr/local/bin/bash'];
  for (const file of fallbacks) {
    const kind = shellKindOf(file);
    if (kind && exists(file)) return { kind, file };
  }
  throw new Error('No bash or zsh found. Install bash (or zsh) or set SHELL to its path, then start the workshop again.');
}

function chooseWindowsShell({ env, exists }: PlatformFacts): ShellChoice {
  const join = win32.join;
  const programDirs = [env.ProgramW6432, env.ProgramFiles, env['ProgramFiles(x86)']].filter(Boolean) as string[];
  const gitBash = [
    ...programDirs.map((dir) => join(dir, 'Git', 'bin', 'bash.exe')),
    ...(env.LOCALAPPDATA ? [join(env.LOCALAPPDATA, 'Programs', 'Git', 'bin', 'bash.exe')] : []),
  ];
  for (const file of gitBash) if (exists(file)) return { kind: 'bash', file };

  const systemRoot = env.SystemRoot ?? env.windir ?? 'C:\\Windows';
  const wsl = join(systemRoot, 'System32', 'wsl.exe');
  if (exists(wsl)) return { kind: 'bash', file: wsl, wsl: true };

  for (const file of programDirs.map((dir) => join(dir, 'PowerShell', '7', 'pwsh.exe'))) {
    if (exists(file)) return { kind: 'powershell', file };
  }
  return { kind: 'powershell', file: join(systemRoot, 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe') };
}
