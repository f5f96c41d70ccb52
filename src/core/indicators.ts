// Technical indicators as small pure series functions and incremental trackers: SMA, EMA, RSI (Wilder), MACD, Bollinger.
// Conventions (TA-Lib's): an EMA is seeded with the SMA of its first `period` values; values before an
// indicator is defined are NaN; Bollinger uses the population standard deviation.

export function smaSeries(values: readonly number[], period: number): number[] {
  const out = new Array<number>(values.length).fill(Number.NaN);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!;
    if (i >= period) sum -= values[i - period]!;
    if (i >= period - 1) out[i] = sum / period;
  }
  return out;
}

export type Tracker = { next(value: number): number; readonly value: number };

/** Incremental EMA: NaN until `period` values were seen, then the SMA seed and α = 2 / (period + 1). */
export function createEma(period: number): Tracker {
  const alpha = 2 / (period + 1);
  let n = 0;
  let sum = 0;
  let value = Number.NaN;
  return {
    next(x) {
      if (n < period) {
        sum += x;
        if (++n === period) value = sum / period;
      } else value = alpha * x + (1 - alpha) * value;
      return value;
    },
    get value() {
      return value;
    },
  };
}

export function emaSeries(values: readonly number[], period: number): number[] {
  const ema = createEma(period);
  return values.map((v) => ema.next(v));
}

/** Incremental RSI with Wilder's smoothing; the first value comes after period + 1 prices. */
export function createRsi(period = 14): Tracker {
  let prev = Number.NaN;
  let n = 0;
  let gain = 0;
  let loss = 0;
  let value = Number.NaN;
  return {
    next(price) {
      if (prev === prev) {
        const change = price - prev;
        const up = change > 0 ? change : 0;
        const down = change < 0 ? -change : 0;
        if (n < period) {
          gain += up / period;
          loss += down / period;
          n++;
        } else {
          gain = (gain * (period - 1) + up) / period;
          loss = (loss * (period - 1) + down) / period;
        }
        if (n === period) value = loss === 0 ? (gain === 0 ? 50 : 100) : 100 - 100 / (1 + gain / loss);
      }
      prev = price;
      return value;
    },
    get value() {
      return value;
    },
  };
}

export function rsiSeries(values: readonly number[], period = 14): number[] {
  const rsi = createRsi(period);
  return values.map((v) => rsi.next(v));
}

export type Macd = { macd: number[]; signal: number[]; histogram: number[] };

/** MACD line = EMA(fast) − EMA(slow); signal = EMA(signalPeriod) of the MACD line from its first value. */
export function macdSeries(values: readonly number[], fast = 12, slow = 26, signalPeriod = 9): Macd {
  const fastEma = createEma(fast);
  const slowEma = createEma(slow);
  const signalEma = createEma(signalPeriod);
  const macd: number[] = [];
  const signal: number[] = [];
  const histogram: number[] = [];
  for (const v of values) {
    const line = fastEma.next(v) - slowEma.next(v);
    const sig = line === line ? signalEma.next(line) : Number.NaN;
    macd.push(line);
    signal.push(sig);
    histogram.push(line - sig);
  }
  return { macd, signal, histogram };
}

export type Bollinger = { middle: number[]; upper: number[]; lower: number[] };

/** Bollinger bands: SMA(period) ± k × population standard deviation over the same window. */
export function bollingerSeries(values: readonly number[], period = 20, k = 2): Bollinger {
  const middle = smaSeries(values, period);
  const upper = new Array<number>(values.length).fill(Number.NaN);
  const lower = new Array<number>(values.length).fill(Number.NaN);
  for (let i = period - 1; i < values.length; i++) {
    const mean = middle[i]!;
    let sq = 0;
    for (let j = i - period + 1; j <= i; j++) sq += (values[j]! - mean) ** 2;
    const sd = Math.sqrt(sq / period);
    upper[i] = mean + k * sd;
    lower[i] = mean - k * sd;
  }
  return { middle, upper, lower };
}
