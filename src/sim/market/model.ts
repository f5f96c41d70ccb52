// createMarketModel: the simulator's market (5 recorded Upbit markets + N seeded synthetic ones) behind MarketModel.
import { krwTickSize, roundPriceToTick } from '../../core/ticks.ts';
import type { MarketModel, SimMarketInfo, SimTrade } from '../types.ts';
import { buildCandles } from './candles.ts';
import { loadRecordedMarkets, type RecordedData, type RecordedMarket } from './csv-loader.ts';
import { buildDayChunk, DAY_MS, type DayChunk, indexAfter, MINUTE_MS, packPrices, type PriceColumn, timeAt } from './day-chunk.ts';
import { createMinuteTrades } from './minute-path.ts';
import { buildOrderbook } from './orderbook.ts';
import { hash32, hashString } from './prng.ts';
import { accBetween, firstTrade, lastTradeAt, minuteTradesUpTo } from './query.ts';
import { createRecordedSeries, createSeries, type MinuteSeries } from './series.ts';
import { syntheticDayExtremes } from './synthetic-extremes.ts';
import { createSyntheticDay, createSyntheticSpecs, generateSyntheticDay, type SyntheticDay, type SyntheticSpec } from './synthetic.ts';
import { buildTicker } from './ticker.ts';

export type MarketModelOptions = {
  /** Seeds the synthetic markets and the intra-minute trade timing. Default 1. */
  seed?: number;
  /** Number of KRW-SYNnnn markets. Default 120. */
  syntheticCount?: number;
  /** Folder with {BTC,ETH,XRP,SOL,DOGE}_KRW_1m.csv; default shared/ beside the repo; falls back to the bundled subset. */
  dataDir?: string;
  /** Already loaded recorded data (skips file I/O; its price columns get snapped to the tick grid in place). */
  recorded?: RecordedData;
  /** Clip the model to [from, to) (epoch ms). Synthetic paths do not depend on the clip. */
  from?: number;
  to?: number;
  /** Synthetic day chunks kept per market (memory bound, ≤ 65 KB each). Default 2: today and yesterday. */
  syntheticCacheDays?: number;
};

export type SimMarketModel = MarketModel & {
  /** Where the recorded candles came from. */
  readonly dataSource: RecordedData['source'];
  readonly dataDir: string;
};

export class UnknownMarketError extends Error {
  override readonly name = 'UnknownMarketError';
  constructor(market: string) {
    super(`Cannot find market in the simulator: ${market}`);
  }
}

/** Puts recorded prices on today's tick grid (XRP/DOGE/SOL history may predate it); idempotent, in place. */
export function snapToTickGrid(m: RecordedMarket): void {
  const cols = [m.open, m.high, m.low, m.close];
  for (const col of cols) {
    for (let i = 0; i < m.length; i++) {
      const v = col[i]!;
      const tick = krwTickSize(v);
      if (tick >= 1 && v % tick === 0) continue;
      col[i] = roundPriceToTick(v);
    }
  }
  for (let i = 0; i < m.length; i++) {
    m.high[i] = Math.max(m.high[i]!, m.open[i]!, m.close[i]!);
    m.low[i] = Math.min(m.low[i]!, m.open[i]!, m.close[i]!);
  }
}

type Entry = { info: SimMarketInfo; series: MinuteSeries; salt: number };

export function createMarketModel(opts: MarketModelOptions = {}): SimMarketModel {
  const seed = opts.seed ?? 1;
  const data = opts.recorded ?? loadRecordedMarkets(opts.dataDir === undefined ? {} : { dataDir: opts.dataDir });
  const withData = data.markets.filter((m) => m.length > 0);
  const dataFrom = Math.min(...withData.map((m) => m.time[0]!));
  const dataTo = Math.max(...withData.map((m) => m.time[m.length - 1]! + MINUTE_MS));
  const from = Math.max(opts.from ?? -Infinity, dataFrom);
  const to = Math.min(opts.to ?? Infinity, dataTo);
  const entries = new Map<string, Entry>();
  for (const m of data.markets) {
    snapToTickGrid(m);
    const salt = hash32(seed, hashString(m.market));
    const info = { market: m.market, koreanName: m.koreanName, englishName: m.englishName, isWarning: false, cautions: [], isSynthetic: false };
    entries.set(m.market, { info, series: createRecordedSeries(m, salt, from, to), salt });
  }
  const firstDay = Math.floor(dataFrom / DAY_MS);
  const lastDay = Math.floor((dataTo - 1) / DAY_MS);
  const [d0, d1] = [Math.max(firstDay, Math.floor(from / DAY_MS)), Math.min(lastDay, Math.floor((to - 1) / DAY_MS))];
  for (const spec of createSyntheticSpecs(seed, opts.syntheticCount ?? 120, firstDay, lastDay)) {
    const make = (day: number) => syntheticChunk(spec, generateSyntheticDay(spec, day, from, to, dayScratch), day);
    const extremes = (day: number, beatHigh: number, beatLow: number) => syntheticDayExtremes(spec, day, from, to, beatHigh, beatLow);
    const series = createSeries(d0, d1, spec.salt, make, opts.syntheticCacheDays ?? 2, extremes);
    const { market, koreanName, englishName, isWarning, cautions, isSynthetic } = spec;
    entries.set(market, { info: { market, koreanName, englishName, isWarning, cautions, isSynthetic }, series, salt: spec.salt });
  }
  const infos = [...entries.values()].map((e) => e.info);
  let spanTo = from;
  for (const e of entries.values()) if (!e.info.isSynthetic) spanTo = Math.max(spanTo, lastTradeAt(e.series, to)?.time ?? from);

  const get = (market: string): Entry => {
    const e = entries.get(market);
    if (!e) throw new UnknownMarketError(market);
    return e;
  };
  const priceAt = (e: Entry, t: number) => (lastTradeAt(e.series, t) ?? firstTrade(e.series))?.price ?? 0;

  return {
    dataSource: data.source,
    dataDir: data.dir,
    listMarkets: () => infos.map((i) => ({ ...i, cautions: [...i.cautions] })),
    hasMarket: (market) => entries.has(market),
    span: () => ({ from, to: spanTo }),
    lastPrice: (market, t) => priceAt(get(market), t),
    candles: (market, unitSec, toExclusive, count, t) => buildCandles(get(market).series, unitSec, toExclusive, count, t),
    ticker: (market, t) => buildTicker(market, get(market).series, t),
    orderbook(market, t, depth) {
      const e = get(market);
      const hour = accBetween(e.series, t - 3_600_000, t).volume / 60;
      const minuteVolume = hour > 0 ? hour : accBetween(e.series, t - DAY_MS, t).volume / 1440;
      return buildOrderbook(priceAt(e, t), minuteVolume, t, depth, e.salt);
    },
    trades: (market, fromExclusive, toInclusive) => listTrades(market, get(market).series, fromExclusive, toInclusive),
  };
}

const scratch = createMinuteTrades();
const dayScratch = createSyntheticDay();

/** A generated day as a compact chunk: exact-size arrays, prices as Int32 on the day's finest tick. */
function syntheticChunk(spec: SyntheticSpec, d: SyntheticDay, day: number): DayChunk {
  const { n } = d;
  const { priceScale, packed } = packPrices([d.open, d.high, d.low, d.close], n, n > 0 ? krwTickSize(d.dayLow) : 1);
  const [open, high, low, close] = packed as [PriceColumn, PriceColumn, PriceColumn, PriceColumn];
  return buildDayChunk(day, spec.salt, { n, minute: d.minute.slice(0, n), priceScale, open, high, low, close, volume: d.volume.slice(0, n) });
}

function listTrades(market: string, series: MinuteSeries, fromExclusive: number, toInclusive: number): SimTrade[] {
  const out: SimTrade[] = [];
  const lastDay = Math.min(Math.floor(toInclusive / DAY_MS), series.lastDay);
  for (let day = Math.max(Math.floor(fromExclusive / DAY_MS), series.firstDay); day <= lastDay; day++) {
    const c = series.chunk(day);
    for (let i = indexAfter(c, fromExclusive - MINUTE_MS); i < c.n && timeAt(c, i) <= toInclusive; i++) {
      const tr = minuteTradesUpTo(c, i, toInclusive, scratch);
      for (let k = 0; k < tr.count; k++) {
        const time = tr.time[k]!;
        if (time <= fromExclusive) continue;
        const side = tr.isBuy[k] === 1 ? 'buy' : 'sell';
        out.push({ market, time, price: tr.price[k]!, volume: tr.volume[k]!, side, sequentialId: time * 1000 + k });
      }
    }
  }
  return out;
}
