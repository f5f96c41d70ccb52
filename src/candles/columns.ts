// Column-oriented candle series (typed arrays) and their checks, shared by the backtester and the simulator's recorded market.

/** The six OHLCV columns; row i of each is one candle, time = its open (UTC epoch ms). */
export type CandleArrays = {
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
};

/** One market's candles, ascending by open time; intervals without trades are absent. */
export type CandleColumns = CandleArrays & { length: number };

export class CandleDataError extends Error {
  override readonly name = 'CandleDataError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function allocColumns(capacity: number): CandleColumns {
  return {
    length: 0,
    time: new Float64Array(capacity),
    open: new Float64Array(capacity),
    high: new Float64Array(capacity),
    low: new Float64Array(capacity),
    close: new Float64Array(capacity),
    volume: new Float64Array(capacity),
  };
}

/** Views of the first `length` rows (no copy). */
export function trimColumns(c: CandleColumns, length: number): CandleColumns {
  return {
    length,
    time: c.time.subarray(0, length),
    open: c.open.subarray(0, length),
    high: c.high.subarray(0, length),
    low: c.low.subarray(0, length),
    close: c.close.subarray(0, length),
    volume: c.volume.subarray(0, length),
  };
}

/** Views of the rows with from ≤ time < to (binary search; the columns are ascending). */
export function sliceByTime(c: CandleColumns, from: number, to: number): CandleColumns {
  const lo = lowerBound(c.time, c.length, from);
  const hi = lowerBound(c.time, c.length, to);
  const pick = (a: Float64Array) => a.subarray(lo, Math.max(lo, hi));
  return {
    length: Math.max(0, hi - lo),
    time: pick(c.time),
    open: pick(c.open),
    high: pick(c.high),
    low: pick(c.low),
    close: pick(c.close),
    volume: pick(c.volume),
  };
}

function lowerBound(a: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** What is wrong with one candle's values (prices positive and finite, volume finite and ≥ 0, high ≥ low), or null. */
export function candleRowProblem(o: number, h: number, l: number, c: number, v: number): string | null {
  const MAX = Number.MAX_VALUE;
  if (o > 0 && o <= MAX && h > 0 && h <= MAX && l > 0 && l <= MAX && c > 0 && c <= MAX && v >= 0 && v <= MAX && h >= l) return null;
  const prices = [['open', o], ['high', h], ['low', l], ['close', c]] as const;
  for (const [name, x] of prices) if (!(x > 0 && x <= MAX)) return `${name} must be a positive price (got ${x})`;
  if (!(v >= 0 && v <= MAX)) return `volume must be a finite number ≥ 0 (got ${v})`;
  return `high ${h} is below low ${l}`;
}

/** Throws unless times strictly ascend; `what` names the source in the message. */
export function assertAscending(c: CandleColumns, what: string): void {
  for (let i = 1; i < c.length; i++) {
    if (!(c.time[i]! > c.time[i - 1]!)) {
      const a = new Date(c.time[i - 1]!).toISOString();
      const b = new Date(c.time[i]!).toISOString();
      throw new CandleDataError(`Cannot use ${what}: row ${i + 1} (${b}) is not after row ${i} (${a}); candles must be ascending without duplicates`);
    }
  }
}

/** The candle interval in ms: the smallest gap between consecutive candles (NaN with fewer than 2 rows). */
export function detectIntervalMs(c: CandleColumns): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 1; i < c.length; i++) {
    const d = c.time[i]! - c.time[i - 1]!;
    if (d < best) best = d;
  }
  return best === Number.POSITIVE_INFINITY ? Number.NaN : best;
}
