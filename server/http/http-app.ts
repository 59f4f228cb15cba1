// The HTTP side of the runner: the built site with a CSP, the token hand-off, the
// health check and the token-protected /api routes other modules add.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Request, type Response, type NextFunction } from 'express';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../../contracts/locale.ts';
import { AUTH_PATH, HEALTH_PATH, type AuthResponse, type HealthResponse } from '../../contracts/http-api.ts';
import type { Log } from '../app/log.ts';
import type { ApiRoute } from './route-contract.ts';
import { tokenCookie, type TokenGuard } from '../security/token.ts';
import { contentSecurityPolicy, HtmlPolicyCache } from './csp.ts';
import { fetchSiteAllowed, type OriginPolicy } from '../security/request-guards.ts';
import { invalidTokenText } from '../app/runner-texts.ts';
import { staysInside } from './static-containment.ts';

export interface HttpAppOptions {
  staticDir: string;
  guard: TokenGuard;
  origins: OriginPolicy;
  port: () => number;
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

  // The ready URL: trade ?token= for the cookie and redirect to the same page without it.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const url = new URL(req.originalUrl, 'http://runner.invalid');
    const token = url.searchParams.get('token');
    if (token === null || req.method !== 'GET') return next();
    const result = guard.checkValue(token);
    if (result !== 'ok') {
      res.status(result === 'rate-limited' ? 429 : 403).type('text/plain');
      res.send(invalidTokenText());
      return;
    }
    url.searchParams.delete('token');
    // One leading slash only: '//host' would be a redirect to another site.
    const path = `/${url.pathname.replace(/^\/+/, '')}`;
    const clean = path === '/' ? `/${preferredLanguage(req.headers['accept-language'])}/` : path;
    res.setHeader('Set-Cookie', tokenCookie(options.port(), token));
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, clean + url.search);
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
