import { expect, test } from 'bun:test';
import { krwTickSize, roundPriceToTick } from '../../../src/core/ticks.ts';
import { createMarketModel } from '../../../src/sim/market/model.ts';
import { createSyntheticSpecs, gridPrice } from '../../../src/sim/market/synthetic.ts';

const model = createMarketModel({ seed: 2024, dataDir: '/nonexistent' });
const synthetic = model.listMarkets().filter((m) => m.isSynthetic);
const endOfDay = Date.parse('2025-09-06T00:00:00Z') - 1; // all of 2025-09-05

test('120 clearly named synthetic markets by default, after the five recorded ones', () => {
  expect(model.listMarkets().slice(0, 5).map((m) => m.market)).toEqual(['KRW-BTC', 'KRW-ETH', 'KRW-XRP', 'KRW-SOL', 'KRW-DOGE']);
  expect(synthetic.length).toBe(120);
  expect(synthetic[0]).toMatchObject({ market: 'KRW-SYN001', englishName: 'Synthetic 001', koreanName: '합성 001' });
  expect(synthetic[119]!.market).toBe('KRW-SYN120');
});

test('three markets carry a caution flag and one a warning', () => {
  expect(synthetic.filter((m) => m.cautions.length > 0).length).toBe(3);
  expect(synthetic.filter((m) => m.isWarning).length).toBe(1);
  expect(model.listMarkets().slice(0, 5).every((m) => !m.isWarning && m.cautions.length === 0)).toBe(true);
});

test('paths are deterministic per seed and independent of the clip', () => {
  const a = createMarketModel({ seed: 77, syntheticCount: 6, dataDir: '/nonexistent' });
  const b = createMarketModel({ seed: 77, syntheticCount: 6, dataDir: '/nonexistent', from: Date.parse('2025-09-05T00:00:00Z') });
  const c = createMarketModel({ seed: 78, syntheticCount: 6, dataDir: '/nonexistent' });
  const day = (m: typeof a) => m.candles('KRW-SYN003', 60, endOfDay + 1, 200, endOfDay);
  expect(day(b)).toEqual(day(a));
  expect(day(c)).not.toEqual(day(a));
  expect(a.trades('KRW-SYN005', endOfDay - 600_000, endOfDay)).toEqual(b.trades('KRW-SYN005', endOfDay - 600_000, endOfDay));
  expect(b.span().from).toBe(Date.parse('2025-09-05T00:00:00Z'));
});

test('volume spikes (≥ 2× the mean of the previous four 5-minute candles) happen several times a day per market', () => {
  let total = 0;
  let withSpikes = 0;
  for (const { market } of synthetic) {
    const c = model.candles(market, 300, endOfDay + 1, 288, endOfDay).reverse();
    let n = 0;
    for (let i = 4; i < c.length; i++) {
      const mean = (c[i - 1]!.volume + c[i - 2]!.volume + c[i - 3]!.volume + c[i - 4]!.volume) / 4;
      if (c[i]!.volume >= 2 * mean) n++;
    }
    total += n;
    if (n > 0) withSpikes++;
  }
  expect(total / synthetic.length).toBeGreaterThanOrEqual(3);
  expect(withSpikes).toBeGreaterThanOrEqual(synthetic.length * 0.9);
});

test('prices span many tick bands and thin markets have minutes without trades', () => {
  const last = synthetic.map((m) => model.lastPrice(m.market, endOfDay));
  expect(new Set(last.map((p) => krwTickSize(p))).size).toBeGreaterThanOrEqual(8);
  expect(Math.min(...last)).toBeLessThan(1);
  expect(Math.max(...last)).toBeGreaterThan(300_000);
  const minutesTraded = synthetic.map((m) => model.candles(m.market, 60, endOfDay + 1, 1440, endOfDay).length);
  expect(minutesTraded.some((n) => n < 1400)).toBe(true);
  expect(minutesTraded.filter((n) => n === 1440).length).toBeGreaterThan(synthetic.length / 2);
});

test('the generator’s grid snapping matches roundPriceToTick', () => {
  for (let p = 0.05; p < 2e6; p *= 1.0137) expect(gridPrice(p)).toBe(roundPriceToTick(p));
});

test('specs are cheap and deterministic', () => {
  const s1 = createSyntheticSpecs(5, 10, 20_000, 20_010);
  const s2 = createSyntheticSpecs(5, 10, 20_000, 20_010);
  expect(s1.map((s) => [s.sigma, s.volumeKrw, [...s.anchors]])).toEqual(s2.map((s) => [s.sigma, s.volumeKrw, [...s.anchors]]));
});
