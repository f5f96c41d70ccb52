// Upbit WebSocket stream: one connection for many markets; keep-alive, dead-socket detection, reconnect + resubscribe.
import type { Balance, Candle, Fill, Order, Ticker } from '../../core/types.ts';
import { systemClock, type Clock } from '../../clock.ts';
import { silentLogger, type Logger } from '../../log.ts';
import { decodeFrame, parseStreamFrame, StreamMessageInvalid, type MarketTrade, type StreamCandleUnit, type StreamMessage } from './websocket-parsers.ts';
import { backoffDelayMs, buildRequestFrame, createMessageLimiter, type BackoffOptions, type StreamFormat, type StreamSubscriptions } from './websocket-request.ts';

export type { MarketTrade, StreamCandleUnit, StreamFormat, StreamSubscriptions };

export type StreamStatus = 'idle' | 'connecting' | 'open' | 'closed' | 'stopped';

export type StreamState = {
  status: StreamStatus;
  /** Why the last connection ended ("closed 1006", "no frame for 45000 ms", "authorize failed: …"). */
  reason: string | null;
  /** Last frame of any kind (heartbeats included), epoch ms; backfill from here after a reconnect. */
  lastMessageAt: number | null;
  /** Consecutive attempts without a working connection. */
  attempt: number;
  /** Delay before the next attempt while `closed`. */
  retryInMs: number | null;
  /** Times a socket has opened; above 1 the feed had a gap. */
  connects: number;
};

export type StreamHandlers = {
  onTicker?(ticker: Ticker, isSnapshot: boolean): void;
  onTrade?(trade: MarketTrade, isSnapshot: boolean): void;
  /** The same bucket arrives repeatedly while it is open; the last one wins. */
  onCandle?(unit: StreamCandleUnit, candle: Candle, isSnapshot: boolean): void;
  /** Private socket: an order changed; `fill` is set when the change is an execution. */
  onOrder?(order: Order, fill: Fill | null): void;
  /** Private socket: balances of the currencies that changed. `avgBuyPrice` is NaN (not carried). */
  onBalance?(balances: Balance[], time: number): void;
  onState?(state: StreamState): void;
  onError?(error: Error): void;
};

/** The server answered with an error frame, e.g. WRONG_FORMAT or "Too Many Requests". */
export class StreamRejected extends Error {
  override readonly name = 'StreamRejected';
  readonly code: string;
  constructor(code: string, message: string) {
    super(`WebSocket request rejected: ${code}${message ? ` (${message})` : ''}`);
    this.code = code;
  }
}

/** The minimal WebSocket surface we use; Bun's global WebSocket fits (it takes `{ headers }`). */
export type WebSocketLike = {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
};
export type WebSocketCtor = new (url: string, options: { headers: Record<string, string> }) => WebSocketLike;

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export type UpbitStreamOptions = {
  /** wss://api.upbit.com/websocket/v1 or …/websocket/v1/private. */
  url: string;
  handlers: StreamHandlers;
  subscriptions?: StreamSubscriptions;
  /** SIMPLE (default) halves the bytes; parsing accepts both. */
  format?: StreamFormat;
  /** Returns the Authorization header value ("Bearer <jwt>"); called before every connect (fresh nonce). */
  authorize?: () => Promise<string>;
  WebSocketImpl?: WebSocketCtor;
  clock?: Clock;
  sleep?: Sleep;
  random?: () => number;
  logger?: Logger;
  ticket?: string;
  /** Text PING cadence; Upbit closes after 120 s idle. Default 20 s. */
  pingIntervalMs?: number;
  /** No frame for this long (or no answer to the handshake) = dead socket → reconnect. Default 45 s. */
  deadAfterMs?: number;
  /** How often the keep-alive/dead check runs. Default 1 s. */
  watchdogMs?: number;
  backoff?: BackoffOptions;
};

export type UpbitStream = {
  start(): void;
  /** Closes the socket and ends the reconnect loop. */
  stop(): Promise<void>;
  /** Replaces the whole set and sends it (coalesced, within 5 msgs/s and 100/min per connection). */
  setSubscriptions(subs: StreamSubscriptions): void;
  state(): StreamState;
};

const OPEN = 1;

const abortableSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

type Conn = {
  ws: WebSocketLike;
  isOpen: boolean;
  lastFrameAt: number;
  lastPingAt: number;
  hadData: boolean;
  lastFrame: string | null;
  finish(reason: string): void;
};

export function createUpbitStream(opts: UpbitStreamOptions): UpbitStream {
  const { url, handlers } = opts;
  const WebSocketImpl = opts.WebSocketImpl ?? (globalThis.WebSocket as unknown as WebSocketCtor);
  const clock = opts.clock ?? systemClock;
  const sleep = opts.sleep ?? abortableSleep;
  const random = opts.random ?? Math.random;
  const log = opts.logger ?? silentLogger;
  const format = opts.format ?? 'SIMPLE';
  const ticket = opts.ticket ?? `coinbutler-${crypto.randomUUID()}`;
  const pingIntervalMs = opts.pingIntervalMs ?? 20_000;
  const deadAfterMs = opts.deadAfterMs ?? 45_000;
  const watchdogMs = opts.watchdogMs ?? 1_000;
  const backoff = opts.backoff ?? { baseMs: 1_000, maxMs: 30_000 };
  const limiter = createMessageLimiter();
  let subs: StreamSubscriptions = opts.subscriptions ?? {};
  let conn: Conn | null = null;
  let running = false;
  let stopCtl = new AbortController();
  let loop: Promise<void> | null = null;
  let isFlushing = false;
  let current: StreamState = { status: 'idle', reason: null, lastMessageAt: null, attempt: 0, retryInMs: null, connects: 0 };
  // Updated on every frame without emitting; copied into each emitted state so emitted objects never change.
  let lastMessageAt: number | null = null;

  const setState = (patch: Partial<StreamState>) => {
    current = { ...current, ...patch, lastMessageAt };
    log.info({ url, status: current.status, reason: current.reason, retryInMs: current.retryInMs }, 'upbit stream state');
    safely(() => handlers.onState?.(current));
  };
  const report = (error: Error) => {
    log.warn({ url, err: error }, 'upbit stream error');
    safely(() => handlers.onError?.(error));
  };
  function safely(fn: () => void) {
    try {
      fn();
    } catch (err) {
      log.error({ url, err }, 'upbit stream handler threw');
    }
  }

  function dispatch(msg: StreamMessage) {
    switch (msg.kind) {
      case 'ticker': return safely(() => handlers.onTicker?.(msg.ticker, msg.isSnapshot));
      case 'trade': return safely(() => handlers.onTrade?.(msg.trade, msg.isSnapshot));
      case 'candle': return safely(() => handlers.onCandle?.(msg.unit, msg.candle, msg.isSnapshot));
      case 'order': return safely(() => handlers.onOrder?.(msg.order, msg.fill));
      case 'balance': return safely(() => handlers.onBalance?.(msg.balances, msg.time));
      case 'error': return report(new StreamRejected(msg.code, msg.message));
      default: return undefined; // heartbeat, subscription lists, unknown types
    }
  }

  function onFrame(c: Conn, data: unknown) {
    const now = clock.now();
    c.lastFrameAt = now;
    lastMessageAt = now;
    const text = decodeFrame(data);
    if (text === null) return report(new StreamMessageInvalid(`Unsupported WebSocket frame type: ${typeof data}`));
    let msg: StreamMessage;
    try {
      msg = parseStreamFrame(text);
    } catch (err) {
      return report(err instanceof Error ? err : new StreamMessageInvalid(String(err)));
    }
    if (msg.kind !== 'error') c.hadData = true;
    dispatch(msg);
    // Error frames answer our own requests: the subscription was refused, and heartbeats would keep an open socket
    // that carries no prices looking alive. Reconnect (the REST fallback covers the gap); a refusal does not reset
    // the backoff, so a refusal that repeats is retried ever more slowly.
    if (msg.kind === 'error') {
      c.hadData = false;
      c.finish(`subscription refused: ${msg.code}`);
    }
  }

  async function flushSubscriptions() {
    if (isFlushing) return;
    isFlushing = true;
    try {
      for (let wait = limiter.waitMs(clock.now()); wait > 0 && running; wait = limiter.waitMs(clock.now())) {
        await sleep(wait, stopCtl.signal);
      }
      const c = conn;
      if (!c || c.ws.readyState !== OPEN) return;
      const frame = buildRequestFrame(subs, ticket, format);
      if (frame === null || frame === c.lastFrame) return;
      limiter.record(clock.now());
      c.lastFrame = frame;
      c.ws.send(frame);
    } finally {
      isFlushing = false;
    }
  }

  async function watchdog(c: Conn, signal: AbortSignal) {
    while (!signal.aborted) {
      await sleep(watchdogMs, signal);
      if (signal.aborted) return;
      const now = clock.now();
      if (now - c.lastFrameAt > deadAfterMs) return c.finish(c.isOpen ? `no frame for ${deadAfterMs} ms` : `no answer to the handshake for ${deadAfterMs} ms`);
      if (now - c.lastPingAt >= pingIntervalMs && c.ws.readyState === OPEN) {
        c.lastPingAt = now;
        c.ws.send('PING');
      }
    }
  }

  async function connectOnce(): Promise<{ reason: string; hadData: boolean }> {
    const headers: Record<string, string> = {};
    if (opts.authorize) {
      try {
        headers.Authorization = await opts.authorize();
      } catch (cause) {
        report(new Error('Could not authorize the private WebSocket', { cause }));
        return { reason: 'authorize failed', hadData: false };
      }
    }
    return new Promise((resolve) => {
      let ws: WebSocketLike;
      try {
        ws = new WebSocketImpl(url, { headers });
      } catch (cause) {
        return resolve({ reason: `connect failed: ${String(cause)}`, hadData: false });
      }
      const ctl = new AbortController();
      const c: Conn = { ws, isOpen: false, lastFrameAt: clock.now(), lastPingAt: clock.now(), hadData: false, lastFrame: null, finish };
      conn = c;
      function finish(reason: string) {
        if (ctl.signal.aborted) return;
        ctl.abort();
        ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
        if (conn === c) conn = null;
        try {
          ws.close(1000, 'client closing');
        } catch {
          // already closed
        }
        resolve({ reason, hadData: c.hadData });
      }
      ws.onopen = () => {
        limiter.reset();
        c.isOpen = true;
        c.lastFrameAt = c.lastPingAt = clock.now();
        setState({ status: 'open', reason: null, retryInMs: null, connects: current.connects + 1 });
        void flushSubscriptions();
      };
      ws.onmessage = (ev) => onFrame(c, ev.data);
      ws.onclose = (ev) => finish(`closed ${ev.code}${ev.reason ? ` ${ev.reason}` : ''}`);
      ws.onerror = () => finish('socket error');
      // From the start, not from onopen: a handshake that is never answered would otherwise hang the loop for good.
      void watchdog(c, ctl.signal);
    });
  }

  async function run() {
    let attempt = 0;
    while (running) {
      setState({ status: 'connecting', attempt, retryInMs: null });
      const outcome = await connectOnce();
      if (!running) break;
      attempt = outcome.hadData ? 0 : attempt + 1;
      const retryInMs = backoffDelayMs(attempt, backoff, random);
      setState({ status: 'closed', reason: outcome.reason, attempt, retryInMs });
      await sleep(retryInMs, stopCtl.signal);
    }
    setState({ status: 'stopped', retryInMs: null });
  }

  return {
    start() {
      if (running) return;
      running = true;
      stopCtl = new AbortController();
      loop = run();
    },
    async stop() {
      running = false;
      stopCtl.abort();
      conn?.finish('stopped');
      await loop;
      loop = null;
    },
    setSubscriptions(next) {
      subs = next;
      void flushSubscriptions();
    },
    state: () => ({ ...current, lastMessageAt }),
  };
}
