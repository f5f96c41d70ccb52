// Dashboard/API protection: password login with a signed session cookie, bearer token for scripts, login rate limit.
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { createHmac } from 'node:crypto';
import { safeEqual } from './safe-equal.ts';

export type AuthOptions = {
  /** When null the app is reachable only on loopback (config enforces it) and needs no login. */
  password: string | null;
  apiToken: string | null;
  now: () => number;
  sessionTtlMs?: number;
  /** Mark the cookie Secure (behind HTTPS). */
  isSecure?: boolean;
};

export const SESSION_COOKIE = 'cb_session';
const MAX_FAILURES = 5;
/** Across all clients: the client address can be forged where no proxy adds one, so this bounds guessing anyway. */
const MAX_FAILURES_ALL = 30;
const FAILURE_WINDOW_MS = 15 * 60_000;

export function createAuth(opts: AuthOptions) {
  const ttl = opts.sessionTtlMs ?? 7 * 24 * 3_600_000;
  // Derived from the password: sessions survive a restart and die when the password changes.
  const secret = opts.password ? createHmac('sha256', opts.password).update('coinbutler-session-v1').digest('hex') : '';
  const failures = new Map<string, number[]>();

  const isRequired = opts.password !== null;

  async function isAuthenticated(c: Context): Promise<boolean> {
    if (!isRequired) return true;
    const header = c.req.header('authorization');
    if (header?.startsWith('Bearer ') && opts.apiToken) return safeEqual(header.slice(7), opts.apiToken);
    const value = await getSignedCookie(c, secret, SESSION_COOKIE);
    const expiresAt = typeof value === 'string' ? Number(value) : Number.NaN;
    return Number.isFinite(expiresAt) && expiresAt > opts.now();
  }

  /** Rejects unauthenticated requests: JSON 401 for the API, a redirect to /login for pages. */
  const require: MiddlewareHandler = async (c, next) => {
    if (await isAuthenticated(c)) return next();
    // htmx follows HX-Redirect even on a 401 (it does not swap error bodies), so an expired session lands on /login.
    if (c.req.header('hx-request')) c.header('HX-Redirect', '/login');
    if (c.req.path.startsWith('/api/') || c.req.header('hx-request')) return c.json({ error: 'authentication required' }, 401);
    return c.redirect('/login');
  };

  function isLockedOut(ip: string): boolean {
    const now = opts.now();
    let all = 0;
    for (const [key, times] of failures) {
      const recent = times.filter((t) => now - t < FAILURE_WINDOW_MS);
      if (recent.length === 0) failures.delete(key);
      else failures.set(key, recent);
      all += recent.length;
    }
    if (!failures.has(ip)) failures.set(ip, []);
    return all >= MAX_FAILURES_ALL || failures.get(ip)!.length >= MAX_FAILURES;
  }

  /** Checks a login attempt; on success sets the session cookie. */
  async function login(c: Context, password: string, ip: string): Promise<'ok' | 'wrong' | 'locked'> {
    if (!opts.password) return 'ok';
    if (isLockedOut(ip)) return 'locked';
    if (!safeEqual(password, opts.password)) {
      failures.get(ip)!.push(opts.now());
      return 'wrong';
    }
    failures.delete(ip);
    await setSignedCookie(c, SESSION_COOKIE, String(opts.now() + ttl), secret, {
      httpOnly: true, sameSite: 'Strict', secure: opts.isSecure ?? false, path: '/', maxAge: Math.floor(ttl / 1000),
    });
    return 'ok';
  }

  const logout = (c: Context) => deleteCookie(c, SESSION_COOKIE, { path: '/' });

  return { isRequired, isAuthenticated, require, login, logout };
}

export type Auth = ReturnType<typeof createAuth>;
