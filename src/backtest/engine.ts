// The backtest walk: feeds the merged tape to core/decide's strategy (simulated fills) and records trades and equity.
import { FIVE_MINUTES_MS } from '../core/candles5m.ts';
import { createStrategy } from '../core/decide.ts';
import { EV_ENTRY_FILLED, EV_EXIT, type EventBuffer } from '../core/decide-events.ts';
import { EXIT_REASONS } from '../core/exit-rules.ts';
import { kstDayNumber } from '../core/risk.ts';
import type { StrategySettings } from '../core/strategy.ts';
import type { ExitReason } from '../core/types.ts';
import type { Tape } from './tape.ts';

export type TradeReason = ExitReason;

/** Times are the open times of the candles where the fills happened; pnl in KRW after both fees. */
export type Trade = {
  market: string;
  entryTime: number;
  entryPrice: number;
  exitTime: number;
  exitPrice: number;
  volume: number;
  pnl: number;
  reason: TradeReason;
};

export type EngineResult = {
  trades: Trade[];
  /** Fees of trades[i]: buy + sell, KRW. */
  feesKrw: number[];
  /** Equity (free KRW + open positions at their last close) at each hour mark and at the end. */
  equity: { time: number[]; value: number[] };
  /** Equity at the end of each KST day touched, oldest first (the last one = final equity). */
  dailyEquity: number[];
  maxDrawdownKrw: number;
  /** Fraction of the peak, 0..1. */
  maxDrawdownPct: number;
  finalKrw: number;
  /** Realised PnL as booked by the core (must equal Σ trade pnl). */
  corePnlKrw: number;
  lateInputs: number;
};

export type EngineOptions = {
  markets: readonly string[];
  settings: StrategySettings;
  initialKrw: number;
  /** The strategy's candle interval (5 min for 1-minute data, the data's own when coarser). */
  strategyIntervalMs: number;
  /** Spacing of the stored equity points (default max(1 h, strategy interval)). */
  equityStepMs?: number;
};

/** 5 minutes for data that divides it (1-, 5-minute); the data's own interval otherwise (e.g. 15 min, 4 h). */
export const strategyIntervalFor = (dataIntervalMs: number): number =>
  dataIntervalMs > 0 && dataIntervalMs <= FIVE_MINUTES_MS && FIVE_MINUTES_MS % dataIntervalMs === 0 ? FIVE_MINUTES_MS : dataIntervalMs;

const HOUR_MS = 3_600_000;

/** Runs one backtest over the tape. Deterministic: no clock, no randomness. */
export function runEngine(tape: Tape, o: EngineOptions): EngineResult {
  const n = o.markets.length;
  const s = createStrategy(o.settings, { markets: o.markets, fills: 'simulated', initialKrw: o.initialKrw, intervalMs: o.strategyIntervalMs });
  const r = createRecorder(o, n);
  const { market, time, open, high, low, close, volume } = tape;
  const ev = s.events;
  const step = o.strategyIntervalMs;
  const lastClose = r.lastClose;
  const lastTime = r.lastTime;
  let nextMark = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < tape.n; k++) {
    const t = time[k]!;
    if (t >= nextMark) {
      const mark = Math.floor(t / step) * step;
      r.mark(mark);
      nextMark = mark + step;
    }
    const m = market[k]!;
    const c = close[k]!;
    if (s.candle(m, t, open[k]!, high[k]!, low[k]!, c, volume[k]!) !== 0) r.events(ev);
    lastClose[m] = c;
    lastTime[m] = t;
  }
  const end = tape.n > 0 ? time[tape.n - 1]! : 0;
  if (s.closeAll(end) !== 0) r.events(ev);
  const stats = s.stats();
  return r.finish(end + step, stats.realisedPnlTotalKrw, stats.lateInputs);
}

function createRecorder(o: EngineOptions, n: number) {
  const feeRate = o.settings.feeRate;
  const equityStep = o.equityStepMs ?? Math.max(HOUR_MS, o.strategyIntervalMs);
  const lastClose = new Float64Array(n).fill(Number.NaN);
  const lastTime = new Float64Array(n);
  const buyFee = new Float64Array(n);
  const vol = new Float64Array(n);
  const held: number[] = [];
  const trades: Trade[] = [];
  const feesKrw: number[] = [];
  const eqTime: number[] = [];
  const eqValue: number[] = [];
  const dailyEquity: number[] = [];
  let cash = o.initialKrw;
  let peak = o.initialKrw;
  let maxDd = 0;
  let maxDdPct = 0;
  let day = Number.NaN;
  let nextStored = Number.NEGATIVE_INFINITY;

  const equityNow = (): number => {
    let e = cash;
    for (const m of held) e += vol[m]! * lastClose[m]!;
    return e;
  };
  function observe(e: number): void {
    if (e > peak) peak = e;
    if (peak - e > maxDd) maxDd = peak - e;
    if ((peak - e) / peak > maxDdPct) maxDdPct = (peak - e) / peak;
  }

  return {
    lastClose,
    lastTime,
    /** The walk reached the strategy-interval boundary `t` (before the candle at t is processed). */
    mark(t: number): void {
      const e = equityNow();
      observe(e);
      const d = kstDayNumber(t);
      if (d !== day) {
        if (day === day) dailyEquity.push(e);
        day = d;
      }
      if (t >= nextStored) {
        eqTime.push(t);
        eqValue.push(e);
        nextStored = Math.floor(t / equityStep) * equityStep + equityStep;
      }
    },
    events(ev: EventBuffer): void {
      for (let i = 0; i < ev.count; i++) {
        const kind = ev.kind[i];
        const m = ev.market[i]!;
        if (kind === EV_ENTRY_FILLED) {
          buyFee[m] = ev.value[i]!;
          vol[m] = ev.volume[i]!;
          cash -= ev.price[i]! * ev.volume[i]! + ev.value[i]!;
          held.push(m);
        } else if (kind === EV_EXIT) {
          const price = ev.price[i]!;
          const sellFee = price * ev.volume[i]! * feeRate;
          cash += price * ev.volume[i]! - sellFee;
          held.splice(held.indexOf(m), 1);
          const reason = (EXIT_REASONS[ev.reason[i]!] ?? 'manual') as TradeReason;
          trades.push({
            market: o.markets[m]!,
            entryTime: ev.entryTime[i]!,
            entryPrice: ev.entryPrice[i]!,
            exitTime: reason === 'end-of-data' ? lastTime[m]! : ev.time[i]!,
            exitPrice: price,
            volume: ev.volume[i]!,
            pnl: ev.value[i]!,
            reason,
          });
          feesKrw.push(buyFee[m]! + sellFee);
        }
      }
    },
    finish(endTime: number, corePnlKrw: number, lateInputs: number): EngineResult {
      const e = equityNow();
      observe(e);
      dailyEquity.push(e);
      eqTime.push(endTime);
      eqValue.push(e);
      return {
        trades,
        feesKrw,
        equity: { time: eqTime, value: eqValue },
        dailyEquity,
        maxDrawdownKrw: maxDd,
        maxDrawdownPct: maxDdPct,
        finalKrw: e,
        corePnlKrw,
        lateInputs,
      };
    },
  };
}
