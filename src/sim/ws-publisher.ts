// The hub's fan-out: indexes who wants what, sends SNAPSHOTs on subscribe and REALTIME changes on publish(now).
import type { ServerWebSocket } from 'bun';
import type { MarketModel, SimWsData } from './types.ts';
import { candlePayload, encodePayload, orderbookPayload, tickerPayload, tradePayload, type Payload } from './ws-payloads.ts';
import { CANDLE_TYPES, splitOrderbookCode, type WsFormat, type WsSubscription } from './ws-request.ts';

export type HubSocket = {
  ws: ServerWebSocket<SimWsData>;
  format: WsFormat;
  subscriptions: WsSubscription[];
};

export type PublishCounters = { messages: number; bytes: number };

type Seen = { price: number; tradeTime: number; askBid: 'ASK' | 'BID' };
type CandleSeen = { pushedAt: number; openTime: number; lastTradeTime: number };
const CANDLE_MIN_INTERVAL_MS = 1_000;

export function createWsPublisher(model: MarketModel, counters: PublishCounters) {
  let tickerSubs = new Map<string, HubSocket[]>();
  let tradeSubs = new Map<string, HubSocket[]>();
  let bookSubs = new Map<string, Map<number, HubSocket[]>>();
  let candleSubs = new Map<string, Map<string, HubSocket[]>>();
  let markets: string[] = [];
  const seen = new Map<string, Seen>();
  const tradeCursor = new Map<string, number>();
  const candleSeen = new Map<string, CandleSeen>();

  function send(list: Iterable<HubSocket>, payload: Payload) {
    const cache: Partial<Record<WsFormat, Buffer>> = {};
    for (const s of list) {
      const bytes = (cache[s.format] ??= encodePayload(payload, s.format));
      s.ws.send(bytes);
      counters.messages += 1;
      counters.bytes += bytes.length;
    }
  }

  const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };

  /** Rebuilds the realtime index after any subscription change; `now` starts the trade cursor of new markets. */
  function reindex(sockets: Iterable<HubSocket>, now: number) {
    tickerSubs = new Map();
    tradeSubs = new Map();
    bookSubs = new Map();
    candleSubs = new Map();
    for (const s of sockets) {
      for (const sub of s.subscriptions) {
        if (sub.isOnlySnapshot) continue;
        for (const code of sub.codes) {
          if (sub.type === 'ticker') push(tickerSubs, code, s);
          else if (sub.type === 'trade') push(tradeSubs, code, s);
          else if (sub.type === 'orderbook') {
            const { market, depth } = splitOrderbookCode(code);
            const byDepth = bookSubs.get(market) ?? new Map<number, HubSocket[]>();
            bookSubs.set(market, byDepth);
            push(byDepth, depth, s);
          } else if (sub.type in CANDLE_TYPES) {
            const byMarket = candleSubs.get(sub.type) ?? new Map<string, HubSocket[]>();
            candleSubs.set(sub.type, byMarket);
            push(byMarket, code, s);
          }
        }
      }
    }
    markets = [...new Set([...tickerSubs.keys(), ...tradeSubs.keys(), ...bookSubs.keys()])].filter((m) => model.hasMarket(m));
    for (const m of tradeCursor.keys()) if (!tradeSubs.has(m)) tradeCursor.delete(m);
    for (const m of tradeSubs.keys()) if (!tradeCursor.has(m)) tradeCursor.set(m, now);
  }

  /** Sends one SNAPSHOT per requested code (skipping is_only_realtime and unknown markets). */
  function snapshot(s: HubSocket, now: number) {
    for (const sub of s.subscriptions) {
      if (sub.isOnlyRealtime) continue;
      for (const code of sub.codes) {
        const payload = snapshotPayload(sub.type, code, now);
        if (payload) send([s], payload);
      }
    }
  }

  function snapshotPayload(type: string, code: string, now: number): Payload | null {
    const { market, depth } = type === 'orderbook' ? splitOrderbookCode(code) : { market: code, depth: 0 };
    if (!model.hasMarket(market)) return null;
    if (type === 'orderbook') return orderbookPayload(market, model.orderbook(market, now, depth), now, 'SNAPSHOT');
    const unitSec = CANDLE_TYPES[type];
    if (unitSec !== undefined) {
      // With no trade yet in the current bucket this is the previous bucket, as on Upbit.
      const candle = model.candles(market, unitSec, now + 1, 1, now)[0];
      if (!candle) return null;
      // Remembered as sent, so the bucket's final state is pushed when the next bucket begins.
      const key = `${type}|${market}`;
      if (!candleSeen.has(key)) {
        candleSeen.set(key, { pushedAt: now - CANDLE_MIN_INTERVAL_MS, openTime: candle.openTime, lastTradeTime: candle.lastTradeTime });
      }
      return candlePayload(market, type, candle, now, 'SNAPSHOT');
    }
    const stats = model.ticker(market, now);
    if (type === 'ticker') return tickerPayload(stats, seen.get(market)?.askBid ?? 'BID', now, 'SNAPSHOT');
    const last = model.trades(market, stats.tradeTime - 1, stats.tradeTime).at(-1);
    if (type === 'trade' && last) return tradePayload(last, stats.prevClose, model.orderbook(market, now, 1)[0], now, 'SNAPSHOT');
    return null;
  }

  function publishMarket(m: string, now: number) {
    const stats = model.ticker(m, now);
    const prev = seen.get(m);
    let askBid = prev?.askBid ?? 'BID';
    const traders = tradeSubs.get(m);
    const from = tradeCursor.get(m) ?? now;
    if (traders && now > from) {
      const trades = model.trades(m, from, now);
      tradeCursor.set(m, now);
      const best = trades.length > 0 ? model.orderbook(m, now, 1)[0] : undefined;
      for (const t of trades) send(traders, tradePayload(t, stats.prevClose, best, now, 'REALTIME'));
      const last = trades.at(-1);
      if (last) askBid = last.side === 'buy' ? 'BID' : 'ASK';
    }
    const tickers = tickerSubs.get(m);
    if (tickers && prev?.price !== stats.price) send(tickers, tickerPayload(stats, askBid, now, 'REALTIME'));
    const books = bookSubs.get(m);
    if (books && prev?.tradeTime !== stats.tradeTime) {
      const levels = model.orderbook(m, now, Math.max(...books.keys()));
      for (const [depth, list] of books) send(list, orderbookPayload(m, levels.slice(0, depth), now, 'REALTIME'));
    }
    seen.set(m, { price: stats.price, tradeTime: stats.tradeTime, askBid });
  }

  function publishCandles(now: number) {
    for (const [type, byMarket] of candleSubs) {
      const unitSec = CANDLE_TYPES[type] ?? 60;
      for (const [m, list] of byMarket) {
        const key = `${type}|${m}`;
        const last = candleSeen.get(key);
        if ((last && now - last.pushedAt < CANDLE_MIN_INTERVAL_MS) || !model.hasMarket(m)) continue;
        const c = model.candles(m, unitSec, now + 1, 1, now)[0];
        if (!c || (last && last.openTime === c.openTime && last.lastTradeTime === c.lastTradeTime)) continue;
        if (last && last.openTime < c.openTime) {
          // The bucket changed within one step: send the previous bucket's final state first, as Upbit's
          // stream would have, so a client never closes a bucket on a state missing its last trades.
          const prev = model.candles(m, unitSec, last.openTime + 1, 1, now)[0];
          if (prev && prev.openTime === last.openTime && prev.lastTradeTime !== last.lastTradeTime) {
            send(list, candlePayload(m, type, prev, now, 'REALTIME'));
          }
        }
        send(list, candlePayload(m, type, c, now, 'REALTIME'));
        candleSeen.set(key, { pushedAt: now, openTime: c.openTime, lastTradeTime: c.lastTradeTime });
      }
    }
  }

  return {
    reindex,
    snapshot,
    publish(now: number) {
      for (const m of markets) publishMarket(m, now);
      publishCandles(now);
    },
  };
}
