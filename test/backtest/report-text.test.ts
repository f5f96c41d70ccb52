// The terminal summary says on which candles the strategy ran: aggregated 5-minute ones, the data's own 5-minute ones, or coarser ones.
import { expect, test } from 'bun:test';
import { formatSummary } from '../../src/backtest/report-text.ts';
import { backtestTables } from './tables.ts';

const rows = (step: number) =>
  Array.from({ length: 6 }, (_, i) => {
    const min = i * step;
    return `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')} 100 100 100 100 1`;
  }).join('\n');

test('the interval line matches the data: 1-minute aggregated to 5 min, 5-minute as is, 15-minute not on 5-minute candles', () => {
  const line = (step: number) => formatSummary(backtestTables({ 'KRW-A': rows(step) })).split('\n')[1]!;
  expect(line(1)).toContain('1 min candles aggregated to 5 min)');
  expect(line(5)).toContain('5 min candles, the strategy\'s own 5-minute candles)');
  expect(line(15)).toContain('15 min candles; the strategy runs on these 15 min candles, not on 5-minute ones)');
});
