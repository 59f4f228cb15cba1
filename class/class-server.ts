// startClassServer: the trainer's class server (npm run class). One HTTP server that takes
// participants' events, stores them in SQLite and streams them to the dashboard. Used by
// the CLI (class/app/cli.ts) and directly by the tests. It never runs a command.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CLASS_PATHS } from '../contracts/class-api.ts';
import { createClassApi } from './http/class-api-routes.ts';
import { DASHBOARD_CSP } from './http/dashboard-csp.ts';
import { HttpError, sendError, sendText } from './http/http-io.ts';
import { dashboardAssets, type DashboardAssets } from './dashboard/dashboard-assets.ts';
import { FeedHub } from './feed/feed-hub.ts';
import { HostPolicy } from './security/host-policy.ts';
import { createClassCode, createCredential, hashCredential } from './security/secrets.ts';
import { ClassStore, type StoreLimits } from './store/class-store.ts';
import { classText } from './app/texts.ts';

export interface ClassServerOptions {
  /** The data folder; the class (code, seats, events) continues when it exists. */
  dataDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The class's name, shown on the dashboard and the participants' pages. */
  name?: string;
  /** Other budgets than contracts/class-api.ts's, for tests that fill a class quickly. */
  limits?: Partial<StoreLimits>;
  /** Another bound than FEED_BEHIND_BYTES for a dashboard that does not read, for tests. */
  feedBehindBytes?: number;
}

export interface RunningClassServer {
  origin: string;
  port: number;
  classCode: string;
  /** What participants pass to `npm start -- --join`. */
  joinUrl: string;
  /** The one-time dashboard link; its code is exchanged once for the trainer credential. */
  trainerLink: string;
  store: ClassStore;
  /** The HTTP server, for tests that watch what it holds for a response. */
  http: Server;
  close(): Promise<void>;
}

export async function startClassServer(options: ClassServerOptions): Promise<RunningClassServer> {
  const store = new ClassStore(options.dataDir, options.limits);
  const feed = new FeedHub(options.feedBehindBytes);
  try {
    return await serve(options, store, feed);
  } catch (error) {
    // A start that fails (the port taken, say) closes what it opened, then rethrows: the store's lock
    // on the data folder is the process's, so a caller in this process that tries again (on another
    // port) would otherwise find its own folder in use (StoreInUseError).
    feed.close();
    store.close();
    throw error;
  }
}

/** The rest of the start, on the opened store and feed; the HTTP server is closed again if the start fails once it listens. */
async function serve(options: ClassServerOptions, store: ClassStore, feed: FeedHub): Promise<RunningClassServer> {
  const host = options.host ?? '127.0.0.1';
  // The class keeps its code and name across restarts, so runners and the dashboard carry on.
  const classCode = store.meta('code') ?? createClassCode();
  store.setMeta('code', classCode);
  const className = options.name ?? store.meta('name') ?? 'Workshop';
  store.setMeta('name', className);
  // A new one-time link on every start; trainer credentials already handed out stay valid.
  const linkCode = createCredential();
  const trainerLinkHash = { value: hashCredential(linkCode) as string | undefined };

  // On the trainer's terminal (stderr, as the class server's other notices), in the trainer's language.
  const unknownStepsIgnored = () => console.error(classText('unknownStepsIgnored', { bound: store.limits.unknownSteps }));
  const api = createClassApi({ store, feed, className, classCode, trainerLinkHash, unknownStepsIgnored });
  const hosts = new HostPolicy();
  let assets: DashboardAssets | undefined;

  const server: Server = createServer((request, response) => {
    void (async () => {
      try {
        if (!hosts.hostAllowed(request)) throw new HttpError(421, 'wrong-host', 'This request names another host.');
        if (!hosts.originAllowed(request)) throw new HttpError(403, 'wrong-origin', 'Requests from other web pages are refused.');
        const url = new URL(request.url ?? '/', 'http://class.invalid');
        if (await api.handle(request, response, url)) return;
        if (request.method === 'GET' && url.pathname === CLASS_PATHS.dashboard) {
          assets ??= await dashboardAssets();
          const lang = url.searchParams.get('lang') === 'de' ? 'de' : 'en';
          return sendText(response, 200, 'text/html; charset=utf-8', assets.html(lang), { 'content-security-policy': DASHBOARD_CSP });
        }
        if (request.method === 'GET' && url.pathname === `${CLASS_PATHS.dashboard}/dashboard.js`) {
          assets ??= await dashboardAssets();
          return sendText(response, 200, 'text/javascript; charset=utf-8', assets.script, { 'content-security-policy': DASHBOARD_CSP });
        }
        if (request.method === 'GET' && url.pathname === `${CLASS_PATHS.dashboard}/dashboard.css`) {
          assets ??= await dashboardAssets();
          return sendText(response, 200, 'text/css; charset=utf-8', assets.style);
        }
        throw new HttpError(404, 'not-found', 'There is nothing here.');
      } catch (error) {
        const failure = error instanceof HttpError ? error : new HttpError(500, 'internal', 'The class server could not answer this request.');
        if (!(error instanceof HttpError)) console.error(error);
        sendError(response, failure);
      }
    })();
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  const port = (server.address() as AddressInfo).port;
  try {
    hosts.configure(host, port);
  } catch (error) {
    await new Promise<void>((done) => server.close(() => done()));
    throw error;
  }
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const origin = `http://${urlHost}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    origin,
    port,
    classCode,
    joinUrl: `${origin}/join/${classCode}`,
    // The code sits in the fragment: browsers send it to no server and no Referer.
    trainerLink: `${origin}${CLASS_PATHS.dashboard}#trainer=${linkCode}`,
    store,
    http: server,
    close: () =>
      (closing ??= (async () => {
        feed.close();
        server.closeAllConnections();
        await new Promise<void>((done) => server.close(() => done()));
        store.close();
      })()),
  };
}
