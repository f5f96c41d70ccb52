// The global walk order of a backtest: every market's candles k-way merged by open time into one set of typed arrays.
import type { CandleArrays, CandleColumns } from '../candles/columns.ts';

/** Candles of all markets in time order (ties: market index ascending); market[k] indexes the market list. */
export type Tape = CandleArrays & { n: number; market: Int32Array };

export function allocTape(n: number): Tape {
  return {
    n,
    market: new Int32Array(n),
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
}

/** Merges ascending per-market columns with a binary heap of market cursors (O(N log k), no per-candle allocation). */
export function mergeMarkets(markets: readonly CandleColumns[]): Tape {
  const k = markets.length;
  const tape = allocTape(markets.reduce((sum, c) => sum + c.length, 0));
  const pos = new Int32Array(k);
  const heap = new Int32Array(k);
  let size = 0;
  const key = (m: number) => markets[m]!.time[pos[m]!]!;
  const less = (a: number, b: number) => {
    const ta = key(a);
    const tb = key(b);
    return ta < tb || (ta === tb && a < b);
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) return;
      const c = l + 1 < size && less(heap[l + 1]!, heap[l]!) ? l + 1 : l;
      if (!less(heap[c]!, heap[i]!)) return;
      const tmp = heap[c]!;
      heap[c] = heap[i]!;
      heap[i] = tmp;
      i = c;
    }
  };
  for (let m = 0; m < k; m++) if (markets[m]!.length > 0) heap[size++] = m;
  for (let i = (size >> 1) - 1; i >= 0; i--) down(i);
  for (let j = 0; size > 0; j++) {
    const m = heap[0]!;
    const c = markets[m]!;
    const i = pos[m]!;
    tape.market[j] = m;
    tape.time[j] = c.time[i]!;
    tape.open[j] = c.open[i]!;
    tape.high[j] = c.high[i]!;
    tape.low[j] = c.low[i]!;
    tape.close[j] = c.close[i]!;
    tape.volume[j] = c.volume[i]!;
    pos[m] = i + 1;
    if (i + 1 >= c.length) heap[0] = heap[--size]!;
    down(0);
  }
  return tape;
}
