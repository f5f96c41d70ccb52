// Live positions as the dashboard shows them: held volume, mark-to-market PnL after the sell fee, exit levels.
import { openLevels, trailingLevel, type ExitSettings } from '../core/exit-rules.ts';
import { FEE_RATE, proceedsAfterFee } from '../core/ticks.ts';
import { heldVolume, type PositionRecord } from '../db/repos/positions.ts';
import type { PositionView } from './view.ts';

export type LevelSettings = Pick<ExitSettings, 'profitRate' | 'lossRate' | 'trailingStop'> & { feeRate?: number };
export type Levels = { takeProfitPrice: number; stopLossPrice: number };

/**
 * Take-profit and the stop the bot acts on now: the fixed stop-loss, or the trailing stop once it is armed
 * (highest price × (1 − trailing) ≥ entry, core/exit-rules.ts) and above the fixed one. Null without an entry price.
 */
export function levelsOf(p: Pick<PositionRecord, 'entryPrice' | 'highPrice'>, s: LevelSettings): Levels | null {
  if (p.entryPrice === null || !(p.entryPrice > 0)) return null;
  const L = openLevels(p.entryPrice, 0, { ...s, maxHoldMinutes: null });
  L.highPrice = Math.max(p.entryPrice, p.highPrice ?? 0);
  return { takeProfitPrice: L.takeProfit, stopLossPrice: Math.max(L.stopLoss, trailingLevel(L)) };
}

/**
 * What the whole trade would book if the volume still held were sold at `price` now: proceeds of earlier
 * partial exits (after their fee) + held × price − the sell fee (FEE_RATE, 0.05%) − (entry cost + entry fee).
 * The same formula as a closed trade's pnl (position-settle computePnl), so the number does not jump at the exit.
 */
export function markToMarket(p: PositionRecord, price: number, feeRate = FEE_RATE): { pnlKrw: number; pnlRate: number } {
  const invested = p.entryCostKrw + p.entryFeeKrw;
  const realised = (p.exitProceedsKrw ?? 0) - (p.exitFeeKrw ?? 0);
  const pnlKrw = realised + proceedsAfterFee(heldVolume(p) * price, feeRate) - invested;
  return { pnlKrw, pnlRate: invested > 0 ? pnlKrw / invested : 0 };
}

export function toPositionView(p: PositionRecord, price: number | null, s: LevelSettings): PositionView {
  const levels = levelsOf(p, s);
  const hasEntry = p.entryPrice !== null && p.volume > 0;
  const mtm = price !== null && hasEntry ? markToMarket(p, price, s.feeRate) : null;
  return {
    id: p.id,
    market: p.market,
    state: p.state === 'closed' ? 'closing' : p.state,
    volume: heldVolume(p),
    entryPrice: p.entryPrice,
    currentPrice: price,
    pnlKrw: mtm?.pnlKrw ?? null,
    pnlRate: mtm?.pnlRate ?? null,
    takeProfitPrice: levels?.takeProfitPrice ?? null,
    stopLossPrice: levels?.stopLossPrice ?? null,
    openedAt: p.openedAt,
  };
}

/** Mark value of the volume held: last price, else the entry price, else nothing (an entry not filled yet). */
export function heldValue(p: PositionRecord, price: number | null): number {
  const mark = price ?? p.entryPrice ?? 0;
  return heldVolume(p) * mark;
}
