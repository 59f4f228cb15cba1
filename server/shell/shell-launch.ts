// How to start a chosen shell so that the workshop's prompt hook is installed without
// touching the reader's own startup files (server/shell/integration/).
import { fileURLToPath } from 'node:url';
import type { ShellChoice } from './shell-choice.ts';

const INTEGRATION_DIR = fileURLToPath(new URL('./integration/', import.meta.url));

export interface ShellLaunch {
  file: string;
  args: string[];
  /** Variables to add to the session's environment. */
  env: Record<string, string>;
}

/**
 * `nonceEnv` names the private file the init script reads the marker nonce from and
 * deletes (server/session/containment.ts): the nonce itself is never in the environment,
 * where any child could read it from /proc/<shell pid>/environ.
 */
export function shellLaunch(choice: ShellChoice, nonceEnv: Record<string, string>, baseEnv: NodeJS.ProcessEnv): ShellLaunch {
  const env: Record<string, string> = { ...nonceEnv };
  const bashInit = `${INTEGRATION_DIR}bash-init.sh`;
  switch (choice.kind) {
    case 'bash':
      if (choice.wsl) {
        // WSL passes only the variables named in WSLENV into Linux (/p translates a path).
        env.WSLENV = [baseEnv.WSLENV, ...Object.keys(nonceEnv).map((key) => `${key}/p`), 'WORKSHOP_DIR/p', 'WORKSHOP_SESSION/u']
          .filter(Boolean)
          .join(':');
        return { file: choice.file, args: ['-e', 'bash', '--init-file', toWslPath(bashInit), '-i'], env };
      }
      // --init-file replaces ~/.bashrc for an interactive shell; bash-init.sh does the
      // login-shell startup itself and then installs the hook.
      return { file: choice.file, args: ['--init-file', bashInit, '-i'], env };
    case 'zsh':
      env.ZDOTDIR = `${INTEGRATION_DIR}zsh`;
      env.WORKSHOP_USER_ZDOTDIR = baseEnv.ZDOTDIR ?? baseEnv.HOME ?? '';
      return { file: choice.file, args: ['-l', '-i'], env };
    case 'powershell': {
      const script = `${INTEGRATION_DIR}powershell-init.ps1`.replace(/'/g, "''");
      return {
        file: choice.file,
        args: ['-NoLogo', '-NoExit', '-ExecutionPolicy', 'Bypass', '-Command', `. '${script}'`],
        env,
      };
    }
  }
}

/** C:\Users\me\x -> /mnt/c/Users/me/x (WSL's default automount). */
export function toWslPath(windowsPath: string): string {
  const match = /^([A-Za-z]):[\\/](.*)$/.exec(windowsPath);
  if (!match) return windowsPath.replace(/\\/g, '/');
  return `/mnt/${match[1].toLowerCase()}/${match[2].replace(/\\/g, '/')}`;
}
