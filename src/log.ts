// pino logger: secrets redacted, pretty on a terminal, JSON lines otherwise; sinks injectable for tests.
import pino, { type DestinationStream, type Logger } from 'pino';
import type { PrettyOptions, PrettyStream } from 'pino-pretty';

export type { Logger };

/** Paths pino replaces with "[Redacted]" wherever they appear in a log object. */
export const REDACT_PATHS = [
  'accessKey', 'secretKey', 'apiKey', 'token', 'password', 'authorization', 'Authorization', 'jwt',
  '*.accessKey', '*.secretKey', '*.apiKey', '*.token', '*.password', '*.authorization', '*.Authorization', '*.jwt',
  'headers.authorization', 'headers.Authorization', '*.headers.authorization', '*.headers.Authorization',
  'UPBIT_ACCESS_KEY', 'UPBIT_SECRET_KEY', 'GEMINI_API_KEY', 'TELEGRAM_BOT_TOKEN', 'DASHBOARD_PASSWORD',
  'API_TOKEN', 'DATABASE_AUTH_TOKEN', '*.UPBIT_SECRET_KEY', '*.UPBIT_ACCESS_KEY',
];

/** Masks things that look like credentials inside free text (bearer tokens, JWTs, bot tokens). */
export function scrubSecrets(text: string): string {
  return text
    .replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/g, 'Bearer [Redacted]')
    .replace(/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+/g, '[Redacted JWT]')
    .replace(/\/bot\d+:[A-Za-z0-9_-]+/g, '/bot[Redacted]');
}

export type LogOptions = {
  level?: string;
  /** 'auto' = pretty when stdout is a TTY. */
  pretty?: 'auto' | 'true' | 'false';
  /** Extra sinks (ring buffer, db) fed every line as JSON. */
  streams?: DestinationStream[];
  /** Replaces stdout as the main sink; null = no main sink (tests). */
  main?: DestinationStream | null;
  /** Literal secret values to mask wherever they appear in a message. */
  secrets?: readonly (string | undefined)[];
};

export function createLogger(opts: LogOptions = {}): Logger {
  const level = opts.level ?? 'info';
  const isPretty = opts.pretty === 'true' || ((opts.pretty ?? 'auto') === 'auto' && Boolean(process.stdout.isTTY));
  const secrets = spellings((opts.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 4));
  const main: DestinationStream | null =
    opts.main !== undefined
      ? opts.main
      : isPretty
        ? loadPretty()({ sync: true, colorize: true, translateTime: 'SYS:yyyy-mm-dd HH:MM:ss' })
        : pino.destination({ dest: 1, sync: true });
  const streams = [...(main ? [main] : []), ...(opts.streams ?? [])].map((stream) => ({ level: 'trace' as const, stream: masking(stream, secrets) }));
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.multistream(streams),
  );
}

/** pino-pretty only when pretty (services log JSON): it adds ~1 MB of resident memory on top of pino. */
function loadPretty(): (o: PrettyOptions) => PrettyStream {
  return (require('pino-pretty') as { default: (o: PrettyOptions) => PrettyStream }).default;
}

/** Each secret as it may appear in a JSON line: as is, JSON-escaped (a `"` or `\\` in a password), URL-encoded. */
function spellings(secrets: string[]): string[] {
  const all = new Set(secrets.flatMap((s) => [s, JSON.stringify(s).slice(1, -1), encodeURIComponent(s)]));
  return [...all].sort((a, b) => b.length - a.length);
}

function masking(stream: DestinationStream, secrets: string[]): DestinationStream {
  return {
    write(line: string) {
      let out = scrubSecrets(line);
      for (const s of secrets) out = out.split(s).join('[Redacted]');
      stream.write(out);
    },
  };
}

/** A logger that drops everything; for tests and tools that do not care. */
export const silentLogger: Logger = pino({ level: 'silent' });
