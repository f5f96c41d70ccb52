// The Hono app: health check, JSON API and (later) the dashboard, behind auth, CSRF and security headers.
import { Hono } from 'hono';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { BotCommands, BotQueries } from '../bot/view.ts';
import { silentLogger, type Logger } from '../log.ts';
import { createApi } from './api.ts';
import { createAuth, type AuthOptions } from './auth.ts';

export type AppDeps = {
  queries: BotQueries;
  commands: BotCommands;
  auth: AuthOptions;
  /** A heartbeat older than this makes /healthz answer 503. */
  heartbeatStaleMs?: number;
  /** Public origin when behind a TLS proxy (CSRF origin check). */
  publicOrigin?: string;
  logger?: Logger;
};

export function createApp(deps: AppDeps) {
  const app = new Hono();
  const auth = createAuth(deps.auth);
  const staleMs = deps.heartbeatStaleMs ?? 120_000;

  app.use('*', secureHeaders());
  app.use('*', csrf(deps.publicOrigin ? { origin: deps.publicOrigin } : {}));
  app.onError((err, c) => {
    if (err instanceof HTTPException) return err.getResponse();
    // Never echo internals (they may name files or values); the log has the detail.
    (deps.logger ?? silentLogger).error({ err, path: c.req.path }, 'request failed');
    return c.json({ error: 'internal error' }, 500);
  });

  app.get('/healthz', async (c) => {
    const s = await deps.queries.status();
    const age = s.lastHeartbeatAt === null ? null : s.now - s.lastHeartbeatAt;
    const isHealthy = age !== null && age < staleMs && s.state !== 'halted';
    return c.json({ ok: isHealthy, state: s.state, mode: s.mode, lastHeartbeatAt: s.lastHeartbeatAt, heartbeatAgeMs: age, feed: s.feed }, isHealthy ? 200 : 503);
  });

  app.post('/login', async (c) => {
    const form = await c.req.parseBody();
    const password = typeof form.password === 'string' ? form.password : '';
    const ip = c.req.header('x-forwarded-for')?.split(',')[0]?.trim() ?? 'local';
    const result = await auth.login(c, password, ip);
    if (result === 'ok') return c.redirect('/');
    return c.json({ error: result === 'locked' ? 'too many attempts; try again later' : 'wrong password' }, result === 'locked' ? 429 : 401);
  });
  app.post('/logout', (c) => {
    auth.logout(c);
    return c.redirect('/login');
  });

  app.use('/api/*', auth.require);
  app.route('/api', createApi(deps));
  return app;
}
