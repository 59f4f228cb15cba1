// node-pty 1.1.0 opens each pty master without close-on-exec on Linux (forkpty), so
// every later shell inherited the masters of all earlier sessions and could type into
// them (issue 10, hole 4; fixed upstream only in the 1.2 betas). The shell is therefore
// started through a one-line launcher that closes every descriptor >= 3 and then execs
// the real shell. The launcher is the chosen shell itself (bash >= 4.1 and zsh both
// close a descriptor named by a variable, `exec {n}>&-`; dash cannot), run without any
// startup file. It also moves itself into the session's cgroup, if there is one, so that
// no process of the shell is ever born outside it.
// macOS (node-pty spawns with POSIX_SPAWN_CLOEXEC_DEFAULT) and Windows (ConPTY) need none.
import type { ShellChoice } from './shell-choice.ts';
import type { ShellLaunch } from './shell-launch.ts';

/** Where a non-interactive bash would look for a startup file; kept aside for the launcher. */
const SAVED_BASH_ENV = 'WORKSHOP_SAVED_BASH_ENV';

// /proc/self/fd is listed before the loop closes anything; the descriptor of that
// listing is already closed again, and closing a closed descriptor is harmless.
const SCRIPT = [
  'for __f in /proc/self/fd/*; do __n=${__f##*/}; if [ "$__n" -gt 2 ]; then exec {__n}>&-; fi; done',
  `if [ -n "\${${SAVED_BASH_ENV}+x}" ]; then export BASH_ENV="$${SAVED_BASH_ENV}"; unset ${SAVED_BASH_ENV}; fi`,
  'unset __f __n',
  // Join the session's cgroup before the shell runs anything (server/session/cgroup.ts).
  'if [ -n "${WORKSHOP_CGROUP_PROCS-}" ]; then { echo $$ > "$WORKSHOP_CGROUP_PROCS"; } 2>/dev/null; fi',
  'unset WORKSHOP_CGROUP_PROCS',
  'exec "$@"',
].join('\n');

/**
 * The launch wrapped so that the shell starts with only stdin, stdout and stderr open.
 * `env` is the session's full environment; the returned one is what to spawn with.
 */
export function withOnlyStdDescriptors(
  choice: ShellChoice,
  launch: ShellLaunch,
  env: Record<string, string>,
  platform: NodeJS.Platform = process.platform,
): { file: string; args: string[]; env: Record<string, string> } {
  if (platform !== 'linux' || choice.wsl || (choice.kind !== 'bash' && choice.kind !== 'zsh')) {
    return { file: launch.file, args: launch.args, env };
  }
  const spawnEnv = { ...env };
  if (spawnEnv.BASH_ENV !== undefined) {
    spawnEnv[SAVED_BASH_ENV] = spawnEnv.BASH_ENV;
    delete spawnEnv.BASH_ENV;
  }
  // bash -c reads no rc file (only BASH_ENV, moved aside above); zsh -f reads only /etc/zshenv.
  const quiet = choice.kind === 'bash' ? ['--noprofile', '--norc'] : ['-f'];
  return { file: choice.file, args: [...quiet, '-c', SCRIPT, launch.file, launch.file, ...launch.args], env: spawnEnv };
}
