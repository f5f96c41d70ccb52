import { describe, expect, test } from 'bun:test';
import {
  costWithFee, floorVolume, formatPrice, formatVolume, isOnTickGrid, krwTickSize, meetsMinimum,
  proceedsAfterFee, roundPriceToTick, toDecimalString,
} from '../../src/core/ticks.ts';

describe('krwTickSize', () => {
  test.each([
    [150_000_000, 1_000], [1_000_000, 1_000], [999_999, 500], [500_000, 500], [499_999, 100],
    [100_000, 100], [99_999, 50], [50_000, 50], [49_999, 10], [10_000, 10], [9_999, 5], [5_000, 5],
    [4_999, 1], [1_000, 1], [999, 1], [100, 1], [99.9, 0.1], [10, 0.1], [9.99, 0.01], [1, 0.01],
    [0.5, 0.001], [0.05, 0.0001], [0.005, 0.00001], [0.0005, 0.000001], [0.00005, 0.0000001],
  ])('price %p has tick %p', (price, tick) => {
    expect(krwTickSize(price)).toBe(tick);
  });
});

describe('roundPriceToTick', () => {
  test('rounds down, up and to nearest on the grid', () => {
    expect(roundPriceToTick(150_123_456, 'down')).toBe(150_123_000);
    expect(roundPriceToTick(150_123_456, 'up')).toBe(150_124_000);
    expect(roundPriceToTick(7_003, 'nearest')).toBe(7_005);
    expect(roundPriceToTick(7_002, 'nearest')).toBe(7_000);
  });

  test('keeps exact grid prices despite binary noise', () => {
    expect(roundPriceToTick(0.29, 'down', 0.01)).toBe(0.29);
    expect(roundPriceToTick(12.3, 'up')).toBe(12.3);
    expect(roundPriceToTick(0.1 + 0.2, 'down', 0.001)).toBe(0.3);
  });

  test('isOnTickGrid accepts grid prices and refuses others', () => {
    expect(isOnTickGrid(160_594_000)).toBe(true);
    expect(isOnTickGrid(160_594_500)).toBe(false);
    expect(isOnTickGrid(3_752)).toBe(true);
    expect(isOnTickGrid(5_001)).toBe(false);
  });
});

describe('volumes and formatting', () => {
  test('floorVolume truncates to 8 decimals, never rounds up', () => {
    expect(floorVolume(0.123456789)).toBe(0.12345678);
    expect(floorVolume(0.29)).toBe(0.29);
    expect(floorVolume(100_000 / 160_594_000)).toBe(0.00062268);
  });

  test('floorVolume keeps every volume that already has 8 decimals (a held balance is sold whole, no 1e-8 left)', () => {
    expect(floorVolume(9.98628428)).toBe(9.98628428);
    expect(floorVolume(5292.02938079)).toBe(5292.02938079);
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const wrong: number[] = [];
    for (let i = 0; i < 100_000; i++) {
      const v = Number((Math.floor(next() * 1e15) / 1e8).toFixed(8)); // up to 10 million coins, 8 decimals
      if (floorVolume(v) !== v || formatVolume(v) !== v.toFixed(8).replace(/\.?0+$/, '')) wrong.push(v);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  test('floorVolume still truncates what lies between two 8-decimal steps', () => {
    expect(floorVolume(9.986284289)).toBe(9.98628428);
    expect(floorVolume(9.9862842899)).toBe(9.98628428);
    expect(floorVolume(0.000000019)).toBe(0.00000001);
    expect(floorVolume(1234.567890129)).toBe(1234.56789012);
  });

  test('decimal strings never use exponent notation', () => {
    expect(formatVolume(0.00000001)).toBe('0.00000001');
    expect(formatVolume(30925891.29839369)).toBe('30925891.29839369');
    expect(formatPrice(150_000_000)).toBe('150000000');
    expect(formatPrice(0.00012)).toBe('0.00012');
    expect(toDecimalString(5_000)).toBe('5000');
  });
});

describe('fees and minimum', () => {
  test('bid fee is on top and ask fee comes out of the proceeds (0.05%)', () => {
    expect(costWithFee(100_000)).toBeCloseTo(100_050, 9);
    expect(proceedsAfterFee(7_394.19175)).toBeCloseTo(7_394.19175 - 3.697095875, 9);
  });

  test('orders under 5,000 KRW are below the minimum', () => {
    expect(meetsMinimum(5_000)).toBe(true);
    expect(meetsMinimum(4_999.99)).toBe(false);
  });
});
