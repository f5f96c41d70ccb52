// Six-row candle scenarios (Freqtrade test_backtest_detail style): KRW-A spikes in the 00:20 bucket, the
// entry fills at the open of the 00:25 candle (row 0, price 100, volume 1000 for 100,000 KRW), then the rows
// run and the expected trade comes out. Settings: TP +3% (103), SL −2% (98), fee 0.05%.
import { describe, expect, test } from 'bun:test';
import type { StrategySettings } from '../../src/core/strategy.ts';
import { at, harness } from './decide-harness.ts';

type Row = [minute: number, open: number, high: number, low: number, close: number];
type Scenario = {
  name: string;
  settings?: Partial<StrategySettings>;
  rows: Row[];
  exit: { reason: string; minute: number; price: number };
};

const SCENARIOS: Scenario[] = [
  {
    name: 'take-profit inside the third candle sells at the level',
    // minute, open,  high,  low,   close
    rows: [[25, 100, 101, 99.5, 100.5], [26, 100.5, 102, 100, 101], [27, 101, 103.5, 100.8, 103.2], [28, 103, 103, 103, 103], [29, 103, 103, 103, 103], [30, 103, 103, 103, 103]],
    exit: { reason: 'take-profit', minute: 27, price: 103 },
  },
  {
    name: 'a gap down through the stop sells at the open',
    rows: [[25, 100, 100.4, 99.6, 100], [26, 100, 100.2, 99, 99.2], [27, 97, 97.5, 96, 97], [28, 97, 97, 97, 97], [29, 97, 97, 97, 97], [30, 97, 97, 97, 97]],
    exit: { reason: 'stop-loss', minute: 27, price: 97 },
  },
  {
    name: 'both levels in one candle: stop-loss first',
    rows: [[25, 100, 100.5, 99.5, 100], [26, 100, 104, 97, 101], [27, 101, 101, 101, 101], [28, 101, 101, 101, 101], [29, 101, 101, 101, 101], [30, 101, 101, 101, 101]],
    exit: { reason: 'stop-loss', minute: 26, price: 98 },
  },
  {
    name: 'an entry can exit within its first candle',
    rows: [[25, 100, 100.5, 97.9, 98.5], [26, 98.5, 99, 98, 98.6], [27, 99, 99, 99, 99], [28, 99, 99, 99, 99], [29, 99, 99, 99, 99], [30, 99, 99, 99, 99]],
    exit: { reason: 'stop-loss', minute: 25, price: 98 },
  },
  {
    name: 'a 1% trailing stop follows the high and sells at its level',
    settings: { trailingStop: 0.01 },
    rows: [[25, 100, 100.5, 99.8, 100.2], [26, 100.2, 102, 100.1, 101.8], [27, 101.8, 102.4, 101.5, 102.2], [28, 102.2, 102.3, 101.2, 101.3], [29, 101.3, 101.3, 101.3, 101.3], [30, 101.3, 101.3, 101.3, 101.3]],
    exit: { reason: 'trailing-stop', minute: 28, price: 102.4 * 0.99 },
  },
  {
    name: 'max hold of 3 minutes sells at the open of the candle at the deadline',
    settings: { maxHoldMinutes: 3 },
    rows: [[25, 100, 100.5, 99.5, 100.2], [26, 100.2, 101, 100, 100.9], [27, 100.9, 101.5, 100.6, 101.1], [28, 101.2, 101.9, 101, 101.5], [29, 101.5, 101.5, 101.5, 101.5], [30, 101.5, 101.5, 101.5, 101.5]],
    exit: { reason: 'max-hold', minute: 28, price: 101.2 },
  },
  {
    name: 'a position still open when the data ends closes at the last close',
    rows: [[25, 100, 100.5, 99.5, 100.2], [26, 100.2, 101, 100, 100.9], [27, 100.9, 101.5, 100.6, 101.1], [28, 101.1, 101.9, 101, 101.5], [29, 101.5, 102, 101.2, 101.7], [30, 101.7, 102.1, 101.5, 102]],
    exit: { reason: 'end-of-data', minute: 31, price: 102 },
  },
];

describe('backtest scenarios', () => {
  for (const sc of SCENARIOS) {
    test(sc.name, () => {
      const h = harness(['KRW-A'], sc.settings);
      h.warmUp();
      h.run(20, 24, 100, 3);
      for (const [minute, o, hi, lo, c] of sc.rows) h.candle('KRW-A', minute, o, hi, lo, c, 1);
      h.s.closeAll(at(31));
      h.collect();
      const exits = h.log.filter((e) => e.kind === 'exit');
      expect(exits).toHaveLength(1);
      const volume = 100_000 / 100;
      const pnl = sc.exit.price * volume * (1 - 0.0005) - 100_050;
      expect(exits[0]).toMatchObject({ reason: sc.exit.reason, time: at(sc.exit.minute), entryPrice: 100, entryTime: at(25), volume });
      expect(exits[0]!.kind === 'exit' && exits[0]!.price).toBeCloseTo(sc.exit.price, 9);
      expect(exits[0]!.kind === 'exit' && exits[0]!.pnlKrw).toBeCloseTo(pnl, 6);
    });
  }
});
