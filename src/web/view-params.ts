// Query parameters of the dashboard and its partials; a bad value is dropped rather than failing the page, except a
// market filter that is no code: kept as badMarket, so the trades region says so instead of listing every market.
import { z } from 'zod';
import { toMarketCode } from '../bot/view.ts';
import { LOG_LEVELS, type LogLevel } from './components/logs.tsx';

export type ViewParams = { market?: string; badMarket?: string; result?: 'win' | 'loss'; page: number; level?: LogLevel };

/** Market codes as Upbit writes them (KRW-BTC); anything else is not a filter. */
export const MARKET_RE = /^[A-Z]{2,5}-[A-Z0-9]{1,15}$/;

const fields = {
  // Typed loosely like the Telegram commands: "btc" or "krw-btc" → KRW-BTC.
  market: z.string().transform(toMarketCode).pipe(z.string().regex(MARKET_RE)),
  result: z.enum(['win', 'loss']),
  page: z.coerce.number().int().min(1).max(100_000),
  level: z.enum(LOG_LEVELS),
};

export function parseViewParams(query: Record<string, string | undefined>): ViewParams {
  const pick = <T>(schema: z.ZodType<T>, raw: string | undefined): T | undefined => {
    if (raw === undefined || raw === '') return undefined;
    const r = schema.safeParse(raw);
    return r.success ? r.data : undefined;
  };
  const out: ViewParams = { page: pick(fields.page, query.page) ?? 1 };
  const market = pick(fields.market, query.market);
  const result = pick(fields.result, query.result);
  const level = pick(fields.level, query.level);
  if (market) out.market = market;
  else if (query.market !== undefined && query.market.trim() !== '') out.badMarket = query.market.trim().slice(0, 40);
  if (result) out.result = result;
  if (level) out.level = level;
  return out;
}
