// Rate limits: Remaining-Req on every reply, fixed windows per group, 429 with a text body, then 418 with Retry-After.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createRateLimiter } from '../../src/sim/rate-limit.ts';
import { startTestSim, type TestSim } from './sim-client.ts';

describe('rate limiter', () => {
  test('windows are fixed per group and caller, and the limit resets with the next window', () => {
    let now = 10_000;
    const rl = createRateLimiter({ now: () => now });
    const results = Array.from({ length: 11 }, () => rl.check('ticker', 'ip:a').kind);
    expect(results.filter((k) => k === 'ok')).toHaveLength(10);
    expect(results[10]).toBe('limited');
    expect(rl.check('ticker', 'ip:b').kind).toBe('ok');
    expect(rl.check('candle', 'ip:a').kind).toBe('ok');
    now += 1000;
    expect(rl.check('ticker', 'ip:a')).toEqual({ kind: 'ok', group: 'ticker', remaining: 9 });
  });

  test('after N consecutive 429s a caller is blocked, each block longer than the last', () => {
    let now = 0;
    const rl = createRateLimiter({ now: () => now, blockAfter429: 2, blockBaseSec: 5, blockGrowth: 3, limits: { default: { max: 1, windowMs: 1000 } } });
    const run = () => [rl.check('default', 'k'), rl.check('default', 'k'), rl.check('default', 'k'), rl.check('default', 'k')].map((d) => d.kind);
    expect(run()).toEqual(['ok', 'limited', 'limited', 'blocked']);
    const blocked = rl.check('default', 'k');
    expect(blocked).toMatchObject({ kind: 'blocked', retryAfterSec: 5 });
    now += 5000;
    expect(run()).toEqual(['ok', 'limited', 'limited', 'blocked']);
    expect(rl.check('default', 'k')).toMatchObject({ kind: 'blocked', retryAfterSec: 15 });
    expect(rl.stats()).toMatchObject({ limited: 4, blocked: 4 });
  });

  test('the header carries group, the fixed per-minute figure and what is left', () => {
    const rl = createRateLimiter({ now: () => 0 });
    expect(rl.header('default', 29)).toBe('group=default; min=1800; sec=29');
    expect(rl.header('order', 11)).toBe('group=order; min=720; sec=11');
    expect(rl.header('order-cancel-all', 0)).toBe('group=order-cancel-all; min=30; sec=0');
  });
});

describe('rate limits over HTTP', () => {
  let t: TestSim;
  let realNow = 1_000_000;
  beforeAll(async () => {
    t = await startTestSim({ realNow: () => realNow, rateLimit: { blockAfter429: 2, blockBaseSec: 3 } });
  });
  afterAll(() => t.sim.stop());

  test('every reply carries Remaining-Req: success, quotation error, auth error, order error', async () => {
    const replies = [
      await fetch(`${t.sim.restUrl}/v1/ticker?markets=KRW-XRP`),
      await fetch(`${t.sim.restUrl}/v1/ticker?markets=KRW-NONE`),
      await t.call('GET', '/v1/accounts', { unsigned: true }),
      await t.call('POST', '/v1/orders', { body: { market: 'KRW-XRP', side: 'bid', ord_type: 'price', price: '100' } }),
    ];
    expect(replies.map((r) => r.status)).toEqual([200, 404, 401, 400]);
    expect(replies.map((r) => r.headers.get('remaining-req'))).toEqual([
      'group=ticker; min=600; sec=9',
      'group=ticker; min=600; sec=8',
      'group=default; min=1800; sec=29',
      'group=order; min=720; sec=11',
    ]);
  });

  test('beyond the window: 429 with a text body, then 418 with Retry-After until the block ends', async () => {
    realNow += 10_000;
    const statuses: number[] = [];
    let last: Response | null = null;
    for (let i = 0; i < 13; i++) {
      last = await fetch(`${t.sim.restUrl}/v1/market/all`);
      statuses.push(last.status);
      if (last.status === 429) expect(await last.text()).toBe('Too many API requests.');
    }
    expect(statuses).toEqual([...Array(10).fill(200), 429, 429, 418]);
    expect(last!.headers.get('retry-after')).toBe('3');
    expect(last!.headers.get('remaining-req')).toBe('group=market; min=600; sec=0');
    expect(await last!.json()).toEqual({ error: { name: 'too_many_requests_blocked', message: 'Blocked for 3 seconds.' } });
    realNow += 1000;
    expect((await fetch(`${t.sim.restUrl}/v1/ticker?markets=KRW-XRP`)).status).toBe(418);
    realNow += 3000;
    expect((await fetch(`${t.sim.restUrl}/v1/market/all`)).status).toBe(200);
    const state = (await (await fetch(`${t.sim.restUrl}/__sim/state`)).json()) as { rateLimited: Record<string, number> };
    expect(state.rateLimited).toEqual({ '429': 2, '418': 2 });
  });
});
