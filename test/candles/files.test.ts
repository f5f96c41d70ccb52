// Candle file names: the market a file's name says.
import { expect, test } from 'bun:test';
import { marketFromFileName } from '../../src/candles/files.ts';

test('marketFromFileName maps BTC_KRW_1m.csv to KRW-BTC and ignores other files', () => {
  expect(marketFromFileName('BTC_KRW_1m.csv')).toBe('KRW-BTC');
  expect(marketFromFileName('DOGE_KRW_1m.csv.gz')).toBe('KRW-DOGE');
  expect(marketFromFileName('README.md')).toBeNull();
});
