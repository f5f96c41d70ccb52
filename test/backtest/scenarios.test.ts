// Backtest scenarios: hand-built candle tables through the real parser, merge and core strategy, with the expected trades.
import { describe, expect, test } from 'bun:test';
import { at, backtestTables, flat, SPIKE, WARM_UP } from './tables.ts';

const ENTRY = 100; // every scenario enters at the 00:25 open of 100: volume 1000, buy fee 50 KRW
const pnlAt = (exit: number) => exit * 1000 - exit * 1000 * 0.0005 - (ENTRY * 1000 + 50);

/** Warm-up, the spike bucket, then the rows under test (from 00:25). */
const scenario = (rows: string) => `${WARM_UP}\n${SPIKE}\n${rows}`;

describe('exits on 1-minute candles', () => {
  test('the entry fills at the open of the first 1-minute candle after the signal; take-profit at its level', () => {
    const r = backtestTables({
      'KRW-A': scenario(`
        # time  open  high   low    close  volume
        00:25   100   101    99.5   100.5  1      # entry at the open, no level touched
        00:26   101   103.5  100.8  103    1      # high ≥ 103 → take-profit at 103
        00:27   103   103    103    103    1`),
    });
    expect(r.trades).toHaveLength(1);
    const t = r.trades[0]!;
    expect(t).toMatchObject({ market: 'KRW-A', entryTime: at('00:25'), entryPrice: 100, exitTime: at('00:26'), volume: 1000, reason: 'take-profit' });
    expect(t.exitPrice).toBeCloseTo(103, 9);
    expect(t.pnl).toBeCloseTo(pnlAt(103), 6);
    expect(r.summary.totalPnlKrw).toBeCloseTo(2898.5, 6);
    expect(r.summary.feesKrw).toBeCloseTo(50 + 51.5, 6);
  });

  test('stop-loss at its level', () => {
    const r = backtestTables({ 'KRW-A': scenario(`
        00:25   100   100.5  99     100    1
        00:26   100   100.5  97.5   99     1      # low ≤ 98 → stop-loss at 98`) });
    expect(r.trades.map((t) => [t.reason, t.exitTime])).toEqual([['stop-loss', at('00:26')]]);
    expect(r.trades[0]!.exitPrice).toBeCloseTo(98, 9);
    expect(r.trades[0]!.pnl).toBeCloseTo(-2099, 6);
  });

  test('both levels inside one candle: the stop-loss is taken first', () => {
    const r = backtestTables({ 'KRW-A': scenario(`
        00:25   100   100.5  99     100    1
        00:26   100   104    97     101    1      # 103 and 98 both inside`) });
    expect(r.trades.map((t) => t.reason)).toEqual(['stop-loss']);
    expect(r.trades[0]!.exitPrice).toBeCloseTo(98, 9);
  });

  test('a gap through a level fills at the open, down and up', () => {
    const down = backtestTables({ 'KRW-A': scenario(`
        00:25   100   100.5  99     100    1
        00:26   96    96.5   95     96     1      # opens below 98 → sells at 96`) });
    expect(down.trades.map((t) => [t.reason, t.exitPrice])).toEqual([['stop-loss', 96]]);
    expect(down.trades[0]!.pnl).toBeCloseTo(pnlAt(96), 6);
    const up = backtestTables({ 'KRW-A': scenario(`
        00:25   100   100.5  99     100    1
        00:26   105   106    104.5  105    1      # opens above 103 → sells at 105`) });
    expect(up.trades.map((t) => [t.reason, t.exitPrice])).toEqual([['take-profit', 105]]);
  });

  test('an entry can exit within its first candle', () => {
    const r = backtestTables({ 'KRW-A': scenario(`
        00:25   100   100    97     97     1      # fills at 100, then the low reaches 98`) });
    expect(r.trades).toMatchObject([{ entryTime: at('00:25'), exitTime: at('00:25'), reason: 'stop-loss' }]);
  });

  test('positions still open when the data ends close at the last close, reason end-of-data', () => {
    const r = backtestTables({ 'KRW-A': scenario(`
        00:25   100   101    99.5   100.5  1
        00:26   100.5 102    100    101.5  1`) });
    expect(r.trades).toMatchObject([{ exitTime: at('00:26'), exitPrice: 101.5, reason: 'end-of-data' }]);
    expect(r.summary.finalKrw).toBeCloseTo(1_000_000 + pnlAt(101.5), 6);
  });
});

describe('missing minutes', () => {
  test('a pending entry fills at the market next existing candle', () => {
    const r = backtestTables({ 'KRW-A': scenario(`
        # 00:25 and 00:26 have no trade (no candle)
        00:27   101   101.5  100.5  101    1
        00:28   101   104.5  101    104    1`) });
    expect(r.trades).toMatchObject([{ entryTime: at('00:27'), entryPrice: 101, exitTime: at('00:28'), reason: 'take-profit' }]);
    expect(r.trades[0]!.exitPrice).toBeCloseTo(101 * 1.03, 9);
  });

  test('a bucket without minutes has no candle: the spike compares with the four previous existing buckets', () => {
    const spike9 = `${SPIKE.replace('00:24 100 100 100 100 6', '00:24 100 100 100 100 5')}\n00:25 100 100 100 100 1`;
    const withGap = `${flat('-23:59', '-23:59')}\n${flat('00:00', '00:09')}\n${flat('00:15', '00:19')}\n${spike9}`;
    // mean of 1 (23:55), 5, 5, 5 = 4 → 9 / 4 = 2.25 is a spike; with 00:10 present the mean is 5 → 1.8 is not.
    expect(backtestTables({ 'KRW-A': withGap }).trades).toMatchObject([{ entryTime: at('00:25'), reason: 'end-of-data' }]);
    expect(backtestTables({ 'KRW-A': `${WARM_UP}\n${spike9}` }).trades).toEqual([]);
  });
});

describe('day boundaries', () => {
  const at106 = (prevDay: string) => `${prevDay}\n${flat('00:00', '00:19', 106)}\n${SPIKE.replaceAll(' 100 100 100 100', ' 106 106 106 106')}\n00:25 106 106 106 106 1`;

  test('the price filter compares with the last close before 00:00 UTC', () => {
    const near = at106(`-23:58 100 100 100 100 1\n-23:59 100 103 100 103 1`); // 106 / 103 − 1 = 2.9 %
    const far = at106(`-23:58 103 103 103 103 1\n-23:59 103 103 100 100 1`); // 106 / 100 − 1 = 6 %
    expect(backtestTables({ 'KRW-A': near }).trades.map((t) => t.entryTime)).toEqual([at('00:25')]);
    expect(backtestTables({ 'KRW-A': far }).trades).toEqual([]);
    expect(backtestTables({ 'KRW-A': at106('') }).trades).toEqual([]); // no previous day: no signal
  });

  test('the daily loss limit blocks entries until 00:00 KST (15:00 UTC), exits go on', () => {
    const a = scenario(`
        00:25   100   100.5  99     100    1
        00:26   100   100.5  97.5   99     1      # stop-loss −2,099 KRW
        00:27   99    99     99     99     1`);
    const b = [
      flat('-23:59', '-23:59'), flat('00:00', '01:03'), '01:04 100 100 100 100 6', // spike at the 01:05 close
      flat('01:05', '14:58'), '14:59 100 100 100 100 6', flat('15:00', '15:10'), // spike at the 15:00 close = 00:00 KST
    ].join('\n');
    const limited = backtestTables({ 'KRW-A': a, 'KRW-B': b }, { dailyLossLimit: -2_000 });
    expect(limited.trades.map((t) => [t.market, t.entryTime, t.reason])).toEqual([
      ['KRW-A', at('00:25'), 'stop-loss'],
      ['KRW-B', at('15:00'), 'end-of-data'],
    ]);
    const open = backtestTables({ 'KRW-A': a, 'KRW-B': b });
    expect(open.trades.map((t) => [t.market, t.entryTime])).toEqual([['KRW-A', at('00:25')], ['KRW-B', at('01:05')]]);
  });
});

describe('shared balance and coarser data', () => {
  test('markets share the KRW balance and the position limit', () => {
    const a = scenario('00:25 100 100 100 100 1\n00:30 100 100 100 100 1');
    const b = `${flat('-23:59', '-23:59')}\n${flat('00:00', '00:28')}\n00:29 100 100 100 100 6\n${flat('00:30', '00:31')}`;
    expect(backtestTables({ 'KRW-A': a, 'KRW-B': b }).trades.map((t) => t.market)).toEqual(['KRW-A', 'KRW-B']);
    expect(backtestTables({ 'KRW-A': a, 'KRW-B': b }, { initialKrw: 150_000 }).trades.map((t) => t.market)).toEqual(['KRW-A']);
    expect(backtestTables({ 'KRW-A': a, 'KRW-B': b }, { maxPositions: 1 }).trades.map((t) => t.market)).toEqual(['KRW-A']);
  });

  test('15-minute data runs the strategy on 15-minute candles, entry at the next candle open', () => {
    const r = backtestTables({
      'KRW-A': `
        # time   open high  low  close volume
        -23:45   100  100   100  100   5
        00:00    100  100   100  100   5
        00:15    100  100   100  100   5
        00:30    100  100   100  100   5
        00:45    100  100   100  100   10     # spike, evaluated at 01:00
        01:00    101  101   100  101   5      # entry at 101
        01:15    101  104.5 101  104   5      # take-profit at 104.03`,
    });
    expect(r.summary.strategyIntervalMs).toBe(900_000);
    expect(r.summary.dataIntervalMs).toBe(900_000);
    expect(r.trades).toMatchObject([{ entryTime: at('01:00'), entryPrice: 101, exitTime: at('01:15'), reason: 'take-profit' }]);
  });
});
