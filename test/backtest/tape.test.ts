import { describe, expect, test } from 'bun:test';
import { allocColumns, trimColumns, type CandleColumns } from '../../src/candles/columns.ts';
import { mergeMarkets } from '../../src/backtest/tape.ts';

/** A market whose candle at time t has every price = t + id/10 and volume = id, so rows are traceable. */
function market(id: number, times: number[]): CandleColumns {
  const c = allocColumns(times.length);
  times.forEach((t, i) => {
    c.time[i] = t;
    c.open[i] = c.high[i] = c.low[i] = c.close[i] = t + id / 10;
    c.volume[i] = id;
  });
  return trimColumns(c, times.length);
}

describe('mergeMarkets', () => {
  test('walks all markets in time order, ties by market index, gaps and uneven lengths included', () => {
    const tape = mergeMarkets([market(0, [1, 3, 4]), market(1, [1, 2, 4, 9]), market(2, []), market(3, [0, 4])]);
    const rows = Array.from({ length: tape.n }, (_, j) => [tape.time[j], tape.market[j]]);
    expect(rows).toEqual([[0, 3], [1, 0], [1, 1], [2, 1], [3, 0], [4, 0], [4, 1], [4, 3], [9, 1]]);
    // Each row carries its own market's values.
    for (let j = 0; j < tape.n; j++) {
      expect(tape.close[j]).toBe(tape.time[j]! + tape.market[j]! / 10);
      expect(tape.volume[j]).toBe(tape.market[j]!);
    }
  });

  test('no market, or only empty ones, gives an empty tape', () => {
    expect(mergeMarkets([]).n).toBe(0);
    expect(mergeMarkets([market(0, []), market(1, [])]).n).toBe(0);
  });
});
