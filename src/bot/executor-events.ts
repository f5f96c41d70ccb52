// Translates the executor's events into owner notifications (BotEvent) and event-log lines. Pure.
import type { ExitReason } from '../notify/events.ts';
import type { AdviserPick, BotEvent, TradingMode } from '../notify/events.ts';
import type { ExecutorEvent } from './executor-types.ts';

/** Why an entry happened, remembered by the trade cycle until the fill arrives. */
export type EntryContext = { reason: 'signal' | 'manual'; signalRatio: number | null; adviser: AdviserPick | null };

export type LogLine = { level: 'debug' | 'info' | 'warn' | 'error'; kind: string; message: string; data: Record<string, unknown> };

const SELL_REASONS: ReadonlySet<string> = new Set(['take-profit', 'stop-loss', 'trailing-stop', 'max-hold', 'end-of-data', 'manual', 'external']);
const toSellReason = (reason: string): ExitReason => (SELL_REASONS.has(reason) ? (reason as ExitReason) : 'manual');

/** The notifications an executor event deserves (most deserve none: they go to the log only). */
export function toBotEvents(e: ExecutorEvent, mode: TradingMode, entry: EntryContext | undefined): BotEvent[] {
  const base = { mode, at: e.at };
  switch (e.type) {
    case 'entry-filled':
      return [{
        ...base, type: 'buy', market: e.market, price: e.avgPrice, amountKrw: e.costKrw, volume: e.volume,
        reason: entry?.reason ?? 'signal', signalRatio: entry?.signalRatio ?? null, adviser: entry?.adviser ?? null,
      }];
    case 'exit-filled':
      return [{
        ...base, type: 'sell', market: e.market, price: e.avgPrice ?? Number.NaN, volume: e.volume,
        pnlKrw: e.pnlKrw, pnlRate: e.pnlRate, reason: toSellReason(e.reason),
      }];
    case 'order-unknown':
      return [{ ...base, type: 'order-unknown', market: e.market, side: e.side, identifier: e.identifier, detail: e.message }];
    case 'external-close':
      // With the owner's sells found it reads as a sell ('sold outside the bot') with its PnL; else a discrepancy saying why not.
      if (e.pnlKrw !== null && e.pnlRate !== null && e.avgPrice !== null) {
        return [{ ...base, type: 'sell', market: e.market, price: e.avgPrice, volume: e.soldVolume, pnlKrw: e.pnlKrw, pnlRate: e.pnlRate, reason: 'external' }];
      }
      return [{
        ...base, type: 'reconcile-discrepancy', kind: 'external-sell', market: e.market,
        details: `held ${e.heldVolume} but the exchange shows ${e.balanceVolume}: sold outside the bot; its PnL could not be determined: ${e.pnlUnknownReason ?? 'unknown'}`,
      }];
    case 'discrepancy':
      return [{ ...base, type: 'reconcile-discrepancy', kind: e.kind, market: e.market, details: e.message }];
    default:
      return [];
  }
}

/** A log line for every executor event (the notifications above are logged by the outbox themselves). */
export function toLogLine(e: ExecutorEvent): LogLine {
  const { type, at: _at, ...data } = e;
  const level: LogLine['level'] =
    type === 'order-rejected' || type === 'order-unresolved' || type === 'entry-unfilled' || type === 'exit-unfilled'
      ? 'warn'
      : type === 'discrepancy' || type === 'order-unknown' || type === 'external-close'
        ? 'warn'
        : 'info';
  const market = 'market' in e && e.market ? ` ${e.market}` : '';
  return { level, kind: `executor.${type}`, message: `${type}${market}`, data };
}
