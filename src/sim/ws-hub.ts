// The simulator's Upbit WebSocket: request validation, message limits, PING/UP, idle close, fan-out, private pushes, drops.
import type { ServerWebSocket, WebSocketHandler } from 'bun';
import type { Clock } from '../clock.ts';
import { silentLogger, type Logger } from '../log.ts';
import type { MarketModel, SimWsData, SimWsHub } from './types.ts';
import { encodePayload, type Payload } from './ws-payloads.ts';
import { createWsPublisher, type HubSocket, type PublishCounters } from './ws-publisher.ts';
import { parseWsRequest, type WsError, type WsSubscription } from './ws-request.ts';

export type SimWsHubOptions = {
  model: MarketModel;
  /** Simulated time: snapshots and trade cursors. */
  clock: Clock;
  logger?: Logger;
  /** Real ms without any client frame before the server closes the socket (Upbit: 120 s). */
  idleTimeoutMs?: number;
  /** Real ms between {"status":"UP"} frames once a client has sent PING (Upbit: 10 s). */
  heartbeatMs?: number;
  /** websocket-message limit per connection, fixed windows. */
  maxMessagesPerSecond?: number;
  maxMessagesPerMinute?: number;
  /** How often idle/heartbeat checks run (real ms). */
  housekeepingMs?: number;
  /** Real time source (ms). */
  realNow?: () => number;
};

export type SimWsHubStats = PublishCounters & { sockets: number };

type Conn = HubSocket & {
  lastInboundAt: number;
  heartbeatAt: number | null;
  secWindow: number;
  secCount: number;
  minWindow: number;
  minCount: number;
};

const STATUS_UP = Buffer.from('{"status":"UP"}');
const decoder = new TextDecoder();

export function createSimWsHub(opts: SimWsHubOptions): SimWsHub & { stats(): SimWsHubStats } {
  const { model, clock } = opts;
  const log = opts.logger ?? silentLogger;
  const idleTimeoutMs = opts.idleTimeoutMs ?? 120_000;
  const heartbeatMs = opts.heartbeatMs ?? 10_000;
  const perSecond = opts.maxMessagesPerSecond ?? 5;
  const perMinute = opts.maxMessagesPerMinute ?? 100;
  const housekeepingMs = opts.housekeepingMs ?? 1_000;
  const realNow = opts.realNow ?? (() => performance.now());
  const conns = new Map<number, Conn>();
  const counters: PublishCounters = { messages: 0, bytes: 0 };
  const publisher = createWsPublisher(model, counters);
  let timer: ReturnType<typeof setInterval> | null = null;

  const sendRaw = (ws: ServerWebSocket<SimWsData>, bytes: Buffer) => {
    ws.send(bytes);
    counters.messages += 1;
    counters.bytes += bytes.length;
  };
  const sendError = (c: Conn, error: WsError) => {
    log.debug({ socket: c.ws.data.id, error: error.name }, 'sim ws request rejected');
    sendRaw(c.ws, Buffer.from(JSON.stringify({ error: error })));
  };

  function housekeep() {
    const now = realNow();
    for (const c of conns.values()) {
      if (now - c.lastInboundAt > idleTimeoutMs) {
        log.info({ socket: c.ws.data.id }, 'sim ws idle close');
        forget(c);
        c.ws.close(1000, 'idle timeout');
      } else if (c.heartbeatAt !== null && now - c.heartbeatAt >= heartbeatMs) {
        c.heartbeatAt = now;
        sendRaw(c.ws, STATUS_UP);
      }
    }
  }

  function forget(c: Conn) {
    if (!conns.delete(c.ws.data.id)) return;
    publisher.reindex(conns.values(), clock.now());
    if (conns.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  }

  /** Fixed 1-s and 60-s windows (shared/upbit-api.md §3.2: window semantics UNCONFIRMED). */
  function withinLimit(c: Conn): boolean {
    const now = realNow();
    const sec = Math.floor(now / 1_000);
    const min = Math.floor(now / 60_000);
    if (sec !== c.secWindow) [c.secWindow, c.secCount] = [sec, 0];
    if (min !== c.minWindow) [c.minWindow, c.minCount] = [min, 0];
    if (c.secCount >= perSecond || c.minCount >= perMinute) return false;
    c.secCount += 1;
    c.minCount += 1;
    return true;
  }

  function onRequest(c: Conn, text: string) {
    if (!withinLimit(c)) return sendError(c, { name: 'Too Many Requests', message: `more than ${perSecond}/s or ${perMinute}/min` });
    const parsed = parseWsRequest(text, c.ws.data.isPrivate);
    if (!parsed.ok) return sendError(c, parsed.error);
    const req = parsed.request;
    if (req.format) c.format = req.format;
    if (req.kind === 'list') {
      const body = { method: 'LIST_SUBSCRIPTIONS', result: c.subscriptions.map(listEntry), ticket: req.ticket };
      return sendRaw(c.ws, Buffer.from(JSON.stringify(body)));
    }
    const now = clock.now();
    // A new request replaces the connection's set (shared/upbit-api.md §8.2, UNCONFIRMED upstream).
    c.subscriptions = req.subscriptions;
    publisher.reindex(conns.values(), now);
    publisher.snapshot(c, now);
  }

  const handler: WebSocketHandler<SimWsData> = {
    // Idleness is measured here (configurable); Bun's own timeout and server pings are off.
    idleTimeout: 0,
    sendPings: false,
    open(ws) {
      const now = realNow();
      conns.set(ws.data.id, { ws, format: 'DEFAULT', subscriptions: [], lastInboundAt: now, heartbeatAt: null, secWindow: 0, secCount: 0, minWindow: 0, minCount: 0 });
      timer ??= setInterval(housekeep, housekeepingMs);
    },
    message(ws, message) {
      const c = conns.get(ws.data.id);
      if (!c) return;
      c.lastInboundAt = realNow();
      const text = typeof message === 'string' ? message : decoder.decode(message);
      if (text.trim() === 'PING') {
        c.heartbeatAt = c.lastInboundAt;
        return sendRaw(ws, STATUS_UP);
      }
      onRequest(c, text);
    },
    ping(ws) {
      const c = conns.get(ws.data.id);
      if (c) c.lastInboundAt = realNow();
    },
    close(ws) {
      const c = conns.get(ws.data.id);
      if (c) forget(c);
    },
  };

  return {
    handler,
    publish(now) {
      publisher.publish(now);
    },
    publishPrivate(accessKey, payload) {
      const full: Payload = { ...payload, timestamp: payload.timestamp ?? clock.now(), stream_type: payload.stream_type ?? 'REALTIME' };
      for (const c of conns.values()) {
        if (!c.ws.data.isPrivate || c.ws.data.accessKey !== accessKey) continue;
        if (c.subscriptions.some((sub) => wantsPrivate(sub, full))) sendRaw(c.ws, encodePayload(full, c.format));
      }
    },
    dropAll() {
      const all = [...conns.values()];
      for (const c of all) forget(c);
      for (const c of all) c.ws.terminate();
      log.info({ sockets: all.length }, 'sim ws dropped every socket');
    },
    sockets: () => [...conns.values()].map((c) => c.ws),
    stats: () => ({ ...counters, sockets: conns.size }),
  };
}

function wantsPrivate(sub: WsSubscription, payload: Payload): boolean {
  if (sub.type !== payload.type) return false;
  return sub.type !== 'myOrder' || sub.codes.length === 0 || sub.codes.includes(String(payload.code));
}

function listEntry(sub: WsSubscription) {
  return sub.type === 'orderbook' ? { type: sub.type, codes: sub.codes, level: 0 } : { type: sub.type, codes: sub.codes };
}
