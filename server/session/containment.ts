// Everything a runner needs so that nothing outlives a session (issue 10, holes 5 and 7):
//   - a private folder (mkdtemp, 0700) for the session's marker nonce and the docker wrapper;
//   - a cgroup per session where the kernel offers one (Linux, cgroup v2 with write access),
//     else the process tree and the marker variable (server/session/process-tree.ts);
//   - labels on the session's containers, removed when it ends (server/session/docker-labels.ts);
//   - at startup, the cleanup of what a runner that was killed (SIGKILL, power loss) left.
// What each of these defends, and what not: docs/security.md.
import { appendFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { lstat, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Log } from '../app/log.ts';
import { createRunnerCgroup, createSessionCgroup, endCgroup, endRunnerCgroup, moveInto, ownCgroupDir, runnerCgroups } from './cgroup.ts';
import { dockerUsedMark, findDocker, removeComposeContainersIn, removeLeftoverContainers, removeSessionContainers, writeDockerWrapper } from './docker-labels.ts';
import { killLeftoverProcesses, killSessionProcesses, RUNNER_MARKER_VAR } from './process-tree.ts';
import { newRunnerId, runnerMayBeAlive } from './runner-identity.ts';

export const PRIVATE_DIR_PREFIX = 'wasm-docker-workshop-runner-';
/** Variable naming the file the shell's init script reads the nonce from (and deletes). */
export const NONCE_FILE_VAR = 'WORKSHOP_MARKER_FILE';
/** Time to exit after the hang-up before the kill: enough for a tool to drop its lock. */
export const DEFAULT_GRACE_MS = 1000;
/** In the private folder: one line per session workspace, for the Compose cleanup after a SIGKILL. */
const WORKSPACES_FILE = 'workspaces';

export interface ContainmentOptions {
  log: Log;
  /** Where the private folder goes; default the system temp folder. */
  tmpDir?: string;
  /** The PATH the sessions start with (to find the real docker). */
  path?: string;
  graceMs?: number;
  /** false: never use a cgroup (tests of the fallback). */
  cgroups?: boolean;
}

const uid = () => (typeof process.getuid === 'function' ? process.getuid() : -1);

export class RunnerContainment {
  readonly id = newRunnerId();
  readonly privateDir: string;
  readonly binDir: string;
  readonly realDocker: string | undefined;
  readonly cgroup: string | undefined;
  readonly graceMs: number;
  private readonly tmpDir: string;
  private readonly log: Log;
  private closed = false;

  constructor(options: ContainmentOptions) {
    this.log = options.log;
    this.graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    this.tmpDir = options.tmpDir ?? tmpdir();
    // mkdtemp: a fresh name nobody could have prepared, created 0700.
    this.privateDir = mkdtempSync(join(this.tmpDir, `${PRIVATE_DIR_PREFIX}${this.id}-`));
    this.binDir = join(this.privateDir, 'bin');
    mkdirSync(this.binDir, { mode: 0o700 });
    this.realDocker = findDocker(options.path ?? process.env.PATH, this.binDir);
    if (this.realDocker) writeDockerWrapper(this.binDir, this.privateDir, this.realDocker, this.id, uid());
    const parent = options.cgroups === false ? undefined : ownCgroupDir();
    this.cgroup = parent ? createRunnerCgroup(parent, this.id) : undefined;
    this.log('info', 'containment', { runner: this.id, cgroup: this.cgroup ?? null, docker: this.realDocker ?? null });
  }

  /** The environment a session adds, given the PATH it would otherwise have. */
  sessionEnv(path: string | undefined): Record<string, string> {
    if (!this.realDocker) return { [RUNNER_MARKER_VAR]: this.id };
    // WORKSHOP_BIN: the init scripts put it first again after the reader's profile,
    // which may set PATH from scratch (Debian's /etc/profile does for root).
    return {
      [RUNNER_MARKER_VAR]: this.id,
      WORKSHOP_BIN: this.binDir,
      PATH: [this.binDir, path].filter(Boolean).join(delimiter),
    };
  }

  forSession(sessionId: string, workspaceDir: string): SessionContainment {
    let cgroup: string | undefined;
    if (this.cgroup && !this.closed) {
      try {
        cgroup = createSessionCgroup(this.cgroup, sessionId);
      } catch (error) {
        this.log('warn', 'cgroup-failed', { session: sessionId, error: String(error) });
      }
    }
    try {
      appendFileSync(join(this.privateDir, WORKSPACES_FILE), `${workspaceDir}\n`, { mode: 0o600 });
    } catch {
      // Only the cleanup after a SIGKILL needs it.
    }
    return new SessionContainment(this, sessionId, workspaceDir, cgroup);
  }

  /**
   * Cleans up after runners of this user that are gone: their cgroups (with every
   * process in them), processes marked with their id, containers labelled with it, and
   * their private folders. Leftovers of runners that still run are left alone.
   */
  async cleanUpLeftovers(): Promise<void> {
    const gone = (id: string) => id !== this.id && !runnerMayBeAlive(id);
    const parent = this.cgroup ? join(this.cgroup, '..') : ownCgroupDir();
    const work: Array<Promise<unknown>> = [];
    if (parent) {
      for (const [id, dir] of await runnerCgroups(parent)) if (gone(id)) work.push(endRunnerCgroup(dir, 0));
    }
    work.push(killLeftoverProcesses(gone));
    if (this.realDocker) work.push(removeLeftoverContainers(this.realDocker, uid(), gone));
    work.push(this.removeLeftoverDirs(gone));
    const results = await Promise.allSettled(work);
    for (const result of results) {
      if (result.status === 'rejected') this.log('warn', 'cleanup-failed', { error: String(result.reason) });
    }
  }

  private async removeLeftoverDirs(gone: (id: string) => boolean): Promise<void> {
    for (const name of await readdir(this.tmpDir).catch(() => [] as string[])) {
      if (!name.startsWith(PRIVATE_DIR_PREFIX)) continue;
      const id = name.slice(PRIVATE_DIR_PREFIX.length).replace(/-[^-]+$/, '');
      const path = join(this.tmpDir, name);
      // Only real folders of our own user, never through a symlink.
      const info = await lstat(path).catch(() => undefined);
      if (!info?.isDirectory() || (uid() >= 0 && info.uid !== uid()) || !gone(id)) continue;
      if (this.realDocker) {
        const workspaces = await readFile(join(path, WORKSPACES_FILE), 'utf8').catch(() => '');
        await removeComposeContainersIn(this.realDocker, workspaces.split('\n').filter(Boolean));
      }
      await rm(path, { recursive: true, force: true });
    }
  }

  /** Removes the private folder and the runner's cgroup (after its sessions have ended). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.cgroup) await endRunnerCgroup(this.cgroup, 0);
    rmSync(this.privateDir, { recursive: true, force: true });
  }
}

export class SessionContainment {
  private nonceFile: string | undefined;

  constructor(
    private readonly runner: RunnerContainment,
    readonly sessionId: string,
    private readonly workspaceDir: string,
    readonly cgroup: string | undefined,
  ) {}

  /**
   * Hands the nonce to the shell through a file only we can read; the init script reads
   * and deletes it before the first prompt. Returns the variables that name it (and the
   * cgroup the launcher joins before it starts the shell).
   */
  launchEnv(nonce: string): Record<string, string> {
    this.nonceFile = join(this.runner.privateDir, `nonce-${this.sessionId.replace(/[^\w-]/g, '_')}`);
    writeFileSync(this.nonceFile, nonce, { mode: 0o600, flag: 'wx' });
    const env: Record<string, string> = { [NONCE_FILE_VAR]: this.nonceFile };
    if (this.cgroup) env.WORKSHOP_CGROUP_PROCS = join(this.cgroup, 'cgroup.procs');
    return env;
  }

  /** After the spawn: the shell joins the cgroup (the launcher did already; this covers a race). */
  adopt(pid: number): void {
    if (!this.cgroup) return;
    try {
      moveInto(this.cgroup, pid);
    } catch {
      // The shell has already exited.
    }
  }

  /** Ends every process and container of the session. */
  async end(shellPid: number): Promise<void> {
    this.removeNonceFile();
    // A session that never called docker (through the wrapper) has no containers to look for.
    const usedDocker = this.runner.realDocker !== undefined && existsSync(dockerUsedMark(this.runner.privateDir, this.sessionId));
    const containers = usedDocker
      ? removeSessionContainers(this.runner.realDocker!, this.sessionId, this.workspaceDir)
      : Promise.resolve();
    const processes = this.cgroup
      ? endCgroup(this.cgroup, this.runner.graceMs)
      : killSessionProcesses(shellPid, this.sessionId, this.runner.graceMs);
    await Promise.all([processes, containers]);
  }

  private removeNonceFile(): void {
    if (!this.nonceFile) return;
    try {
      if (lstatSync(this.nonceFile).isFile()) unlinkSync(this.nonceFile);
    } catch {
      // The init script has deleted it, as it should.
    }
  }
}

/** Names of the private folders of this user's runners in `dir` (tests). */
export function privateDirsIn(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.startsWith(PRIVATE_DIR_PREFIX));
}
