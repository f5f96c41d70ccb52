// Public Upbit endpoints (market list, tickers, candles, trades, orderbook) over the MarketModel.
// Errors carry an integer name (shared/upbit-api.md §4). Amounts are JSON numbers here.
import { Hono, type Context } from 'hono';
import { krwTickSize, toDecimalString } from '../core/ticks.ts';
import { QUOTATION_MESSAGES as MSG, quotationError } from './errors.ts';
import { parseTimeParam } from './format.ts';
import { toCandleJson, toOrderbookJson, toTickerJson, toTradeJson } from './quotation-json.ts';
import type { MarketModel } from './types.ts';

export type QuotationDeps = { model: MarketModel; clock: { now(): number } };

const MINUTE_UNITS = new Set([1, 3, 5, 10, 15, 30, 60, 240]);
const DAY_MS = 86_400_000;

function required(c: Context, key: string): string {
  const v = c.req.query(key);
  if (v === undefined || v === '') throw quotationError(400, MSG.missing);
  return v;
}

function intParam(c: Context, key: string, dflt: number, min: number, max: number): number {
  const raw = c.req.query(key);
  if (raw === undefined || raw === '') return dflt;
  if (!/^\d+$/.test(raw)) throw quotationError(400, MSG.type);
  const n = Number(raw);
  if (n < min || n > max) throw quotationError(400, MSG.invalid);
  return n;
}

function marketsParam(c: Context, model: MarketModel, key = 'markets'): string[] {
  const list = required(c, key).split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (list.length === 0 || list.some((m) => !model.hasMarket(m))) throw quotationError(404, MSG.notFound);
  return list;
}

function candlesHandler(deps: QuotationDeps, unitSec: number, kind: 'seconds' | 'minutes' | 'days') {
  return (c: Context) => {
    const market = required(c, 'market');
    if (!deps.model.hasMarket(market)) throw quotationError(404, MSG.notFound);
    const count = intParam(c, 'count', 1, 1, 200);
    const now = deps.clock.now();
    const rawTo = c.req.query('to');
    const to = rawTo === undefined || rawTo === '' ? now + 1 : parseTimeParam(rawTo);
    if (to === null) throw quotationError(400, MSG.invalid);
    // One extra candle gives the oldest day candle its previous close.
    const got = deps.model.candles(market, unitSec, to, kind === 'days' ? count + 1 : count, now);
    const converting = c.req.query('converting_price_unit') === 'KRW';
    return c.json(
      got.slice(0, count).map((candle, i) =>
        toCandleJson(market, candle, {
          unit: kind === 'minutes' ? unitSec / 60 : undefined,
          prevClose: kind === 'days' ? (got[i + 1]?.close ?? candle.open) : undefined,
          converting,
        }),
      ),
    );
  };
}

function tradesHandler(deps: QuotationDeps) {
  return (c: Context) => {
    const market = required(c, 'market');
    if (!deps.model.hasMarket(market)) throw quotationError(404, MSG.notFound);
    const count = intParam(c, 'count', 1, 1, 500);
    const daysAgo = intParam(c, 'days_ago', 0, 1, 7);
    const now = deps.clock.now();
    const dayStart = Math.floor(now / DAY_MS) * DAY_MS - daysAgo * DAY_MS;
    let end = Math.min(now, dayStart + DAY_MS - 1);
    const rawTo = c.req.query('to');
    if (rawTo) {
      const m = /^(\d{2}):?(\d{2}):?(\d{2})$/.exec(rawTo);
      if (!m) throw quotationError(400, MSG.invalid);
      end = Math.min(end, dayStart + (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000 - 1);
    }
    const cursor = c.req.query('cursor');
    const prevClose = deps.model.ticker(market, now).prevClose;
    const out: ReturnType<typeof toTradeJson>[] = [];
    let skipping = cursor !== undefined && cursor !== '';
    // Walk back an hour at a time so a busy day never loads at once.
    for (let hi = end; hi >= dayStart && out.length < count; hi -= 3_600_000) {
      const batch = deps.model.trades(market, Math.max(dayStart - 1, hi - 3_600_000), hi).reverse();
      for (const t of batch) {
        if (skipping) {
          if (String(t.sequentialId) === cursor) skipping = false;
          continue;
        }
        out.push(toTradeJson(t, prevClose));
        if (out.length >= count) break;
      }
    }
    return c.json(out);
  };
}

export function createQuotationRoutes(input: QuotationDeps): Hono {
  const app = new Hono();
  // Whole milliseconds: an accelerated clock has fractions, Upbit timestamps do not.
  const clock = { now: () => Math.floor(input.clock.now()) };
  const deps = { model: input.model, clock };
  const { model } = deps;
  app.get('/market/all', (c) => {
    const details = (c.req.query('is_details') ?? c.req.query('isDetails')) === 'true';
    return c.json(
      model.listMarkets().map((m) => ({
        market: m.market,
        korean_name: m.koreanName,
        english_name: m.englishName,
        ...(details ? { market_event: marketEvent(m.isWarning, m.cautions) } : {}),
      })),
    );
  });
  app.get('/ticker', (c) => c.json(marketsParam(c, model).map((m) => toTickerJson(model.ticker(m, clock.now()), clock.now()))));
  app.get('/ticker/all', (c) => {
    const quotes = required(c, 'quote_currencies').split(',').map((s) => s.trim());
    const markets = model.listMarkets().map((m) => m.market).filter((m) => quotes.includes(m.split('-')[0] ?? ''));
    return c.json(markets.map((m) => toTickerJson(model.ticker(m, clock.now()), clock.now())));
  });
  app.get('/candles/seconds', candlesHandler(deps, 1, 'seconds'));
  app.get('/candles/days', candlesHandler(deps, 86_400, 'days'));
  app.get('/candles/minutes/:unit', (c) => {
    const unit = Number(c.req.param('unit'));
    if (!MINUTE_UNITS.has(unit)) throw quotationError(400, MSG.invalid);
    return candlesHandler(deps, unit * 60, 'minutes')(c);
  });
  app.get('/trades/ticks', tradesHandler(deps));
  app.get('/orderbook', (c) => {
    const markets = marketsParam(c, model);
    const count = intParam(c, 'count', 30, 1, 30);
    const level = c.req.query('level');
    if (level !== undefined && level !== '' && level !== '0') return c.json([]);
    const now = clock.now();
    return c.json(markets.map((m) => toOrderbookJson(m, model.orderbook(m, now, count), now)));
  });
  app.get('/orderbook/instruments', (c) =>
    c.json(
      marketsParam(c, model).map((m) => ({
        market: m,
        quote_currency: m.split('-')[0],
        tick_size: toDecimalString(krwTickSize(model.lastPrice(m, clock.now()))),
        supported_levels: ['0'],
      })),
    ),
  );
  return app;
}

const CAUTIONS = ['PRICE_FLUCTUATIONS', 'TRADING_VOLUME_SOARING', 'DEPOSIT_AMOUNT_SOARING', 'GLOBAL_PRICE_DIFFERENCES', 'CONCENTRATION_OF_SMALL_ACCOUNTS'];
const marketEvent = (warning: boolean, cautions: string[]) => ({
  warning,
  caution: Object.fromEntries(CAUTIONS.map((k) => [k, cautions.includes(k)])),
});
