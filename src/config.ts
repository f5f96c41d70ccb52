// Environment → frozen, typed Config. Fails fast naming the bad variable; never echoes a secret.
import { z } from 'zod';

/** Variables whose values must never appear in an error message, a log line or a page. */
export const SECRET_VARS = [
  'UPBIT_ACCESS_KEY',
  'UPBIT_SECRET_KEY',
  'GEMINI_API_KEY',
  'TELEGRAM_BOT_TOKEN',
  'DASHBOARD_PASSWORD',
  'API_TOKEN',
  'DATABASE_AUTH_TOKEN',
  'METRICS_TOKEN',
] as const;

const num = (min?: number, max?: number) => {
  let n = z.coerce.number({ error: 'must be a number' }).refine(Number.isFinite, 'must be a finite number');
  if (min !== undefined) n = n.refine((v) => v >= min, `must be ≥ ${min}`);
  if (max !== undefined) n = n.refine((v) => v <= max, `must be ≤ ${max}`);
  return n;
};
/** A rate as a fraction (0.03 = 3 %); a value given in percent (3) is refused with the fraction it meant. */
const fraction = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .refine(Number.isFinite, 'must be a finite number')
    .refine((v) => v >= min && v <= max, {
      error: (iss) => {
        const v = Number(iss.input);
        const hint = Math.abs(v) > 1 ? ` (${v} % is ${Number((v / 100).toPrecision(12))})` : '';
        return `must be a fraction from ${min} to ${max}${hint}`;
      },
    });
const int = (min: number, max?: number) => num(min, max).refine(Number.isInteger, 'must be a whole number');
/** An optional numeric setting: empty, "off" or absent means disabled (null). */
const optional = (inner: z.ZodType<number>) =>
  z.preprocess((v) => (v === undefined || v === '' || v === 'off' ? null : v), inner.nullable());
const secret = z.string().min(1).optional();
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });
/** Where the browser reaches the dashboard behind a proxy: an http(s) origin only, kept as `URL.origin` (no trailing slash). */
const publicOrigin = z
  .string()
  .refine((v) => URL.canParse(v) && /^https?:\/\/[^/@?#]+\/?$/i.test(v), 'must be the address the browser opens, as an origin such as https://bot.example (http:// or https://, no path)')
  .transform((v) => new URL(v).origin);
/** What libSQL opens: a file, an in-memory database, or a sqld/Turso server. */
const isDatabaseUrl = (url: string): boolean => url === ':memory:' || /^(file:.+|libsql:\/\/.+|https?:\/\/.+|wss?:\/\/.+)$/i.test(url);

export const configSchema = z
  .object({
    TRADING_MODE: z.enum(['paper', 'live', 'demo']).default('paper'),
    UPBIT_ACCESS_KEY: secret,
    UPBIT_SECRET_KEY: secret,
    UPBIT_REST_URL: httpUrl.default('https://api.upbit.com'),
    UPBIT_WS_URL: z.url({ protocol: /^wss?$/, error: 'must be a ws:// or wss:// URL' }).default('wss://api.upbit.com/websocket/v1'),
    UPBIT_JWT_ALG: z.enum(['HS512', 'HS256']).default('HS512'),
    UPBIT_TIMEOUT_MS: int(100, 60_000).default(5_000),
    /** What a 418 blocks (UNCONFIRMED upstream): every rate group (the IP/pocket), or only the group that got it. */
    UPBIT_418_SCOPE: z.enum(['all', 'group']).default('all'),
    /** 418 block length when Upbit's answer states none (UNCONFIRMED upstream). */
    UPBIT_418_FALLBACK_MS: int(1_000, 3_600_000).default(60_000),

    INVESTMENT_AMOUNT: num(5_000, 1_000_000_000).default(100_000),
    PROFIT_RATE: fraction(0.0001, 1).default(0.03),
    LOSS_RATE: fraction(-0.99, -0.0001).default(-0.02),
    TRAILING_STOP: optional(fraction(0.0001, 0.99)).default(null),
    MAX_HOLD_MINUTES: optional(int(1)).default(null),
    DAILY_LOSS_LIMIT: num(-1_000_000_000, -1).default(-50_000),
    MAX_POSITIONS: int(1, 100).default(3),
    VOLUME_SPIKE_THRESHOLD: num(1, 1_000).default(2.0),
    PRICE_CHANGE_LIMIT: fraction(0.001, 1).default(0.05),
    COOLDOWN_MINUTES: int(0, 10_080).default(30),
    MAX_MARKETS: optional(int(1, 1_000)).default(null),
    PAPER_KRW: num(5_000).default(1_000_000),

    LOCALE: z.enum(['ko', 'en']).default('ko'),
    DATABASE_URL: z
      .string()
      .min(1)
      .refine(isDatabaseUrl, 'must be file:PATH (such as file:./data/coinbutler.db), or a libsql://, https:// or http:// server')
      .optional(), // unset: the mode's own file, DEFAULT_DATABASE_URLS
    DATABASE_AUTH_TOKEN: secret,
    HOST: z
      .string()
      .min(1)
      .refine((h) => !h.includes('/') && !/^[^:]*:\d*$/.test(h) && !h.startsWith('['), 'must be a host name or IP address, without a scheme or a port (the port goes in PORT)')
      .default('127.0.0.1'),
    PORT: int(0, 65_535).default(8080),
    TZ_TRADING: z.string().min(1).default('Asia/Seoul'),
    DASHBOARD_PASSWORD: secret,
    API_TOKEN: secret,
    /** Bearer token a Prometheus scraper may use for GET /metrics (instead of the dashboard login). */
    METRICS_TOKEN: secret,
    /** The dashboard's address behind a TLS reverse proxy (CSRF origin, Secure cookie). */
    PUBLIC_URL: publicOrigin.optional(),
    LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
    LOG_PRETTY: z.enum(['auto', 'true', 'false']).default('auto'),

    GEMINI_API_KEY: secret,
    GEMINI_MODEL: z.string().min(1).default('gemini-3.5-flash-lite'),
    GEMINI_BASE_URL: httpUrl.optional(),
    AI_TIMEOUT_MS: int(100, 120_000).default(8_000),
    AI_MONTHLY_QUOTA: int(0).default(1_500),
    AI_REJECT_POLICY: z.enum(['skip', 'fallback']).default('skip'),

    TELEGRAM_BOT_TOKEN: secret,
    TELEGRAM_CHAT_ID: z.string().regex(/^-?\d+$/, 'must be a numeric chat id').optional(),
    TELEGRAM_API_ROOT: httpUrl.default('https://api.telegram.org'),
  })
  .superRefine((c, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (c.TRADING_MODE === 'live' && (!c.UPBIT_ACCESS_KEY || !c.UPBIT_SECRET_KEY)) {
      issue('TRADING_MODE', 'live trading needs UPBIT_ACCESS_KEY and UPBIT_SECRET_KEY to be set');
    }
    if (Boolean(c.UPBIT_ACCESS_KEY) !== Boolean(c.UPBIT_SECRET_KEY)) {
      issue('UPBIT_SECRET_KEY', 'UPBIT_ACCESS_KEY and UPBIT_SECRET_KEY must be set together');
    }
    if (c.TRADING_MODE === 'paper' && c.PAPER_KRW < c.INVESTMENT_AMOUNT) {
      issue('PAPER_KRW', `must be at least INVESTMENT_AMOUNT (${c.INVESTMENT_AMOUNT})`);
    }
    const publicHost = c.PUBLIC_URL && URL.canParse(c.PUBLIC_URL) ? hostnameOf(c.PUBLIC_URL) : null;
    if (publicHost !== null && !isLoopback(publicHost) && !c.DASHBOARD_PASSWORD) {
      issue('PUBLIC_URL', `a dashboard reached at ${c.PUBLIC_URL} (beyond 127.0.0.1) needs DASHBOARD_PASSWORD`);
    }
    if (!isLoopback(c.HOST) && !c.DASHBOARD_PASSWORD) {
      issue('HOST', `listening on ${c.HOST} (beyond 127.0.0.1) needs DASHBOARD_PASSWORD`);
    }
    if (Boolean(c.TELEGRAM_BOT_TOKEN) !== Boolean(c.TELEGRAM_CHAT_ID)) {
      issue('TELEGRAM_CHAT_ID', 'TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID must be set together');
    }
    if (!isTimeZone(c.TZ_TRADING)) issue('TZ_TRADING', 'must be an IANA time zone such as Asia/Seoul');
  });

/**
 * The database when DATABASE_URL is unset: paper and live never share a file (as Freqtrade's tradesv3.dryrun.sqlite
 * and tradesv3.sqlite), so paper positions are never reconciled against the real account. Paper keeps the file it
 * always had, so its history stays.
 */
export const DEFAULT_DATABASE_URLS = { paper: 'file:./data/coinbutler.db', live: 'file:./data/coinbutler-live.db' } as const;

export type Config = Readonly<Omit<z.output<typeof configSchema>, 'DATABASE_URL'> & { DATABASE_URL: string }>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** A URL without credentials: no `user:pass@` and no query (libSQL also takes `?authToken=…`). */
export const redactUrl = (url: string): string => url.replace(/\/\/[^/@]*@/, '//').replace(/\?.*$/, '');

/** A URL's host name as isLoopback reads it: an IPv6 address without its brackets. */
export const hostnameOf = (url: string): string => new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host.startsWith('127.');
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses the environment. Throws ConfigError whose message names every bad variable, the problem
 * and never the value of a secret.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const picked: Record<string, string | undefined> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const v = env[key]?.trim();
    picked[key] = v === '' ? undefined : v;
  }
  const result = configSchema.safeParse(picked);
  if (result.success) {
    const c = result.data;
    // The demo sets its own DATABASE_URL (one file per port); live gets the live file, everything else the paper one.
    return Object.freeze({ ...c, DATABASE_URL: c.DATABASE_URL ?? DEFAULT_DATABASE_URLS[c.TRADING_MODE === 'live' ? 'live' : 'paper'] });
  }
  const lines = result.error.issues.map((i) => {
    const name = String(i.path[0] ?? 'config');
    const isSecret = (SECRET_VARS as readonly string[]).includes(name);
    const got = picked[name];
    const shown = got === undefined ? 'unset' : isSecret ? '(hidden)' : JSON.stringify(/_(URL|ROOT)$/.test(name) ? redactUrl(got) : got);
    return `${name}=${shown}: ${i.message}`;
  });
  throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
}
