// The terminal summary of a backtest: one block of aligned lines, times in KST.
import { FIVE_MINUTES_MS } from '../core/candles5m.ts';
import { KST_OFFSET_MS } from '../core/time.ts';
import type { BacktestReport } from './backtest.ts';

const krw = (x: number) => `${x < 0 ? '−' : x > 0 ? '+' : ''}${Math.abs(Math.round(x)).toLocaleString('en-US')} KRW`;
const plainKrw = (x: number) => `${Math.round(x).toLocaleString('en-US')} KRW`;
const pct = (x: number, digits = 2) => `${(x * 100).toFixed(digits)}%`;
export const kstText = (t: number) => `${new Date(t + KST_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ')} KST`;
const minutes = (ms: number) => (ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${ms / 60_000} min`);

export function formatSummary(r: BacktestReport): string {
  const s = r.summary;
  const st = r.settings;
  const interval =
    s.dataIntervalMs !== s.strategyIntervalMs
      ? `${minutes(s.dataIntervalMs)} candles aggregated to ${minutes(s.strategyIntervalMs)}`
      : s.strategyIntervalMs === FIVE_MINUTES_MS
        ? `${minutes(s.dataIntervalMs)} candles, the strategy's own 5-minute candles`
        : `${minutes(s.dataIntervalMs)} candles; the strategy runs on these ${minutes(s.strategyIntervalMs)} candles, not on 5-minute ones`;
  const lines = [
    `Backtest ${s.markets.join(', ')}`,
    `  span          ${kstText(s.firstCandle)} → ${kstText(s.lastCandle)} (${s.candles.toLocaleString('en-US')} candles, ${interval})`,
    `  settings      TP ${pct(st.profitRate)}  SL ${pct(st.lossRate)}  trailing ${st.trailingStop === null ? 'off' : pct(st.trailingStop)}  max-hold ${st.maxHoldMinutes ?? 'off'}  ` +
      `spike ×${st.volumeSpikeThreshold}  price limit ${pct(st.priceChangeLimit)}  cooldown ${st.cooldownMinutes} min`,
    `                ${plainKrw(st.investmentKrw)} per entry, max ${st.maxPositions} positions, daily limit ${plainKrw(st.dailyLossLimit)}, fee ${pct(st.feeRate, 3)}`,
    `  trades        ${s.trades} (${s.wins} won, win rate ${pct(s.winRate, 1)})  ${Object.entries(s.byReason).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `  PnL           ${krw(s.totalPnlKrw)}  return ${pct(s.returnPct)} on ${plainKrw(s.initialKrw)} → ${plainKrw(s.finalKrw)}`,
    `  max drawdown  ${plainKrw(s.maxDrawdownKrw)} (${pct(s.maxDrawdownPct)})`,
    `  Sharpe        ${s.sharpeDaily.toFixed(2)} (daily returns, KST days: ${s.days}, ×√365)`,
    `  exposure      ${pct(s.exposure, 1)} of the time with a position open`,
    `  fees paid     ${plainKrw(s.feesKrw)}`,
    '  per market',
    ...s.markets.map((m) => {
      const pm = s.perMarket[m]!;
      return `    ${m.padEnd(12)} ${String(pm.trades).padStart(4)} trades  ${String(pm.wins).padStart(4)} won  ${krw(pm.pnlKrw).padStart(16)}`;
    }),
  ];
  if (s.lateInputs > 0) lines.push(`  note          ${s.lateInputs} candles arrived after their close was evaluated and were ignored`);
  return `${lines.join('\n')}\n`;
}
