// The Hono app: health check, login, the dashboard (pages, partials, actions, CSV, chart data) and the JSON API,
// behind auth, CSRF and security headers with a strict CSP (scripts only from /static, no inline script or style).
import { Hono } from 'hono';
import { serveStatic } from 'hono/bun';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { join } from 'node:path';
import type { BotCommands, DashboardQueries } from '../bot/view.ts';
import { systemClock, type Clock } from '../clock.ts';
import { silentLogger, type Logger } from '../log.ts';
import { createActions } from './actions.tsx';
import { createApi } from './api.ts';
import { createAuth, type AuthOptions } from './auth.ts';
import { createChartApi } from './chart-data.ts';
import { loopbackHostOnly } from './host-check.ts';
import { createI18n, type Locale } from './i18n.ts';
import { createMetricsRoute } from './metrics.ts';
import { createPages, renderLogin } from './pages.tsx';
import { createRenderCache, DEFAULT_RENDER_CACHE_MS } from './render-cache.ts';
import { createTradesCsv } from './trades-csv.ts';

export type AppDeps = {
  queries: DashboardQueries;
  commands: BotCommands;
  auth: AuthOptions;
  /** Dashboard language; Korean unless LOCALE=en. */
  locale?: Locale;
  /** A heartbeat older than this makes /healthz answer 503. */
  heartbeatStaleMs?: number;
  /** Public origin when behind a TLS proxy (CSRF origin check). */
  publicOrigin?: string;
  /** Absolute path of the static files (htmx, charts, css, dashboard.js); defaults to the repo's public/. */
  publicDir?: string;
  logger?: Logger;
  /** The bot's clock (the read models' one): the window of the render cache is measured on it. Default: the system clock. */
  clock?: Clock;
  /** How long a rendered region or chart body is shared among pollers (default 1,000 ms, as the read cache; 0 shares only renders in flight). */
  renderCacheMs?: number;
  /** GET /metrics when given: the Prometheus text and an optional scraper token (METRICS_TOKEN). */
  metrics?: { render(): Promise<string>; token: string | null };
};

/** Absolute, so serving does not depend on the process's working directory. */
export const PUBLIC_DIR = join(import.meta.dir, '../../public');

const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export const CSRF_REFUSED =
  'this request did not come from this dashboard\'s own page (CSRF check), so nothing was done. Reload the page and try again; ' +
  'behind a reverse proxy, set PUBLIC_URL to the address you open in the browser (such as https://bot.example)';

export function createApp(deps: AppDeps) {
  const app = new Hono();
  const auth = createAuth(deps.auth);
  const i18n = createI18n(deps.locale ?? 'ko');
  const staleMs = deps.heartbeatStaleMs ?? 120_000;
  const views = { queries: deps.queries, i18n, isAuthRequired: auth.isRequired };
  const cache = createRenderCache(deps.clock ?? systemClock, deps.renderCacheMs ?? DEFAULT_RENDER_CACHE_MS);

  app.use('*', secureHeaders({ contentSecurityPolicy: CSP }));
  if (!auth.isRequired) app.use('*', loopbackHostOnly(deps.publicOrigin));
  // Its own origin (direct, or through an ssh tunnel), or the public one a TLS proxy serves it under (PUBLIC_URL).
  const csrfCheck = csrf({ origin: (origin, c) => origin === new URL(c.req.url).origin || origin === deps.publicOrigin });
  // A bearer token is a script, not a browser: no page can add that header cross-site without a CORS preflight
  // (which this app never answers), so CSRF cannot ride on it. Cookies and forms are always checked.
  app.use('*', async (c, next) => {
    if (c.req.header('authorization')?.startsWith('Bearer ')) return next();
    try {
      return await csrfCheck(c, next);
    } catch (err) {
      // The dashboard's script shows this text in its flash line: a bare "Forbidden" told the owner nothing.
      if (err instanceof HTTPException && err.status === 403) return c.text(CSRF_REFUSED, 403);
      throw err;
    }
  });
  app.onError((err, c) => {
    if (err instanceof HTTPException) return err.getResponse();
    // Never echo internals (they may name files or values); the log has the detail.
    (deps.logger ?? silentLogger).error({ err, path: c.req.path }, 'request failed');
    return c.json({ error: 'internal error' }, 500);
  });

  app.use('/static/*', serveStatic({ root: deps.publicDir ?? PUBLIC_DIR, rewriteRequestPath: (p) => p.replace(/^\/static/, '') }));

  app.get('/healthz', async (c) => {
    const s = await deps.queries.status();
    const age = s.lastHeartbeatAt === null ? null : s.now - s.lastHeartbeatAt;
    const isHealthy = age !== null && age < staleMs && s.state !== 'halted';
    return c.json({ ok: isHealthy, state: s.state, mode: s.mode, lastHeartbeatAt: s.lastHeartbeatAt, heartbeatAgeMs: age, feed: s.feed }, isHealthy ? 200 : 503);
  });

  if (deps.metrics) app.route('/', createMetricsRoute({ ...deps.metrics, auth }));

  app.get('/login', async (c) => (!auth.isRequired || (await auth.isAuthenticated(c)) ? c.redirect('/') : renderLogin(c, i18n)));
  app.post('/login', async (c) => {
    const form = await c.req.parseBody();
    const password = typeof form.password === 'string' ? form.password : '';
    // The last X-Forwarded-For entry is the one the nearest proxy added; earlier ones are whatever the client wrote.
    const ip = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim() || 'local';
    const result = await auth.login(c, password, ip);
    if (result === 'ok') return c.redirect('/');
    const status = result === 'locked' ? 429 : 401;
    // Scripts asking for JSON get JSON; a browser gets the form again with the reason.
    if (c.req.header('accept')?.includes('application/json')) {
      return c.json({ error: result === 'locked' ? 'too many attempts; try again later' : 'wrong password' }, status);
    }
    return renderLogin(c, i18n, result, status);
  });
  app.post('/logout', async (c) => {
    await auth.logout(c);
    return c.redirect('/login');
  });

  for (const path of ['/', '/partials/*', '/actions/*', '/trades.csv', '/api/*']) app.use(path, auth.require);
  // After an owner's command (dashboard or API; signed in, CSRF-checked) no poll may get a region rendered before it.
  for (const path of ['/actions/*', '/api/bot/*']) {
    app.use(path, async (c, next) => {
      await next();
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') cache.invalidate();
    });
  }
  app.route('/api', createApi(deps));
  app.route('/api', createChartApi({ queries: deps.queries, i18n, cache }));
  app.route('/actions', createActions({ ...views, commands: deps.commands, ...(deps.logger ? { logger: deps.logger } : {}) }));
  app.route('/', createTradesCsv({ queries: deps.queries, now: deps.auth.now }));
  app.route('/', createPages({ ...views, cache }));
  return app;
}
