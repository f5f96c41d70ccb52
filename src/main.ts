// Composition root: config → db → logger → exchange → notifier → bot → jobs → web server; signals stop it cleanly.
// Gemini and Telegram are imported only when configured: their SDKs cost ~17 MB and ~9 MB of resident memory.
import { topCandidateAdviser, type Adviser } from './ai/adviser.ts';
import { createBot, type Bot } from './bot/bot.ts';
import type { CloseOutcome } from './bot/trade-cycle.ts';
import type { TradingMode } from './bot/view.ts';
import { systemClock, type Clock } from './clock.ts';
import { loadConfig, SECRET_VARS, type Config } from './config.ts';
import { openDatabase, type DbHandle } from './db/client.ts';
import { lockDatabase } from './db/instance-lock.ts';
import { createAdviserDecisionsRepo } from './db/repos/adviser-decisions.ts';
import { createBotStateRepo } from './db/repos/bot-state.ts';
import { createEventsRepo } from './db/repos/events.ts';
import { createOutboxRepo } from './db/repos/outbox.ts';
import type { Exchange } from './exchange/exchange.ts';
import { createPaperExchange } from './exchange/paper.ts';
import { createUpbitMarketStream } from './exchange/upbit/upbit-market-stream.ts';
import { createUpbitStack } from './exchange/upbit/upbit-stack.ts';
import { createDailyReset, createPrune } from './jobs/bodies.ts';
import { jobTable, startJobs, type Scheduler } from './jobs/jobs.ts';
import { createLogger, scrubSecrets, secretMasker, type Logger } from './log.ts';
import { createEventSink } from './notify/event-sink.ts';
import { createLogChannel } from './notify/log-channel.ts';
import type { Notifier } from './notify/notifier.ts';
import type { TelegramPoller } from './notify/telegram-poller.ts';
import { countAdvice, countOrdersByState, createOpsMetrics } from './ops-metrics.ts';
import { createApp } from './web/app.ts';
import type { SessionKeyStore } from './web/auth.ts';

export type AppOptions = {
  config: Config;
  mode: TradingMode;
  /** The bot's clock: the system clock, or the simulator's accelerated one in the demo. */
  clock?: Clock;
  /** Simulated ms per real ms (the demo's speed); scales the heartbeat staleness of /healthz. */
  speed?: number;
  logger?: Logger;
  onClose?: (outcome: CloseOutcome) => void;
};

export type RunningApp = { url: string; bot: Bot; logger: Logger; db: DbHandle; stop(reason: string): Promise<void> };

function buildExchange(config: Config, mode: TradingMode, db: DbHandle, clock: Clock, logger: Logger) {
  const hasKeys = mode !== 'paper';
  const stack = createUpbitStack({
    baseUrl: config.UPBIT_REST_URL,
    ...(hasKeys ? { accessKey: config.UPBIT_ACCESS_KEY, secretKey: config.UPBIT_SECRET_KEY } : {}),
    alg: config.UPBIT_JWT_ALG,
    timeoutMs: config.UPBIT_TIMEOUT_MS,
    blockScope: config.UPBIT_418_SCOPE,
    blockFallbackMs: config.UPBIT_418_FALLBACK_MS,
    logger,
  });
  // Paper trading is an adapter over the real quotes, never a flag inside the Upbit adapter.
  const exchange: Exchange =
    mode === 'paper' ? createPaperExchange({ quotes: stack.exchange, db: db.db, clock, random: Math.random, startKrw: config.PAPER_KRW }) : stack.exchange;
  return { exchange, stack };
}

async function buildAdviser(config: Config, db: DbHandle, clock: Clock): Promise<Adviser> {
  if (!config.GEMINI_API_KEY) return topCandidateAdviser;
  const { createGeminiAdviser, geminiOptionsFromConfig } = await import('./ai/gemini-adviser.ts');
  const decisions = createAdviserDecisionsRepo(db.db);
  const options = geminiOptionsFromConfig(config, { clock, countRequests: (r) => decisions.countRequests({ adviser: 'gemini', ...r }) });
  return options ? createGeminiAdviser(options) : topCandidateAdviser;
}

/** Telegram when both variables are set: the channel now, the commands once the bot exists. */
async function buildTelegram(config: Config, logger: Logger) {
  if (!config.TELEGRAM_BOT_TOKEN || !config.TELEGRAM_CHAT_ID) return null;
  const [{ createTelegramBot, createTelegramChannel }, { createTelegramCommands }, { createTelegramPoller }] = await Promise.all([
    import('./notify/telegram.ts'),
    import('./notify/telegram-commands.ts'),
    import('./notify/telegram-poller.ts'),
  ]);
  const chatId = config.TELEGRAM_CHAT_ID;
  const tg = createTelegramBot({ token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT });
  return {
    channel: createTelegramChannel({ api: tg.api, chatId, logger }),
    listen(bot: Bot, mode: TradingMode, clock: Clock): TelegramPoller {
      createTelegramCommands({ bot: tg, chatId, queries: bot.queries, commands: bot.commands, mode, locale: config.LOCALE, clock, logger });
      const poller = createTelegramPoller({ bot: tg, logger });
      poller.start();
      return poller;
    },
  };
}

/** The dashboard's session key in the bot_state table: sessions outlive a restart, and so does a logout. */
function sessionKeysIn(db: DbHandle): SessionKeyStore {
  const repo = createBotStateRepo(db.db);
  return {
    load: async () => (await repo.get<string>('dashboard-session-key'))?.value ?? null,
    save: (key) => repo.set('dashboard-session-key', key, Date.now()),
  };
}

/** HOST as it goes in a URL: an IPv6 address in brackets. */
const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/** Starts the whole product in one process; `bun run start` and `bun run demo` both come through here. */
export async function startApp(o: AppOptions): Promise<RunningApp> {
  const { config, mode } = o;
  const clock = o.clock ?? systemClock;
  // One bot per database file: a second one would trade the same account from the same rows.
  const lock = lockDatabase(config.DATABASE_URL);
  let db: DbHandle;
  try {
    // A database of another mode is refused here, untouched: paper positions are never reconciled against real money.
    db = await openDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN, { mode, now: () => clock.now() });
  } catch (err) {
    lock.release();
    throw err;
  }
  // The port is taken before the bot starts, so a busy port stops the start before anything trades; until the
  // app exists, requests get 503.
  const hostPart = urlHost(config.HOST);
  let appFetch: ((req: Request) => Response | Promise<Response>) | null = null;
  let server: ReturnType<typeof Bun.serve>;
  try {
    server = Bun.serve({ hostname: config.HOST, port: config.PORT, fetch: (req) => appFetch?.(req) ?? new Response('starting', { status: 503 }) });
  } catch (err) {
    db.close();
    lock.release();
    throw new Error(`Could not listen on ${hostPart}:${config.PORT} (HOST, PORT): ${(err as Error).message}`);
  }
  let bot: Bot | null = null;
  try {
    return await startOn({ o, clock, db, server, setFetch: (f) => (appFetch = f), onBot: (b) => (bot = b), release: () => lock.release() });
  } catch (err) {
    await (bot as Bot | null)?.stop('start failed').catch(() => undefined);
    await server.stop(true);
    db.close();
    lock.release();
    throw err;
  }
}

type StartParts = {
  o: AppOptions;
  clock: Clock;
  db: DbHandle;
  server: ReturnType<typeof Bun.serve>;
  setFetch(f: (req: Request) => Response | Promise<Response>): void;
  onBot(bot: Bot): void;
  release(): void;
};

/** Everything after the database and the port: logger, exchange, notifier, bot, jobs, app. */
async function startOn({ o, clock, db, server, setFetch, onBot, release }: StartParts): Promise<RunningApp> {
  const { config, mode } = o;
  const eventsRepo = createEventsRepo(db.db);
  const sink = createEventSink({ append: (batch) => eventsRepo.appendMany(batch), now: () => clock.now() });
  const secrets = SECRET_VARS.map((k) => config[k]);
  const logger = o.logger ?? createLogger({ level: config.LOG_LEVEL, pretty: config.LOG_PRETTY, streams: [sink.stream], secrets });
  if (mode === 'paper' && (config.UPBIT_ACCESS_KEY || config.UPBIT_SECRET_KEY)) {
    logger.warn('Upbit keys are set but this is PAPER trading (simulated fills, no real orders): real money needs TRADING_MODE=live as well');
  }
  const { exchange, stack } = buildExchange(config, mode, db, clock, logger);
  const stream = createUpbitMarketStream({ url: config.UPBIT_WS_URL, logger });
  const metrics = createOpsMetrics();
  const adviser = countAdvice(await buildAdviser(config, db, clock), metrics.recordAdvice);
  const channels: Notifier[] = [createLogChannel(logger)];
  const telegram = await buildTelegram(config, logger);
  if (telegram) channels.push(telegram.channel);
  const bot = createBot({ config, mode, db: db.db, exchange, stream, clock, logger, random: Math.random, adviser, channels, onClose: o.onClose });
  onBot(bot);
  await bot.start();
  const poller = telegram?.listen(bot, mode, clock) ?? null;

  const scheduler: Scheduler = startJobs({
    specs: jobTable(
      {
        'candle-close': () => bot.jobs.candleClose(),
        reconcile: () => bot.jobs.reconcile(),
        'daily-reset': createDailyReset({ clock, mode, dailyPnl: bot.dailyPnl, publisher: bot.outbox, equityKrw: async () => (await bot.queries.status()).equity }),
        heartbeat: () => bot.botState.heartbeat(),
        prune: createPrune({ clock, events: eventsRepo, outbox: createOutboxRepo(db.db) }),
        'outbox-dispatch': () => bot.outbox.dispatchDue(),
        'event-flush': () => sink.flush(),
      },
      // Checked every second against the bot's clock, so an accelerated demo clock closes on time too; on such a
      // clock the heartbeat beats every real second too, or it would look stale to the dashboard (the demo's 60×).
      { 'candle-close': '* * * * * *', ...((o.speed ?? 1) > 1 ? { heartbeat: '* * * * * *' } : {}) },
    ),
    timezone: config.TZ_TRADING,
    logger,
    clock: systemClock,
    scope: `${server.port}`,
    onRun: metrics.recordJobRun,
  });
  await bot.botState.heartbeat();

  const app = createApp({
    queries: bot.queries,
    commands: bot.commands,
    clock, // the render cache's window on the read cache's clock
    auth: {
      password: config.DASHBOARD_PASSWORD ?? null,
      apiToken: config.API_TOKEN ?? null,
      now: () => Date.now(),
      isSecure: config.PUBLIC_URL?.startsWith('https:') ?? false,
      sessionKeys: sessionKeysIn(db),
    },
    ...(config.PUBLIC_URL ? { publicOrigin: config.PUBLIC_URL } : {}),
    locale: config.LOCALE,
    heartbeatStaleMs: 120_000 * Math.max(1, o.speed ?? 1),
    logger,
    metrics: {
      render: () => metrics.render({ status: () => bot.queries.status(), ordersByState: () => countOrdersByState(db.db), restStats: () => stack.client.stats() }),
      token: config.METRICS_TOKEN ?? null,
    },
  });
  setFetch((req) => app.fetch(req));
  const url = `http://${urlHost(config.HOST)}:${server.port}`;
  logger.info({ url, mode, exchange: config.UPBIT_REST_URL }, `CoinButler ${mode.toUpperCase()} — dashboard at ${url}`);

  let isStopped = false;
  return {
    url,
    bot,
    logger,
    db,
    async stop(reason) {
      if (isStopped) return;
      isStopped = true;
      logger.info({ reason }, 'shutting down: no new entries, waiting for orders in flight');
      // Every step runs even when one before it fails, so the db is closed and its lock freed whatever happened.
      const steps: [string, () => unknown][] = [
        ['the jobs', () => scheduler.stop(10_000)],
        ['Telegram polling', () => poller?.stop()],
        ['the bot', () => bot.stop(reason)],
        ['the log sink', () => sink.flush()],
        ['the web server', () => server.stop()],
        ['the database', () => db.close()],
        ['the database lock', () => release()],
      ];
      for (const [what, step] of steps) {
        try {
          await step();
        } catch (err) {
          logger.error({ err }, `shutting down: stopping ${what} failed; the rest still stops`);
        }
      }
    },
  };
}

/** Stops on SIGINT/SIGTERM, then exits 0. */
export function stopOnSignals(app: Pick<RunningApp, 'stop' | 'logger'>, extra?: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const handler = (signal: string) => {
      void app
        .stop(signal)
        .then(() => extra?.())
        .catch((err) => app.logger.error({ err }, 'shutdown failed'))
        .finally(resolve);
    };
    process.once('SIGINT', () => handler('SIGINT'));
    process.once('SIGTERM', () => handler('SIGTERM'));
  });
}

/** `bun run start`: paper by default against Upbit's real public quotes. */
export async function runStart(_args: string[]): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  if (config.TRADING_MODE === 'demo') {
    console.error('TRADING_MODE=demo is set only by `bun run demo`; use paper or live with `bun run start`');
    return 2;
  }
  const app = await startApp({ config, mode: config.TRADING_MODE }).catch((err: unknown) => {
    console.error(startFailure(err, config));
    return null;
  });
  if (!app) return 1;
  await stopOnSignals(app);
  return 0;
}

/** Why the start failed, in one line without a stack, and without any secret the message might carry. */
export function startFailure(err: unknown, config: Config): string {
  const maskSecrets = secretMasker(SECRET_VARS.map((k) => config[k]), '(hidden)');
  const text = maskSecrets(scrubSecrets(err instanceof Error ? err.message : String(err))).replace(/\s+/g, ' ').trim();
  return `CoinButler did not start: ${text}`;
}
