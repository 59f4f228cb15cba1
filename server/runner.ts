// startRunner: one HTTP server on loopback that serves the built site and the terminal
// WebSocket. Used by the CLI (server/app/cli.ts) and directly by the tests.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { benchRoutes, type BenchRouteOptions } from './bench/http-route.ts';
import { doctorRoutes } from './doctor/http-route.ts';
import { fileRoutes } from './files/http-route.ts';
import type { ApiRoute } from './http/route-contract.ts';
import { createToken, TokenGuard } from './security/token.ts';
import { createHttpApp } from './http/http-app.ts';
import { silentLog, type Log } from './app/log.ts';
import { CLOSE_CODES } from '../contracts/terminal-protocol.ts';
import { OriginPolicy } from './security/request-guards.ts';
import { SessionRegistry } from './socket/session-registry.ts';
import { chooseShell, shellKindOf, type ShellChoice } from './shell/shell-choice.ts';
import { loadStepManifest, parseStepManifest } from './steps/step-manifest.ts';
import { TerminalSocketServer } from './socket/terminal-socket.ts';
import { workspaceResetRoute } from './workspace/reset-route.ts';

import { DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_MAX_SESSIONS, DEFAULT_PORT } from './app/defaults.ts';

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
  /** Where per-session workspaces are created. */
  workspacesDir?: string;
  /** The example projects copied into each workspace. */
  fixturesDir?: string;
  idleTimeoutMs?: number;
  maxSessions?: number;
  /** Path of the shell to run (bash, zsh, pwsh); default: chosen by server/shell-choice.ts. */
  shell?: string;
  /** Variables added to (or, when undefined, removed from) every session's environment. */
  shellEnv?: Record<string, string | undefined>;
  /** Token to use instead of a fresh random one (tests of the CLI only). */
  token?: string;
  /** Options of the benchmark route (tests point it at other images). */
  bench?: BenchRouteOptions;
  /** Routes added under /api behind the credential, after the runner's own (tests). */
  extraRoutes?: ApiRoute[];
  log?: Log;
}

export interface RunningRunner {
  /** The ready URL, with the token: http://127.0.0.1:PORT/?token=TOKEN */
  url: string;
  /** http://HOST:PORT */
  origin: string;
  port: number;
  token: string;
  /** Where the steps came from. */
  stepSource: 'manifest' | 'content' | 'options';
  /** Number of live sessions. */
  sessionCount(): number;
  /** Shell pids of the live sessions (for tests and diagnostics). */
  sessionPids(): number[];
  /** Bytes the runner holds for all sockets right now (flow control diagnostics). */
  bufferedBytes(): number;
  /** Ends every session (killing its processes) and stops the server. */
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
  const workspacesDir = resolve(options.workspacesDir ?? join(tmpdir(), 'wasm-docker-workshop-sessions'));
  if (!existsSync(fixturesDir)) throw new Error(`The fixtures folder ${fixturesDir} does not exist.`);

  let steps;
  let stepSource: RunningRunner['stepSource'];
  if (options.steps) {
    steps = parseStepManifest(options.steps);
    stepSource = 'options';
  } else {
    const loaded = await loadStepManifest(resolve(options.manifestPath ?? join(staticDir, 'workshop-steps.json')));
    steps = loaded.steps;
    stepSource = loaded.source;
  }

  const shell: ShellChoice = options.shell
    ? { kind: shellKindOf(options.shell) ?? 'bash', file: options.shell }
    : chooseShell({ platform: process.platform, env: process.env, exists: existsSync });

  const token = options.token ?? createToken();
  let port = options.port ?? DEFAULT_PORT;
  const origins = new OriginPolicy();
  const guard = new TokenGuard(token, () => port);
  const registry = new SessionRegistry({
    maxSessions: options.maxSessions ?? DEFAULT_MAX_SESSIONS,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    workspacesDir,
    fixturesDir,
    shell,
    shellEnv: options.shellEnv,
    steps,
    log,
  });
  const sockets = new TerminalSocketServer({ registry, guard, origins, log });
  const app = createHttpApp({
    staticDir,
    guard,
    origins,
    port: () => port,
    health: () => ({ sessions: registry.size, maxSessions: registry.maxSessions, steps: steps.size }),
    // The route list: every /api route of the runner, each given only what it uses.
    apiRoutes: [
      doctorRoutes({ log }),
      workspaceResetRoute({ sessions: registry, fixturesDir, log }),
      fileRoutes({ sessions: registry, fixturesDir, log }),
      benchRoutes({ log, ...options.bench }),
      ...(options.extraRoutes ?? []),
    ],
    log,
  });

  const server: Server = createServer(app);
  server.on('upgrade', sockets.handleUpgrade);
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(port, host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;
  origins.configure(port, reachableNames(host));
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const origin = `http://${urlHost}:${port}`;
  log('info', 'runner-listening', { host, port, shell: shell.file, steps: steps.size, stepSource });

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      server.close();
      sockets.closeAll(CLOSE_CODES.serverStopping);
      await registry.closeAll(CLOSE_CODES.serverStopping);
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      log('info', 'runner-stopped');
    })();
    return closing;
  };

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    stepSource,
    sessionCount: () => registry.size,
    sessionPids: () => registry.all().map((session) => session.pid),
    bufferedBytes: () => registry.all().reduce((sum, session) => sum + session.serverBufferedBytes, 0),
    close,
  };
}
