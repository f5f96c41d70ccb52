// Read models → lightweight-charts series: times shifted to KST (the library shows UTC), markers on their candles.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { ChartView, DailyPnlView, DashboardQueries, PnlPoint } from '../bot/view.ts';
import { KST_OFFSET_MS } from '../core/time.ts';
import { krwTickSize } from '../core/ticks.ts';
import { formatPrice, priceDecimals } from './format.ts';
import type { I18n } from './i18n.ts';
import type { RenderCache } from './render-cache.ts';
import { MARKET_RE } from './view-params.ts';

/** Korean screens show gains red and losses blue; English ones green and red. */
export const TREND_COLORS = { ko: { up: '#d60000', down: '#0051c7' }, en: { up: '#089981', down: '#f23645' } } as const;

/** Seconds on the chart's (UTC-displaying) axis such that it reads Asia/Seoul wall time. */
export const toChartTime = (ts: number) => Math.floor((ts + KST_OFFSET_MS) / 1000);

/** Keeps the last point per time: the library refuses duplicate or unordered times. */
function strictlyIncreasing<T extends { time: number }>(points: T[]): T[] {
  const out: T[] = [];
  for (const p of points) {
    if (out.length && out[out.length - 1]!.time >= p.time) out[out.length - 1] = { ...p, time: Math.max(p.time, out[out.length - 1]!.time) };
    else out.push(p);
  }
  return out;
}

export function toChartSeries(v: ChartView, i18n: I18n) {
  const colors = TREND_COLORS[i18n.locale];
  const candles = strictlyIncreasing(v.candles.map((k) => ({ time: toChartTime(k.openTime), open: k.open, high: k.high, low: k.low, close: k.close })));
  const volume = strictlyIncreasing(
    v.candles.map((k) => ({ time: toChartTime(k.openTime), value: k.volume, color: k.close >= k.open ? `${colors.up}80` : `${colors.down}80` })),
  );
  // A marker must sit on an existing bar: the candle whose bucket holds the fill.
  const barOf = (at: number) => {
    const t = toChartTime(at);
    let hit: number | null = null;
    for (const c of candles) if (c.time <= t) hit = c.time;
    return hit;
  };
  const markers = v.fills.flatMap((f) => {
    const time = barOf(f.at);
    if (time === null) return [];
    const isBuy = f.side === 'buy';
    return [{
      time, price: f.price, position: isBuy ? 'atPriceBottom' : 'atPriceTop', shape: isBuy ? 'arrowUp' : 'arrowDown',
      color: isBuy ? colors.up : colors.down, text: `${i18n.t(isBuy ? 'buy' : 'sellMarker')} ${formatPrice(f.price)}`,
    }];
  }).sort((a, b) => a.time - b.time);
  const line = (price: number | null, key: 'tpLine' | 'slLine' | 'entryLine', color: string) =>
    price === null ? [] : [{ price, title: i18n.t(key), color }];
  const ref = v.candles.at(-1)?.close ?? v.entryPrice ?? 1;
  return {
    market: v.market,
    priceFormat: { type: 'price', precision: priceDecimals(ref), minMove: krwTickSize(ref) },
    candles, volume, markers, colors,
    lines: [...line(v.takeProfitPrice, 'tpLine', colors.up), ...line(v.entryPrice, 'entryLine', '#888888'), ...line(v.stopLossPrice, 'slLine', colors.down)],
  };
}

export function toPnlSeries(curve: PnlPoint[], daily: DailyPnlView[], i18n: I18n) {
  const colors = TREND_COLORS[i18n.locale];
  return {
    colors,
    curve: strictlyIncreasing(curve.map((p) => ({ time: toChartTime(p.at), value: Math.round(p.cumulativeKrw) }))),
    daily: daily.map((d) => ({ time: d.day, value: Math.round(d.pnlKrw), color: d.pnlKrw >= 0 ? colors.up : colors.down })),
  };
}

const chartQuery = z.object({
  market: z.string().regex(MARKET_RE).optional(),
  limit: z.coerce.number().int().min(10).max(1_000).default(200),
});
const pnlQuery = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) });

/** GET /chart and /pnl: JSON the chart script draws (mounted under /api, behind auth), serialised once per window. */
export function createChartApi(deps: { queries: DashboardQueries; i18n: I18n; cache: RenderCache }) {
  const api = new Hono();
  /** What c.json would send for the parsed body. */
  const json = (c: Context, body: string) => c.body(body, 200, { 'Content-Type': 'application/json' });
  api.get('/chart', async (c) => {
    const q = chartQuery.safeParse(c.req.query());
    if (!q.success) return c.json({ error: 'market must be a market code such as KRW-BTC; limit 10..1000' }, 400);
    const key = `chart|${deps.i18n.locale}|${q.data.market ?? ''}|${q.data.limit}`;
    return json(c, await deps.cache.get(key, async () => {
      const markets = await deps.queries.chartMarkets();
      const market = q.data.market ?? markets[0];
      if (!market) return JSON.stringify({ market: null, markets, candles: [], volume: [], markers: [], lines: [] });
      const view = await deps.queries.chart(market, { limit: q.data.limit });
      return JSON.stringify({ ...toChartSeries(view, deps.i18n), markets });
    }));
  });
  api.get('/pnl', async (c) => {
    const q = pnlQuery.safeParse(c.req.query());
    if (!q.success) return c.json({ error: 'days must be a whole number 1..366' }, 400);
    return json(c, await deps.cache.get(`pnl|${deps.i18n.locale}|${q.data.days}`, async () => {
      const [curve, daily] = await Promise.all([deps.queries.pnlCurve({ limit: 1_000 }), deps.queries.dailyPnl(q.data.days)]);
      return JSON.stringify(toPnlSeries(curve, daily, deps.i18n));
    }));
  });
  return api;
}
