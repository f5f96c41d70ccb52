import { describe, expect, test } from 'bun:test';
import { toChartSeries, toChartTime, toPnlSeries } from '../../src/web/chart-data.ts';
import { createI18n } from '../../src/web/i18n.ts';
import { openDashboard } from './helpers.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 26, 0, 0); // 09:00 KST
const candle = (i: number, close: number) => ({ openTime: T0 + i * 5 * MIN, open: close - 10, high: close + 5, low: close - 15, close, volume: i + 1 });

describe('chart series', () => {
  test('times are shifted so the UTC-displaying chart reads KST', () => {
    expect(toChartTime(T0)).toBe(T0 / 1000 + 9 * 3600);
    expect(new Date(toChartTime(T0) * 1000).toISOString().slice(11, 16)).toBe('09:00');
  });

  test('fills become markers on the candle holding them, at the fill price; TP/SL/entry become price lines', () => {
    const s = toChartSeries({
      market: 'KRW-XRP', candles: [candle(0, 3_200), candle(1, 3_210), candle(2, 3_220)],
      fills: [
        { at: T0 + 7 * MIN, side: 'buy', price: 3_215, volume: 31.1, positionId: 1 },
        { at: T0 - 60 * MIN, side: 'sell', price: 3_000, volume: 1, positionId: null },
      ],
      entryPrice: 3_215, takeProfitPrice: 3_311.45, stopLossPrice: 3_150.7,
    }, createI18n('en'));
    expect(s.candles.map((c) => c.time)).toEqual([0, 1, 2].map((i) => toChartTime(T0 + i * 5 * MIN)));
    expect(s.markers).toEqual([{ time: toChartTime(T0 + 5 * MIN), price: 3_215, position: 'atPriceBottom', shape: 'arrowUp', color: s.colors.up, text: 'BUY 3,215' }]);
    expect(s.lines.map((l) => [l.title, l.price])).toEqual([['TP', 3_311.45], ['Entry', 3_215], ['SL', 3_150.7]]);
    expect(s.priceFormat).toEqual({ type: 'price', precision: 0, minMove: 1 });
    expect(s.volume[2]).toEqual({ time: s.candles[2]!.time, value: 3, color: `${s.colors.up}80` });
  });

  test('Korean colours follow the local convention: gains red, losses blue', () => {
    const s = toChartSeries({ market: 'KRW-A', candles: [candle(0, 0.5)], fills: [], entryPrice: null, takeProfitPrice: null, stopLossPrice: null }, createI18n('ko'));
    expect(s.colors).toEqual({ up: '#d60000', down: '#0051c7' });
    expect(s.priceFormat).toEqual({ type: 'price', precision: 3, minMove: 0.001 });
    expect(s.lines).toEqual([]);
  });

  test('the PnL curve has strictly increasing times and the daily bars are coloured by sign', () => {
    const p = toPnlSeries(
      [{ at: 1_000, pnlKrw: 5, cumulativeKrw: 5 }, { at: 1_400, pnlKrw: -2, cumulativeKrw: 3 }, { at: 5_000, pnlKrw: 1, cumulativeKrw: 4 }],
      [{ day: '2026-11-25', pnlKrw: -10.4, trades: 1, wins: 0, losses: 1 }, { day: '2026-11-26', pnlKrw: 7, trades: 1, wins: 1, losses: 0 }],
      createI18n('en'),
    );
    expect(p.curve.map((c) => c.value)).toEqual([3, 4]);
    expect(p.daily).toEqual([
      { time: '2026-11-25', value: -10, color: p.colors.down },
      { time: '2026-11-26', value: 7, color: p.colors.up },
    ]);
  });
});

describe('chart JSON endpoints', () => {
  test('GET /api/chart draws the first chartable market when none is chosen and lists the markets', async () => {
    const body = (await (await openDashboard().app.request('/api/chart')).json()) as { market: string; markets: string[]; candles: unknown[]; markers: unknown[]; lines: unknown[] };
    expect(body.market).toBe('KRW-BTC');
    expect(body.markets).toEqual(['KRW-BTC', 'KRW-XRP']);
    expect(body.candles).toHaveLength(100);
    expect(body.markers).toHaveLength(1);
    expect(body.lines).toHaveLength(3);
  });

  test('GET /api/chart refuses a malformed market and answers an empty chart when there is nothing to draw', async () => {
    expect((await openDashboard().app.request('/api/chart?market=%3Cscript%3E')).status).toBe(400);
    const empty = await (await openDashboard({ seed: { positions: [], charts: {} } }).app.request('/api/chart')).json();
    expect(empty).toMatchObject({ market: null, markets: [], candles: [] });
  });

  test('GET /api/pnl gives the cumulative curve and the daily bars', async () => {
    const body = (await (await openDashboard().app.request('/api/pnl?days=2')).json()) as { curve: { value: number }[]; daily: { time: string }[] };
    expect(body.curve).toHaveLength(5);
    expect(body.curve.at(-1)!.value).toBe(4_486);
    expect(body.daily.map((d) => d.time)).toEqual(['2026-11-25', '2026-11-26']);
  });
});
