// A scripted MarketModel for engine scenarios: 1-minute bars you script per minute (flat by default), four trades per
// minute consistent with the bars, a previous UTC day for the price filter, and a deep one-tick-spread book.
import { krwTickSize, roundPriceToTick } from '../../src/core/ticks.ts';
import type { MarketModel, SimBookLevel, SimCandle, SimMarketInfo, SimTickerStats, SimTrade } from '../../src/sim/types.ts';

export const MINUTE = 60_000;
export const FIVE_MIN = 300_000;
const DAY = 86_400_000;
/** Where the four trades of a minute happen (ms into the minute): open, high, low, close. */
const TRADE_AT = [5_000, 20_000, 35_000, 50_000] as const;

export type Bar = { open: number; high: number; low: number; close: number; volume: number };
export type BarScript = Partial<Bar>;
export type ScriptedMarketSpec = {
  price: number;
  volume?: number;
  isWarning?: boolean;
  cautions?: string[];
  /** false: unknown to the simulator (market list, quotes, socket) until list() — a coin listed after start. */
  isListed?: boolean;
};

export type ScriptedMarket = MarketModel & {
  /** Scripts minutes from `at` (a minute start) on, one entry per minute; unscripted fields follow the price level. */
  script(market: string, at: number, bars: BarScript[]): void;
  /** Volume × factor in each minute of the 5-minute bucket starting at `bucket` (price unchanged). */
  spike(market: string, bucket: number, factor?: number): void;
  /** Minute closes from `at` on, each move spread over its minute (open = the previous close); the level stays there. */
  path(market: string, at: number, closes: number[]): void;
  /** The bar of a minute as the model sees it. */
  bar(market: string, minute: number): Bar;
  /** Price rounded to the KRW tick grid (use it for scripted prices). */
  tick(price: number): number;
  /** Lists a market created with isListed: false (its bars, history included, exist all along). */
  list(market: string): void;
};

type State = { spec: ScriptedMarketSpec; baseVolume: number; bars: Map<number, BarScript>; closes: number[] };

const tick = (p: number) => roundPriceToTick(p, 'nearest');

/** History starts 00:00 UTC of the day before `start`, so every market has a previous-day close. */
export function createScriptedMarket(o: { start: number; markets: Record<string, ScriptedMarketSpec>; levelKrw?: number }): ScriptedMarket {
  const from = Math.floor(o.start / DAY) * DAY - DAY;
  const to = from + 10 * DAY;
  const levelKrw = o.levelKrw ?? 1e9;
  const states = new Map<string, State>(
    Object.entries(o.markets).map(([m, spec]) => [m, { spec: { ...spec, price: tick(spec.price) }, baseVolume: spec.volume ?? 100, bars: new Map(), closes: [] }]),
  );
  const codes = [...states.keys()];
  const unlisted = new Set(codes.filter((m) => states.get(m)!.spec.isListed === false));
  const get = (m: string): State => {
    const s = states.get(m);
    if (!s) throw new Error(`Unknown market in scripted model: ${m}`);
    return s;
  };

  /** The close level at the end of `minute`: the latest scripted close at or before it, else the base price. */
  function levelAt(s: State, minute: number): number {
    let lo = 0;
    let hi = s.closes.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (s.closes[mid]! <= minute) (found = mid), (lo = mid + 1);
      else hi = mid - 1;
    }
    return found < 0 ? s.spec.price : s.bars.get(s.closes[found]!)!.close!;
  }

  function bar(m: string, minute: number): Bar {
    const s = get(m);
    const script = s.bars.get(minute);
    const before = levelAt(s, minute - MINUTE);
    const open = script?.open ?? before;
    const close = script?.close ?? before;
    return {
      open, close,
      high: Math.max(open, close, script?.high ?? -Infinity),
      low: Math.min(open, close, script?.low ?? Infinity),
      volume: script?.volume ?? s.baseVolume,
    };
  }

  function script(m: string, at: number, bars: BarScript[]): void {
    const s = get(m);
    bars.forEach((b, i) => {
      const minute = at + i * MINUTE;
      const merged = { ...s.bars.get(minute), ...b };
      s.bars.set(minute, merged);
      if (merged.close !== undefined && !s.closes.includes(minute)) s.closes.push(minute);
    });
    s.closes.sort((a, b) => a - b);
  }

  /** Trades with fromExclusive < time ≤ toInclusive, oldest first. */
  function tradesBetween(m: string, fromExclusive: number, toInclusive: number): SimTrade[] {
    const out: SimTrade[] = [];
    const first = Math.max(from, Math.floor((fromExclusive + 1) / MINUTE) * MINUTE);
    for (let minute = first; minute <= Math.min(toInclusive, to); minute += MINUTE) {
      const b = bar(m, minute);
      if (b.volume <= 0) continue;
      const prices = [b.open, b.high, b.low, b.close];
      TRADE_AT.forEach((offset, k) => {
        const time = minute + offset;
        if (time <= fromExclusive || time > toInclusive) return;
        const seq = ((minute - from) / MINUTE) * 4 + k + 1;
        out.push({ market: m, time, price: prices[k]!, volume: b.volume / 4, side: k % 2 === 0 ? 'buy' : 'sell', sequentialId: seq });
      });
    }
    return out;
  }

  function lastTrade(m: string, t: number): SimTrade | null {
    const minute = Math.floor(t / MINUTE) * MINUTE;
    return tradesBetween(m, minute - MINUTE - 1, t).at(-1) ?? null;
  }

  function aggregate(trades: SimTrade[], openTime: number): SimCandle | null {
    const [head] = trades;
    if (!head) return null;
    const c: SimCandle = { openTime, open: head.price, high: head.price, low: head.price, close: head.price, volume: 0, turnoverKrw: 0, lastTradeTime: head.time };
    for (const tr of trades) {
      c.high = Math.max(c.high, tr.price);
      c.low = Math.min(c.low, tr.price);
      c.close = tr.price;
      c.volume += tr.volume;
      c.turnoverKrw += tr.price * tr.volume;
      c.lastTradeTime = tr.time;
    }
    return c;
  }

  /** Like aggregate(tradesBetween(…)), but whole minutes come from their bars (tickers span a day: keep them cheap). */
  function summary(m: string, fromExclusive: number, toInclusive: number, openTime: number): SimCandle | null {
    const firstWhole = Math.ceil((fromExclusive + 1) / MINUTE) * MINUTE;
    const lastWhole = Math.floor((toInclusive + 1) / MINUTE) * MINUTE; // exclusive
    if (lastWhole - firstWhole < 2 * MINUTE) return aggregate(tradesBetween(m, fromExclusive, toInclusive), openTime);
    const parts = [aggregate(tradesBetween(m, fromExclusive, firstWhole - 1), openTime)];
    for (let minute = Math.max(from, firstWhole); minute < lastWhole; minute += MINUTE) {
      const b = bar(m, minute);
      if (b.volume > 0) parts.push({ openTime, ...b, turnoverKrw: ((b.open + b.high + b.low + b.close) / 4) * b.volume, lastTradeTime: minute + TRADE_AT[3] });
    }
    parts.push(aggregate(tradesBetween(m, lastWhole - 1, toInclusive), openTime));
    let out: SimCandle | null = null;
    for (const c of parts) {
      if (!c) continue;
      if (!out) out = { ...c };
      else Object.assign(out, { high: Math.max(out.high, c.high), low: Math.min(out.low, c.low), close: c.close, volume: out.volume + c.volume, turnoverKrw: out.turnoverKrw + c.turnoverKrw, lastTradeTime: c.lastTradeTime });
    }
    return out;
  }

  function ticker(m: string, t: number): SimTickerStats {
    const dayStart = Math.floor(t / DAY) * DAY;
    const day = summary(m, dayStart - 1, t, dayStart);
    const last = lastTrade(m, t);
    const price = last?.price ?? levelAt(get(m), t);
    const prevClose = dayStart > from ? bar(m, dayStart - MINUTE).close : price;
    const h24 = summary(m, t - DAY, t, t - DAY);
    const date = new Date(from).toISOString().slice(0, 10);
    return {
      market: m, price, tradeTime: last?.time ?? t, tradeVolume: last?.volume ?? 0,
      open: day?.open ?? prevClose, high: day?.high ?? prevClose, low: day?.low ?? prevClose, prevClose,
      accVolume: day?.volume ?? 0, accTurnover: day?.turnoverKrw ?? 0, accVolume24h: h24?.volume ?? 0, accTurnover24h: h24?.turnoverKrw ?? 0,
      high52w: Math.max(price, prevClose) * 1.5, high52wDate: date, low52w: Math.min(price, prevClose) / 1.5, low52wDate: date,
    };
  }

  return {
    listMarkets: (): SimMarketInfo[] =>
      codes.filter((m) => !unlisted.has(m)).map((m) => {
        const spec = get(m).spec;
        return { market: m, koreanName: m, englishName: m, isWarning: spec.isWarning ?? false, cautions: spec.cautions ?? [], isSynthetic: false };
      }),
    hasMarket: (m) => states.has(m) && !unlisted.has(m),
    span: () => ({ from, to }),
    lastPrice: (m, t) => lastTrade(m, t)?.price ?? levelAt(get(m), t - MINUTE),
    candles(m, unitSec, toExclusive, count, t): SimCandle[] {
      const ms = unitSec * 1000;
      const out: SimCandle[] = [];
      for (let b = Math.floor(Math.min(toExclusive - 1, t) / ms) * ms; out.length < count && b + ms > from; b -= ms) {
        const c = aggregate(tradesBetween(m, b - 1, Math.min(b + ms - 1, t)), b);
        if (c) out.push(c);
      }
      return out;
    },
    ticker,
    orderbook(m, t, depth): SimBookLevel[] {
      const price = lastTrade(m, t)?.price ?? levelAt(get(m), t - MINUTE);
      const step = krwTickSize(price);
      const size = levelKrw / price;
      return Array.from({ length: depth }, (_, i) => ({ askPrice: price + step * (i + 1), askSize: size, bidPrice: price - step * i, bidSize: size }));
    },
    trades: (m, fromExclusive, toInclusive) => tradesBetween(m, fromExclusive, toInclusive),
    script,
    spike(m, bucket, factor = 5) {
      const v = get(m).baseVolume * factor;
      script(m, bucket, Array.from({ length: 5 }, () => ({ volume: v })));
    },
    path(m, at, closes) {
      script(m, at, closes.map((c) => ({ close: tick(c) })));
    },
    bar,
    tick,
    list(m) {
      get(m); // throws for a market the script does not have
      unlisted.delete(m);
    },
  };
}
