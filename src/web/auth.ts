// Dashboard/API protection: password login with a signed session cookie, bearer token for scripts, login rate limit.
// The cookie is signed with a key derived from a random key kept in the db and the password: a restart keeps sessions,
// a logout (a new random key) or a changed password ends every session issued before it, a copied cookie included.
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { createHmac, randomBytes } from 'node:crypto';
import { safeEqual } from './safe-equal.ts';

export type AuthOptions = {
  /** When null the app is reachable only on loopback (config enforces it) and needs no login. */
  password: string | null;
  apiToken: string | null;
  now: () => number;
  sessionTtlMs?: number;
  /** Mark the cookie Secure (behind HTTPS). */
  isSecure?: boolean;
  /** Where the random session key is kept (the db); default: memory, so sessions end with the process. */
  sessionKeys?: SessionKeyStore;
};

/** The persisted random key sessions are signed under; replacing it ends them all. */
export type SessionKeyStore = { load(): Promise<string | null>; save(key: string): Promise<void> };

export function memorySessionKeys(): SessionKeyStore {
  let key: string | null = null;
  return { load: async () => key, save: async (k) => void (key = k) };
}

export const SESSION_COOKIE = 'cb_session';
const MAX_FAILURES = 5;
/** Across all clients: the client address can be forged where no proxy adds one, so this bounds guessing anyway. */
const MAX_FAILURES_ALL = 30;
const FAILURE_WINDOW_MS = 15 * 60_000;

export function createAuth(opts: AuthOptions) {
  const ttl = opts.sessionTtlMs ?? 7 * 24 * 3_600_000;
  const keys = opts.sessionKeys ?? memorySessionKeys();
  // The password is mixed in, so a changed password refuses old sessions; the random key cannot be guessed from a cookie.
  const secretOf = (key: string) => createHmac('sha256', key).update(`coinbutler-session-v2\0${opts.password ?? ''}`).digest('hex');
  let secret: Promise<string> | null = null;
  /** Loaded once (made and saved on the first start); a failed load is retried on the next request. */
  const signingSecret = (): Promise<string> =>
    (secret ??= (async () => {
      let key = await keys.load();
      if (!key) await keys.save((key = randomBytes(32).toString('hex')));
      return secretOf(key);
    })().catch((err: unknown) => {
      secret = null;
      throw err;
    }));
  const failures = new Map<string, number[]>();

  const isRequired = opts.password !== null;

  async function isAuthenticated(c: Context): Promise<boolean> {
    if (!isRequired) return true;
    const header = c.req.header('authorization');
    if (header?.startsWith('Bearer ') && opts.apiToken) return safeEqual(header.slice(7), opts.apiToken);
    if (!c.req.header('cookie')?.includes(`${SESSION_COOKIE}=`)) return false;
    const value = await getSignedCookie(c, await signingSecret(), SESSION_COOKIE);
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
    await setSignedCookie(c, SESSION_COOKIE, String(opts.now() + ttl), await signingSecret(), {
      httpOnly: true, sameSite: 'Strict', secure: opts.isSecure ?? false, path: '/', maxAge: Math.floor(ttl / 1000),
    });
    return 'ok';
  }

  /**
   * Ends the session on the server: a new random key (at once here, then saved, so it holds after a restart) refuses
   * every cookie signed before, including copies. Only a signed-in owner can do it, so no one else logs the owner out.
   */
  async function logout(c: Context): Promise<void> {
    const isSignedIn = isRequired && (await isAuthenticated(c));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    if (!isSignedIn) return;
    const key = randomBytes(32).toString('hex');
    secret = Promise.resolve(secretOf(key));
    await keys.save(key);
  }

  return { isRequired, isAuthenticated, require, login, logout };
}

export type Auth = ReturnType<typeof createAuth>;
