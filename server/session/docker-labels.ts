// Containers a session starts belong to it. The runner puts a `docker` wrapper first on
// each session's PATH that adds labels at creation (`docker run`, `docker create`,
// `docker container run|create`), and removes the containers by label when the session
// ends. Compose projects are found by the label Compose itself sets: the project's
// folder, inside the session's workspace. The wrapper is a convenience, not a wall: a
// reader who calls the real docker by its full path starts containers we do not label.
import { execFile } from 'node:child_process';
import { accessSync, constants, writeFileSync } from 'node:fs';
import { delimiter, join, resolve, sep } from 'node:path';

export const LABEL_RUNNER = 'wasm-docker-workshop.runner';
export const LABEL_SESSION = 'wasm-docker-workshop.session';
export const LABEL_UID = 'wasm-docker-workshop.uid';
const COMPOSE_DIR_LABEL = 'com.docker.compose.project.working_dir';

/** The real docker CLI on `path`, skipping `skipDir` (where our wrapper lives). */
export function findDocker(path: string | undefined, skipDir: string): string | undefined {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir || resolve(dir) === resolve(skipDir)) continue;
    const file = join(dir, 'docker');
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

function shQuote(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

/** Name of the file (in the private folder) that says a session has called docker. */
export function dockerUsedMark(privateDir: string, sessionId: string): string {
  return join(privateDir, `docker-used-${sessionId.replace(/[^\w-]/g, '_')}`);
}

/**
 * Writes the wrapper `docker` into `binDir`. It also leaves a mark in `privateDir` per
 * session, so that ending a session that never called docker costs no docker call.
 */
export function writeDockerWrapper(binDir: string, privateDir: string, realDocker: string, runnerId: string, uid: number): void {
  const script = `#!/bin/sh
# The workshop runner's docker wrapper (server/session/docker-labels.ts): labels the
# containers this terminal creates, so that they are removed when the terminal ends.
real=${shQuote(realDocker)}
case \${WORKSHOP_SESSION-} in *[!A-Za-z0-9_-]*) ;; *) : 2>/dev/null > ${shQuote(join(privateDir, 'docker-used-'))}"\${WORKSHOP_SESSION-}" ;; esac
k=0; i=0; skip=; sub=
for a do
  i=$((i + 1))
  if [ -n "$skip" ]; then skip=; continue; fi
  if [ -z "$sub" ]; then
    case $a in
      -H|--host|-c|--context|--config|-l|--log-level|--tlscacert|--tlscert|--tlskey) skip=1 ;;
      -*) ;;
      container) sub=container ;;
      run|create) k=$i; break ;;
      *) break ;;
    esac
  else
    case $a in run|create) k=$i ;; esac
    break
  fi
done
if [ "$k" -gt 0 ]; then
  n=$#; i=0
  for a do
    i=$((i + 1))
    set -- "$@" "$a"
    if [ "$i" -eq "$k" ]; then
      set -- "$@" --label ${shQuote(`${LABEL_RUNNER}=${runnerId}`)} --label ${shQuote(`${LABEL_UID}=${uid}`)} --label "${LABEL_SESSION}=\${WORKSHOP_SESSION-}"
    fi
  done
  shift "$n"
fi
exec "$real" "$@"
`;
  writeFileSync(join(binDir, 'docker'), script, { mode: 0o700 });
}

function docker(realDocker: string, args: string[], timeoutMs = 15_000): Promise<string> {
  return new Promise((done) => {
    execFile(realDocker, args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (error, stdout) => done(error ? '' : stdout));
  });
}

/** Containers with `label`, with the value of `withLabel` for each. */
async function containersWith(realDocker: string, label: string, withLabel: string): Promise<Array<{ id: string; value: string }>> {
  const text = await docker(realDocker, ['ps', '-a', '--no-trunc', '--filter', `label=${label}`, '--format', `{{.ID}}\t{{.Label "${withLabel}"}}`]);
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [id, value = ''] = line.split('\t');
      return { id, value };
    });
}

async function removeContainers(realDocker: string, ids: string[]): Promise<void> {
  if (ids.length > 0) await docker(realDocker, ['rm', '--force', '--volumes', ...ids], 30_000);
}

/** Containers of Compose projects whose folder is inside one of `dirs`. */
async function composeContainersIn(realDocker: string, dirs: string[]): Promise<Array<{ id: string }>> {
  if (dirs.length === 0) return [];
  const roots = dirs.map((dir) => resolve(dir) + sep);
  return (await containersWith(realDocker, COMPOSE_DIR_LABEL, COMPOSE_DIR_LABEL)).filter(
    ({ value }) => value && roots.some((root) => (resolve(value) + sep).startsWith(root)),
  );
}

/** Stops and removes the containers of a session: labelled ones, and Compose projects in its workspace. */
export async function removeSessionContainers(realDocker: string, sessionId: string, workspaceDir: string): Promise<void> {
  const labelled = await containersWith(realDocker, `${LABEL_SESSION}=${sessionId}`, LABEL_SESSION);
  const compose = await composeContainersIn(realDocker, [workspaceDir]);
  await removeContainers(realDocker, [...new Set([...labelled, ...compose].map(({ id }) => id))]);
}

/** Removes the Compose projects inside the workspaces a killed runner had (read from its private folder). */
export async function removeComposeContainersIn(realDocker: string, dirs: string[]): Promise<void> {
  await removeContainers(realDocker, (await composeContainersIn(realDocker, dirs)).map(({ id }) => id));
}

/** Removes the containers of this user's runners for which `isGone(runnerId)` holds. */
export async function removeLeftoverContainers(realDocker: string, uid: number, isGone: (runnerId: string) => boolean): Promise<number> {
  const mine = await containersWith(realDocker, `${LABEL_UID}=${uid}`, LABEL_RUNNER);
  const ids = mine.filter(({ value }) => value && isGone(value)).map(({ id }) => id);
  await removeContainers(realDocker, ids);
  return ids.length;
}
