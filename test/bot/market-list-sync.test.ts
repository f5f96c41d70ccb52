// market-list-sync: universe markets the strategy does not know are added at once; the market list refreshes facts and flags.
import { describe, expect, test } from 'bun:test';
import { createMarketListSync } from '../../src/bot/market-list-sync.ts';
import { readCandidates } from '../../src/core/decide-events.ts';
import { createStrategy } from '../../src/core/decide.ts';
import type { MarketFlags } from '../../src/core/risk.ts';
import { DEFAULT_STRATEGY_SETTINGS, type Strategy } from '../../src/core/strategy.ts';
import type { MarketInfo } from '../../src/core/types.ts';
import { Unavailable } from '../../src/exchange/errors.ts';
import { createLogger } from '../../src/log.ts';

const info = (market: string, over: Partial<MarketInfo> = {}): MarketInfo => ({
  market, koreanName: `${market} (ko)`, englishName: market, isWarning: false, cautions: [], ...over,
});

type Answer = MarketInfo[] | Error;

/** A real strategy, its setFlags calls recorded; an exchange whose listMarkets answers are released by the test. */
function setup(markets: string[]) {
  const strategy = createStrategy(DEFAULT_STRATEGY_SETTINGS, { markets, fills: 'external', autoEnter: false });
  const flags: [string, MarketFlags][] = [];
  const recorded: Pick<Strategy, 'addMarket' | 'marketIndex' | 'setFlags'> = {
    addMarket: (code) => strategy.addMarket(code),
    marketIndex: (code) => strategy.marketIndex(code),
    setFlags: (m, f) => (flags.push([strategy.markets[m]!, f]), strategy.setFlags(m, f)),
  };
  const calls: ((a: Answer) => void)[] = [];
  const exchange = {
    listMarkets: () => new Promise<MarketInfo[]>((resolve, reject) => calls.push((a) => (a instanceof Error ? reject(a) : resolve(a)))),
  };
  const lines: { level: string; msg: string; market?: string; index?: number }[] = [];
  const logger = createLogger({ level: 'debug', pretty: 'false', main: { write: (l: string) => void lines.push(JSON.parse(l)) } });
  const marketInfo = new Map<string, MarketInfo>();
  const sync = createMarketListSync({ strategy: recorded, exchange, marketInfo, logger });
  /** Answers the oldest unanswered listMarkets call. */
  const answer = async (a: Answer) => {
    await Bun.sleep(0);
    calls.shift()!(a);
  };
  return { strategy, flags, calls, lines, marketInfo, sync, answer };
}

describe('createMarketListSync', () => {
  test('a universe market the strategy does not know is added before onUniverse returns, then described and flagged', async () => {
    const t = setup(['KRW-AAA', 'KRW-BBB']);
    const done = t.sync.onUniverse(['KRW-BBB', 'KRW-NEW', 'KRW-AAA']);
    expect(t.strategy.marketIndex('KRW-NEW')).toBe(2);
    expect(t.strategy.markets).toEqual(['KRW-AAA', 'KRW-BBB', 'KRW-NEW']);
    expect(t.lines.filter((l) => l.msg === 'market listed after start; now evaluated')).toMatchObject([{ market: 'KRW-NEW', index: 2, level: 'info' }]);

    await t.answer([info('KRW-AAA', { isWarning: true }), info('KRW-BBB'), info('KRW-NEW'), info('KRW-XYZ')]);
    await done;
    expect(t.marketInfo.get('KRW-NEW')).toEqual(info('KRW-NEW'));
    expect(t.marketInfo.has('KRW-XYZ')).toBe(false); // not in the strategy (not in the universe): left alone
    // Known markets are refreshed too: AAA got a warning after start.
    expect(t.flags).toEqual([
      ['KRW-AAA', { isWarning: true, cautions: [], delistingDate: null }],
      ['KRW-BBB', { isWarning: false, cautions: [], delistingDate: null }],
      ['KRW-NEW', { isWarning: false, cautions: [], delistingDate: null }],
    ]);
  });

  test('a flag set later keeps the market out of the candidates; a lifted one lets it back', async () => {
    const t = setup(['KRW-AAA', 'KRW-BBB']);
    t.sync.apply([info('KRW-AAA'), info('KRW-BBB')]);
    const DAY0 = Date.UTC(2025, 8, 2);
    const candidatesAt = (fromMinute: number): string[] => {
      for (let minute = fromMinute; minute < fromMinute + 25; minute++) {
        const v = minute >= fromMinute + 20 ? 3 : 1;
        for (const m of [0, 1]) t.strategy.candle(m, DAY0 + minute * 60_000, 100, 100, 100, 100, v);
      }
      t.strategy.closeUpTo(DAY0 + (fromMinute + 25) * 60_000);
      return readCandidates(t.strategy.candidates, t.strategy.markets).map((c) => c.market);
    };
    t.strategy.candle(0, DAY0 - 60_000, 100, 100, 100, 100, 1);
    t.strategy.candle(1, DAY0 - 60_000, 100, 100, 100, 100, 1);
    expect(candidatesAt(0)).toEqual(['KRW-AAA', 'KRW-BBB']);

    const warned = t.sync.onUniverse(['KRW-BBB']);
    await t.answer([info('KRW-AAA', { cautions: ['PRICE_FLUCTUATIONS'] }), info('KRW-BBB')]);
    await warned;
    expect(t.marketInfo.get('KRW-AAA')?.cautions).toEqual(['PRICE_FLUCTUATIONS']);
    expect(candidatesAt(25)).toEqual(['KRW-BBB']);

    const lifted = t.sync.onUniverse(['KRW-AAA', 'KRW-BBB']);
    await t.answer([info('KRW-AAA'), info('KRW-BBB')]);
    await lifted;
    expect(candidatesAt(50)).toEqual(['KRW-AAA', 'KRW-BBB']);
  });

  test('when the market list cannot be read, the new market is still added, unflagged, and a warning is logged', async () => {
    const t = setup(['KRW-AAA']);
    const done = t.sync.onUniverse(['KRW-AAA', 'KRW-NEW']);
    await t.answer(new Unavailable('Upbit is down'));
    await done;
    expect(t.strategy.marketIndex('KRW-NEW')).toBe(1);
    expect(t.flags).toEqual([]);
    expect(t.marketInfo.get('KRW-NEW')).toMatchObject({ market: 'KRW-NEW', isWarning: false, cautions: [] });
    expect(t.lines.find((l) => l.level === 'warn')).toMatchObject({ msg: 'could not refresh the market list; market flags stay as they were' });
  });

  test('a universe of known markets adds nothing; refreshes run one at a time, so the latest answer wins', async () => {
    const t = setup(['KRW-AAA', 'KRW-BBB']);
    const first = t.sync.onUniverse(['KRW-AAA']);
    const second = t.sync.onUniverse(['KRW-BBB', 'KRW-AAA']);
    expect(t.strategy.markets).toEqual(['KRW-AAA', 'KRW-BBB']);
    expect(t.lines.filter((l) => l.msg === 'market listed after start; now evaluated')).toEqual([]);
    await Bun.sleep(0);
    expect(t.calls).toHaveLength(1); // the second waits for the first
    await t.answer([info('KRW-AAA', { isWarning: true }), info('KRW-BBB')]);
    await first;
    await t.answer([info('KRW-AAA'), info('KRW-BBB')]);
    await second;
    await t.sync.idle();
    expect(t.flags.slice(-2).map(([m, f]) => [m, f.isWarning])).toEqual([['KRW-AAA', false], ['KRW-BBB', false]]);
    expect(t.marketInfo.get('KRW-AAA')?.isWarning).toBe(false);
  });
});
