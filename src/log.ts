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
  const maskSecrets = secretMasker(opts.secrets ?? [], '[Redacted]');
  const main: DestinationStream | null =
    opts.main !== undefined
      ? opts.main
      : isPretty
        ? loadPretty()({ sync: true, colorize: true, translateTime: 'SYS:yyyy-mm-dd HH:MM:ss' })
        : pino.destination({ dest: 1, sync: true });
  const streams = [...(main ? [main] : []), ...(opts.streams ?? [])].map((stream) => ({ level: 'trace' as const, stream: masking(stream, maskSecrets) }));
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

/**
 * Replaces every literal secret value (4 characters or more) in a text by `mask`, however the text spells it:
 * as is, JSON-escaped (a `"` or `\\` in a password, in a JSON log line) or URL-encoded (in an error's URL).
 */
export function secretMasker(values: readonly (string | undefined)[], mask: string): (text: string) => string {
  const secrets = values.filter((v): v is string => typeof v === 'string' && v.length >= 4);
  const spellings = [...new Set(secrets.flatMap((v) => [v, JSON.stringify(v).slice(1, -1), encodeURIComponent(v)]))].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const s of spellings) out = out.split(s).join(mask);
    return out;
  };
}

function masking(stream: DestinationStream, maskSecrets: (text: string) => string): DestinationStream {
  return { write: (line: string) => stream.write(maskSecrets(scrubSecrets(line))) };
}

/** A logger that drops everything; for tests and tools that do not care. */
export const silentLogger: Logger = pino({ level: 'silent' });
