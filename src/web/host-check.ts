// Without a password the dashboard answers only under a loopback host name: a foreign name resolving to
// 127.0.0.1 (DNS rebinding) would make a hostile page same-origin with the bot, past CSRF and with no login.
import type { MiddlewareHandler } from 'hono';
import { hostnameOf, isLoopback } from '../config.ts';

/** `allowedOrigin` (a public origin behind a proxy) is accepted besides the loopback names. */
export function loopbackHostOnly(allowedOrigin?: string): MiddlewareHandler {
  const allowedHost = allowedOrigin ? hostnameOf(allowedOrigin) : null;
  return async (c, next) => {
    // Bun builds the request URL from the Host header, so this is the name the browser asked for.
    const host = hostnameOf(c.req.url);
    if (isLoopback(host) || host === allowedHost) return next();
    return c.text(
      `This dashboard has no DASHBOARD_PASSWORD, so it answers only at http://127.0.0.1 or http://localhost, not under the host name "${host}". Set DASHBOARD_PASSWORD to reach it under another name.\n`,
      421,
    );
  };
}
