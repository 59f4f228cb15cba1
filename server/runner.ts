// startRunner: one HTTP server on loopback that serves the built site and the terminal
// WebSocket. Used by the CLI (server/app/cli.ts) and directly by the tests.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { benchRoutes, type BenchRouteOptions } from './bench/http-route.ts';
import { doctorRoutes } from './doctor/http-route.ts';
import { fileRoutes } from './files/http-route.ts';
import { rebuiltModule } from './files/wasm-module.ts';
import type { ApiRoute } from './http/route-contract.ts';
import { createToken, TokenGuard } from './security/token.ts';
import { createHttpApp } from './http/http-app.ts';
import { silentLog, type Log } from './app/log.ts';
import { CLOSE_CODES } from '../contracts/terminal-protocol.ts';
import { LAUNCH_FRAGMENT_KEY } from '../contracts/http-paths.ts';
import { STEP_MANIFEST_FILE } from '../contracts/step-schema.ts';
import { FIBONACCI_MODULE } from '../contracts/files-api.ts';
import { OriginPolicy } from './security/request-guards.ts';
import { RunnerContainment } from './session/containment.ts';
import { SessionRegistry } from './socket/session-registry.ts';
import { chooseShell, shellKindOf, type ShellChoice } from './shell/shell-choice.ts';
import { loadStepManifest, parseStepManifest } from './steps/step-manifest.ts';
import { TerminalSocketServer } from './socket/terminal-socket.ts';
import { workspaceResetRoute } from './workspace/reset-route.ts';
import { ensurePrivateRoot, userDataDir } from './workspace/private-root.ts';
import { classRoutes } from './classroom/class-routes.ts';
import { openClassroom, type ClassroomOptions } from './classroom/classroom.ts';

import {
  DEFAULT_FIRST_MESSAGE_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_SESSIONS,
  DEFAULT_PORT,
  DEFAULT_UNATTENDED_TIMEOUT_MS,
  HEADERS_TIMEOUT_MS,
} from './app/defaults.ts';

export { DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_MAX_SESSIONS, DEFAULT_PORT };

export interface RunnerOptions {
  /** Address to bind; loopback unless the reader asked for another (the CLI warns). */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The built site. */
  staticDir?: string;
  /** The step manifest written by the build; without it content/steps.ts is read. */
  manifestPath?: string;
  /** Steps given directly (tests); wins over manifestPath. */
  steps?: unknown[];
  /**
   * The user's data folder; the private workspace root is `<dataDir>/wasm-docker-workshop/workspaces`.
   * Default: XDG_DATA_HOME or ~/.local/share, ~/Library/Application Support, %LOCALAPPDATA%.
   */
  dataDir?: string;
  /** The example projects copied into each workspace. */
  fixturesDir?: string;
  /** A session with no page ends after this long in any case. */
  idleTimeoutMs?: number;
  /** A session with no page and no command running ends after this long. */
  unattendedTimeoutMs?: number;
  /** A terminal connection that sends nothing after its hello is closed after this long. */
  firstMessageTimeoutMs?: number;
  maxSessions?: number;
  /** Path of the shell to run (bash, zsh, pwsh); default: chosen by server/shell-choice.ts. */
  shell?: string;
  /** Variables added to (or, when undefined, removed from) every session's environment. */
  shellEnv?: Record<string, string | undefined>;
  /** The runner's own token instead of a fresh random one (tests of the CLI only). */
  token?: string;
  /** Options of the benchmark route (tests point it at other images). */
  bench?: BenchRouteOptions;
  /** Milliseconds of grace between the hang-up and the kill when a session ends (default 1000). */
  killGraceMs?: number;
  /** false: contain sessions without a cgroup even where one is available (tests of the fallback). */
  cgroups?: boolean;
  /** Routes added under /api behind the credential, after the runner's own (tests). */
  extraRoutes?: ApiRoute[];
  /** Join a class (npm start -- --join URL): server/classroom/, docs/classroom.md. */
  class?: ClassroomOptions;
  log?: Log;
}

export interface RunningRunner {
  /** A fresh one-time launch link each time it is read: http://127.0.0.1:PORT/#launch=CODE */
  readonly url: string;
  /** http://HOST:PORT */
  origin: string;
  port: number;
  /** The runner's own credential, for non-browser clients (Authorization: Bearer); never printed. */
  token: string;
  /** Where the steps came from. */
  stepSource: 'manifest' | 'content' | 'options';
  /** Number of live sessions. */
  sessionCount(): number;
  /** Shell pids of the live sessions (for tests and diagnostics). */
  sessionPids(): number[];
  /** Bytes the runner holds for all sockets right now (flow control diagnostics). */
  bufferedBytes(): number;
  /** This runner's id, on its cgroup, its containers' labels and its private folder. */
  runnerId: string;
  /** Settles when the cleanup of earlier, killed runners' leftovers is done. */
  leftoversCleaned: Promise<void>;
  /** Ends every session (killing its processes) and stops the server. Idempotent. */
  close(): Promise<void>;
}

/**
 * Host names under which the reader may reach a runner bound to `host` besides the
 * loopback names: the address itself, or for a wildcard bind every address of this machine.
 */
function reachableNames(host: string): string[] {
  if (host === '127.0.0.1' || host === 'localhost') return [];
  if (host !== '0.0.0.0' && host !== '::') return [host];
  return Object.values(networkInterfaces())
    .flat()
    .filter((address) => address !== undefined && (host === '::' || address.family === 'IPv4'))
    .map((address) => address!.address);
}

export async function startRunner(options: RunnerOptions = {}): Promise<RunningRunner> {
  const log = options.log ?? silentLog;
  const host = options.host ?? '127.0.0.1';
  const staticDir = resolve(options.staticDir ?? 'dist');
  const fixturesDir = resolve(options.fixturesDir ?? 'fixtures');
  if (!existsSync(fixturesDir)) throw new Error(`The fixtures folder ${fixturesDir} does not exist.`);
  // Refuses, with the reason, a root that another user could read, swap or redirect.
  const workspaceRoot = await ensurePrivateRoot(resolve(options.dataDir ?? userDataDir()));

  let steps;
  let stepSource: RunningRunner['stepSource'];
  if (options.steps) {
    steps = parseStepManifest(options.steps);
    stepSource = 'options';
  } else {
    const loaded = await loadStepManifest(resolve(options.manifestPath ?? join(staticDir, STEP_MANIFEST_FILE)));
    steps = loaded.steps;
    stepSource = loaded.source;
  }

  const shell: ShellChoice = options.shell
    ? { kind: shellKindOf(options.shell) ?? 'bash', file: options.shell }
    : chooseShell({ platform: process.platform, env: process.env, exists: existsSync });

  const token = options.token ?? createToken();
  let port = options.port ?? DEFAULT_PORT;
  const origins = new OriginPolicy();
  const guard = new TokenGuard(token);
  // Before anything that must be closed again: a refused join link or outbox folder, or an
  // outbox another runner holds, stops the start here. It joins only once everything else has
  // started (classroom.start() at the end).
  const classroom = options.class ? await openClassroom(options.class, log) : undefined;
  // From here on every part that holds something (the outbox's lock, the private folder and
  // cgroup, the port) is noted as it opens; a part that fails later closes them all, the last
  // one first, before the start gives up: docs/classroom.md, "A start that fails".
  const opened = new StartedParts(log);
  if (classroom) opened.add('classroom', () => classroom.close());
  try {
    const containment = new RunnerContainment({ log, graceMs: options.killGraceMs, cgroups: options.cgroups });
    // In the background: a slow Docker must not delay the start.
    const leftoversCleaned = containment.cleanUpLeftovers().catch((error) => log('warn', 'cleanup-failed', { error: String(error) }));
    opened.add('containment', async () => {
      // Other runners' leftovers: a Docker that does not answer (Docker Desktop still starting)
      // must not hold a stop or a failed start for its timeouts; the next start cleans up again.
      await atMost(leftoversCleaned, LEFTOVERS_WAIT_MS);
      await containment.close();
    });
    const registry = new SessionRegistry({
      containment,
      maxSessions: options.maxSessions ?? DEFAULT_MAX_SESSIONS,
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      unattendedTimeoutMs: options.unattendedTimeoutMs ?? DEFAULT_UNATTENDED_TIMEOUT_MS,
      workspaceRoot,
      fixturesDir,
      shell,
      shellEnv: options.shellEnv,
      steps,
      log,
      observer: classroom?.observer,
    });
    const sockets = new TerminalSocketServer({
      registry,
      guard,
      origins,
      firstMessageTimeoutMs: options.firstMessageTimeoutMs ?? DEFAULT_FIRST_MESSAGE_TIMEOUT_MS,
      log,
    });
    const app = createHttpApp({
      staticDir,
      guard,
      origins,
      launchUrl: () => launchUrl(),
      health: () => ({ sessions: registry.size, maxSessions: registry.maxSessions, steps: steps.size }),
      // The route list: every /api route of the runner, each given only what it uses.
      apiRoutes: [
        doctorRoutes({ log }),
        workspaceResetRoute({ sessions: registry, ownerOf: (request) => guard.ownerOf(request), fixturesDir, log }),
        classroom?.routes ?? classRoutes({}),
        ...(classroom ? [classroom.beforeBench] : []),
        fileRoutes({ sessions: registry, ownerOf: (request) => guard.ownerOf(request), fixturesDir, log }),
        benchRoutes({
          log,
          // Node WASI measures the reader's rebuilt fibonacci.wasm, as the browser variant does;
          // whatever keeps it from that (an unsafe folder included) leaves it the workshop's.
          ownModule: (request) => rebuiltModule(() => registry.existingWorkspaceOf(guard.ownerOf(request)), FIBONACCI_MODULE, fixturesDir),
          // The copy Node WASI runs lives in the runner's private folder, which close() and the
          // next start's leftover cleanup remove, whatever happens to the benchmark.
          scratchDir: containment.privateDir,
          ...options.bench,
        }),
        ...(options.extraRoutes ?? []),
      ],
      log,
    });

    // A connection that never finishes its request (an upgrade included) is closed within
    // seconds, not after Node's default of a minute or more: it must not hold the runner.
    const server: Server = createServer({ headersTimeout: HEADERS_TIMEOUT_MS, connectionsCheckingInterval: 1000 }, app);
    server.on('upgrade', sockets.handleUpgrade);
    server.on('clientError', (_error, socket) => socket.destroy());
    await new Promise<void>((resolveListen, rejectListen) => {
      // Only the listen's own error: one that comes later is not a failed start.
      server.once('error', rejectListen);
      server.listen(port, host, () => {
        server.off('error', rejectListen);
        resolveListen();
      });
    });
    // Later errors of the listening server (a failed accept, say) are logged; they end nothing.
    server.on('error', (error) => log('error', 'server-error', { error: String(error) }));
    opened.add('server', async () => {
      server.close(); // no new connections while the sessions end
      sockets.closeAll(CLOSE_CODES.serverStopping);
      await registry.closeAll(CLOSE_CODES.serverStopping);
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    });
    port = (server.address() as AddressInfo).port;
    origins.configure(port, reachableNames(host));
    const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    const origin = `http://${urlHost}:${port}`;
    log('info', 'runner-listening', { host, port, shell: shell.file, steps: steps.size, stepSource });

    const launchUrl = () => `${origin}/#${LAUNCH_FRAGMENT_KEY}=${guard.createLaunchCode()}`;

    // A stop closes what the start opened, as a failed start does: the server and its sessions,
    // the containment, then the classroom (its outbox keeps what was not sent).
    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= opened.closeAll().then(() => log('info', 'runner-stopped'));
      return closing;
    };

    // The last part of the start, after everything that could still fail: a runner that does
    // not start must not have joined (nor sent anything).
    classroom?.start();
    return {
      get url() {
        return launchUrl();
      },
      origin,
      port,
      token,
      stepSource,
      sessionCount: () => registry.size,
      sessionPids: () => registry.all().map((session) => session.pid),
      runnerId: containment.id,
      leftoversCleaned,
      bufferedBytes: () => registry.all().reduce((sum, session) => sum + session.serverBufferedBytes, 0),
      close,
    };
  } catch (error) {
    await opened.closeAll();
    throw error;
  }
}

/** How long a stop or a failed start waits for the cleanup of other runners' leftovers. */
const LEFTOVERS_WAIT_MS = 1_000;

/** Waits for `promise`, or `ms` at most. */
async function atMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/**
 * The parts a start has opened, each with how it is closed. closeAll() closes them the last one
 * first, each even when one before it failed to close (that one is logged): the start's own
 * error is what the caller is told.
 */
class StartedParts {
  private readonly parts: { name: string; close: () => Promise<void> | void }[] = [];

  constructor(private readonly log: Log) {}

  add(name: string, close: () => Promise<void> | void): void {
    this.parts.push({ name, close });
  }

  async closeAll(): Promise<void> {
    for (const part of this.parts.reverse()) {
      try {
        await part.close();
      } catch (error) {
        try {
          this.log('error', 'start-undo-failed', { part: part.name, error: String(error) });
        } catch {
          // A log that fails too: the part stays as it is, the next start cleans up after it.
        }
      }
    }
    this.parts.length = 0;
  }
}
