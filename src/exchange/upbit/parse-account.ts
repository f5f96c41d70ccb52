// Pure parsers for Upbit account responses (amounts as decimal strings) → Balance and OrderChance.
import { z } from 'zod';
import type { Balance } from '../../core/types.ts';
import type { OrderChance } from '../exchange.ts';
import { num, parseWith } from './parse-util.ts';

// GET /v1/accounts
// [{"currency":"KRW","balance":"1000000.0","locked":"0.0","avg_buy_price":"0","avg_buy_price_modified":false,"unit_currency":"KRW"},
//  {"currency":"BTC","balance":"0.00005","locked":"0.0","avg_buy_price":"140000000","avg_buy_price_modified":false,"unit_currency":"KRW"}]
const accountSchema = z.object({
  currency: z.string().min(1),
  balance: z.string(),
  locked: z.string(),
  avg_buy_price: z.string(),
});
const amounts = z.object({ balance: num, locked: num, avg_buy_price: num });

export function parseBalances(raw: unknown): Balance[] {
  return parseWith(z.array(accountSchema), raw, 'accounts').map((a, i) => {
    const n = parseWith(amounts, a, `accounts[${i}] (${a.currency})`);
    return {
      currency: a.currency,
      free: n.balance,
      locked: n.locked,
      avgBuyPrice: n.avg_buy_price,
      raw: { balance: a.balance, locked: a.locked, avgBuyPrice: a.avg_buy_price },
    };
  });
}

// GET /v1/orders/chance?market=KRW-BTC
// {"bid_fee":"0.0005","ask_fee":"0.0005","maker_bid_fee":"0.0005","maker_ask_fee":"0.0005",
//  "market":{"id":"KRW-BTC","name":"BTC/KRW","bid_types":["limit","price",…],"ask_types":["limit","market",…],
//    "bid":{"currency":"KRW","min_total":"5000"},"ask":{"currency":"BTC","min_total":"5000"},"max_total":"1000000000","state":"active"},
//  "bid_account":{…},"ask_account":{…}}
const chanceSchema = z.object({
  bid_fee: num,
  ask_fee: num,
  market: z.object({
    id: z.string().min(1),
    bid: z.object({ currency: z.string(), min_total: num }),
    ask: z.object({ currency: z.string(), min_total: num }),
    max_total: num,
    state: z.string(),
  }),
});

export function parseOrderChance(raw: unknown): OrderChance {
  const c = parseWith(chanceSchema, raw, 'order chance');
  return {
    market: c.market.id,
    bidFeeRate: c.bid_fee,
    askFeeRate: c.ask_fee,
    // Both sides are quoted in KRW on KRW markets; the stricter one applies to our orders.
    minTotalKrw: Math.max(c.market.bid.min_total, c.market.ask.min_total),
    maxTotalKrw: c.market.max_total,
    state: c.market.state,
  };
}
