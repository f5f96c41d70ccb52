// Golden tests: real and documented Upbit responses (test/fixtures/upbit/*.json) → port types.
import { describe, expect, test } from 'bun:test';
import { parseBalances, parseOrderChance } from '../../../src/exchange/upbit/parse-account.ts';
import { parseBatchCancel, parseOrder, parseOrders } from '../../../src/exchange/upbit/parse-order.ts';
import { parseCandles, parseInstruments, parseMarkets, parseOrderbooks, parseTickers } from '../../../src/exchange/upbit/parse-quotation.ts';
import { MalformedResponse, type SkippedRow } from '../../../src/exchange/upbit/parse-util.ts';

type Fixture = { description: string; response: unknown; expected: unknown };
const load = async (name: string): Promise<Fixture> => Bun.file(new URL(`../../fixtures/upbit/${name}`, import.meta.url)).json();

const GOLDEN: Array<[file: string, parse: (raw: unknown) => unknown]> = [
  ['market-all.json', parseMarkets],
  ['ticker.json', parseTickers],
  ['candles-seconds.json', parseCandles],
  ['candles-minutes-1.json', parseCandles],
  ['orderbook.json', parseOrderbooks],
  ['orderbook-instruments.json', parseInstruments],
  ['accounts.json', parseBalances],
  ['orders-chance.json', parseOrderChance],
  ['orders-batch-cancel.json', parseBatchCancel],
];

describe('Upbit parsers against golden fixtures', () => {
  for (const [file, parse] of GOLDEN) {
    test(`${file} parses to the expected port values`, async () => {
      const f = await load(file);
      expect(parse(f.response)).toEqual(f.expected);
    });
  }

  for (const file of ['order-market-buy-cancel.json', 'order-limit-ask-wait.json']) {
    test(`${file} parses to the expected Order and keeps the raw object`, async () => {
      const f = await load(file);
      const order = parseOrder(f.response);
      const { raw, ...parsed } = order;
      expect(parsed as unknown).toEqual(f.expected);
      expect(raw).toBe(f.response);
    });
  }

  test('a market buy that ended cancel after filling is a cancelled market buy with its fill', async () => {
    const order = parseOrder((await load('order-market-buy-cancel.json')).response);
    expect([order.side, order.kind, order.state, order.price, order.volume]).toEqual(['buy', 'market', 'cancelled', 6000, null]);
    expect(order.fills.reduce((s, f) => s + f.funds, 0)).toBeCloseTo(5999.79184, 8);
  });

  test('order lists parse every row; watch counts as open, done as done, market sell as kind market', async () => {
    const base = (await load('order-limit-ask-wait.json')).response as Record<string, unknown>;
    const rows = [
      { ...base, state: 'watch' },
      { ...base, uuid: 'u2', state: 'done', ord_type: 'market', price: null, side: 'ask' },
      { ...base, uuid: 'u3', ord_type: 'best', side: 'bid', time_in_force: 'ioc' },
    ];
    const orders = parseOrders(rows);
    expect(orders.map((o) => [o.state, o.kind, o.side, o.price])).toEqual([
      ['open', 'limit', 'sell', 140000000],
      ['done', 'market', 'sell', null],
      ['open', 'best', 'buy', 140000000],
    ]);
  });
});

describe('Upbit parsers reject malformed responses', () => {
  test('a non-numeric amount names the field instead of producing NaN', async () => {
    const raw = (await load('accounts.json')).response as Array<Record<string, unknown>>;
    const bad = [raw[0], { ...raw[1], balance: 'abc' }];
    expect(() => parseBalances(bad)).toThrow(MalformedResponse);
    expect(() => parseBalances(bad)).toThrow('Could not parse Upbit accounts[1] (BTC): field balance is not a finite number ("abc")');
  });

  test('a ticker row with a missing field is skipped and reported by market and field; the other rows are kept', async () => {
    const raw = (await load('ticker.json')).response as Array<Record<string, unknown>>;
    const { trade_price: _, ...noPrice } = raw[1]!;
    const skipped: SkippedRow[] = [];
    const tickers = parseTickers([raw[0], noPrice, { market: 7 }], (row) => skipped.push(row));
    expect(tickers.map((t) => t.market)).toEqual([raw[0]!.market as string]);
    expect(skipped[0]).toMatchObject({ what: 'ticker', market: raw[1]!.market as string, field: 'trade_price' });
    expect(skipped[0]!.detail).toContain('missing or has the wrong type');
    expect(skipped[1]).toMatchObject({ market: null, field: 'market' });
    expect(() => parseTickers({ error: 'not a list' })).toThrow('Could not parse Upbit ticker: field (root)');
  });

  test('a market-list row with a bad field is skipped, the rest make the universe', async () => {
    const raw = (await load('market-all.json')).response as Array<Record<string, unknown>>;
    const skipped: SkippedRow[] = [];
    const markets = parseMarkets([{ ...raw[0], market_event: { warning: 'yes' } }, ...raw.slice(1)], (row) => skipped.push(row));
    expect(markets.map((m) => m.market)).toEqual(raw.slice(1).map((r) => r.market as string));
    expect(skipped).toEqual([expect.objectContaining({ what: 'market list', market: raw[0]!.market as string, field: 'market_event.warning' })]);
    expect(() => parseMarkets('<html>')).toThrow(MalformedResponse);
  });

  test('unknown order states, sides and bad times are refused', async () => {
    const base = (await load('order-limit-ask-wait.json')).response as Record<string, unknown>;
    expect(() => parseOrder({ ...base, state: 'exploded' })).toThrow('field state');
    expect(() => parseOrder({ ...base, side: 'buy' })).toThrow('field side');
    expect(() => parseOrder({ ...base, created_at: 'yesterday' })).toThrow('field created_at is not a valid time');
    expect(() => parseCandles({ not: 'an array' })).toThrow('Could not parse Upbit candles: field (root)');
  });

  test('an order without its executed volume is refused, not read as nothing filled', async () => {
    // A final order read as "0 executed" with no trades settles a buy as unfilled while its coins are held.
    const base = (await load('order-market-buy-cancel.json')).response as Record<string, unknown>;
    const { executed_volume: _, trades: __, ...noExecuted } = base;
    expect(() => parseOrder(noExecuted)).toThrow('field executed_volume is missing or has the wrong type');
    expect(() => parseOrder({ ...noExecuted, executed_volume: null })).toThrow('field executed_volume');
    expect(() => parseOrders([noExecuted])).toThrow('Could not parse Upbit order list[0]: field executed_volume');
  });
});
