// GET /metrics: Prometheus text, open like the rest of the app without a password, else behind the API's auth or METRICS_TOKEN.
import { Hono, type Context } from 'hono';
import { PROMETHEUS_CONTENT_TYPE } from '../metrics.ts';
import type { Auth } from './auth.ts';
import { safeEqual } from './safe-equal.ts';

export type MetricsRouteDeps = {
  /** The exposition text (reads its sources at each call). */
  render(): Promise<string>;
  /** A bearer token for scrapers; when set it is accepted on its own and required if no password is set. */
  token: string | null;
  auth: Pick<Auth, 'isRequired' | 'isAuthenticated'>;
};

/** Token first (a scraper), then the dashboard/API rules (session cookie or API_TOKEN) when a password is set. */
export async function isMetricsAllowed(c: Context, deps: Pick<MetricsRouteDeps, 'token' | 'auth'>): Promise<boolean> {
  const header = c.req.header('authorization');
  if (deps.token && header?.startsWith('Bearer ') && safeEqual(header.slice(7), deps.token)) return true;
  if (deps.auth.isRequired) return deps.auth.isAuthenticated(c);
  return deps.token === null;
}

export function createMetricsRoute(deps: MetricsRouteDeps) {
  const app = new Hono();
  app.get('/metrics', async (c) => {
    if (!(await isMetricsAllowed(c, deps))) {
      c.header('WWW-Authenticate', 'Bearer realm="metrics"');
      return c.text('authentication required\n', 401);
    }
    const body = await deps.render();
    return c.body(body, 200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' });
  });
  return app;
}
