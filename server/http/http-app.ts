// The HTTP side of the runner: the built site with a CSP, the launch-code exchange, the
// health check and the credential-protected /api routes.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Request, type Response, type NextFunction } from 'express';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../../contracts/locale.ts';
import {
  AUTH_EXCHANGE_PATH,
  AUTH_LAUNCH_PATH,
  AUTH_PATH,
  authExchangeRequestSchema,
  HEALTH_PATH,
  type ApiError,
  type AuthExchangeResponse,
  type AuthLaunchResponse,
  type AuthResponse,
  type HealthResponse,
} from '../../contracts/http-api.ts';
import type { Log } from '../app/log.ts';
import type { ApiRoute } from './route-contract.ts';
import type { TokenGuard } from '../security/token.ts';
import { contentSecurityPolicy, HtmlPolicyCache } from './csp.ts';
import { fetchSiteAllowed, type OriginPolicy } from '../security/request-guards.ts';
import { staysInside } from './static-containment.ts';

export interface HttpAppOptions {
  staticDir: string;
  guard: TokenGuard;
  origins: OriginPolicy;
  /** A fresh one-time launch link (npm run open). */
  launchUrl: () => string;
  health: () => Omit<HealthResponse, 'ok'>;
  apiRoutes: ApiRoute[];
  log: Log;
}


/** The reader's preferred workshop language from Accept-Language (German by default). */
export function preferredLanguage(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)).find(Boolean);
      return { lang: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q[1]) : 1, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { lang } of ranked) if (isLocale(lang)) return lang;
  return DEFAULT_LOCALE;
}

export function createHttpApp(options: HttpAppOptions): express.Express {
  const { staticDir, guard, origins } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', 'strong');
  const htmlPolicies = new HtmlPolicyCache();

  // DNS rebinding: a request must name this server.
  app.use((req: Request, res: Response, next: NextFunction) => {
    // Headers first, so the refusal below carries them too.
    res.setHeader('Content-Security-Policy', contentSecurityPolicy());
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    if (!origins.hostAllowed(req)) {
      res.status(403).type('text/plain').send('Forbidden: unexpected Host header.\n');
      return;
    }
    next();
  });

  app.get(HEALTH_PATH, (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ ok: true, ...options.health() } satisfies HealthResponse);
  });

  // Whether this browser holds the token cookie, so the page can explain what to do when it does not.
  app.get(AUTH_PATH, (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const result = guard.check(req);
    res.status(result === 'ok' ? 200 : result === 'rate-limited' ? 429 : 401).json({ authenticated: result === 'ok' } satisfies AuthResponse);
  });

  // The launch link's code, traded once for this browser's credential (docs/security.md).
  // Outside the guarded router: the page has no credential yet. Host is checked above;
  // a present Origin must be ours, and a cross-site fetch is refused like on /api.
  const exchangeBody = express.json({ limit: '1kb' });
  app.post(AUTH_EXCHANGE_PATH, (req: Request, res: Response, next: NextFunction) => {
    // A body that is no JSON gets the same clear 400 as one of the wrong shape.
    exchangeBody(req, res, (error?: unknown) => (error ? res.status(400).json({ error: 'bad-request', message: 'Send {"code": "<the launch code>"}.' } satisfies ApiError) : next()));
  }, (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    if (!origins.originAllowed(req) || !fetchSiteAllowed(req)) {
      res.status(403).json({ error: 'forbidden-origin' } satisfies ApiError);
      return;
    }
    const body = authExchangeRequestSchema.safeParse(req.body);
    if (!body.success) {
      res.status(400).json({ error: 'bad-request', message: 'Send {"code": "<the launch code>"}.' } satisfies ApiError);
      return;
    }
    const result = guard.exchange(body.data.code);
    if (!result.ok) {
      const limited = result.why === 'rate-limited';
      res.status(limited ? 429 : 403).json({ error: limited ? 'rate-limited' : 'launch-code-used' } satisfies ApiError);
      return;
    }
    res.json({ credential: result.credential } satisfies AuthExchangeResponse);
  });

  const api = express.Router();
  api.use((req: Request, res: Response, next: NextFunction) => {
    // Origin for POSTs from other pages; Sec-Fetch-Site for their GETs, which carry no Origin.
    if (!origins.originAllowed(req) || !fetchSiteAllowed(req)) {
      res.status(403).json({ error: 'forbidden-origin' });
      return;
    }
    const result = guard.check(req);
    if (result !== 'ok') {
      res.status(result === 'rate-limited' ? 429 : 401).json({ error: result === 'rate-limited' ? 'rate-limited' : 'unauthorized' });
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // A fresh launch link for `npm run open`; only the runner's own token may ask.
  api.post(AUTH_LAUNCH_PATH.replace(/^\/api/, ''), (req: Request, res: Response) => {
    if (!guard.isRunnerToken(req)) {
      res.status(403).json({ error: 'unauthorized' } satisfies ApiError);
      return;
    }
    res.json({ url: options.launchUrl() } satisfies AuthLaunchResponse);
  });
  for (const mount of options.apiRoutes) mount(api);
  api.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'not-found' });
  });
  app.use('/api', api);

  app.get('/', (req, res) => {
    res.redirect(302, `/${preferredLanguage(req.headers['accept-language'])}/`);
  });

  const serveStatic = express.static(staticDir, {
    index: ['index.html'],
    redirect: true,
    setHeaders: (res, path) => {
      if (path.endsWith('.html')) res.setHeader('Content-Security-Policy', htmlPolicies.policyFor(path));
    },
  });
  // express.static follows symbolic links; a link out of the site folder gets the 404 page.
  app.use((req: Request, res: Response, next: NextFunction) => {
    staysInside(staticDir, req.path).then((ok) => (ok ? serveStatic(req, res, next) : next()), next);
  });

  const notFoundPage = join(staticDir, '404.html');
  app.use((_req: Request, res: Response) => {
    if (existsSync(notFoundPage)) {
      res.setHeader('Content-Security-Policy', htmlPolicies.policyFor(notFoundPage));
      res.status(404).sendFile(notFoundPage);
    } else {
      res.status(404).type('text/plain').send('Not found\n');
    }
  });

  // Never show a stack trace to the page; log and answer 500.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    options.log('error', 'http-error', { error: String(error) });
    if (!res.headersSent) res.status(500).type('text/plain').send('Internal error\n');
  });

  return app;
}
