// Loads the recorded Upbit 1-minute candles (shared data, or the bundled subset) into candle columns.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CandleDataError, type CandleColumns } from '../../candles/columns.ts';
import { parseCandleCsv } from '../../candles/csv.ts';
import { marketFromFileName, readCandleBytes } from '../../candles/files.ts';

export type RecordedMarket = CandleColumns & { market: string; koreanName: string; englishName: string };

export type RecordedData = {
  /** 'shared' = the full files, 'bundled' = the 3-day subset shipped in the repo. */
  source: 'shared' | 'bundled';
  dir: string;
  markets: RecordedMarket[];
};

export const RECORDED_NAMES: Readonly<Record<string, { koreanName: string; englishName: string }>> = {
  'KRW-BTC': { koreanName: '비트코인', englishName: 'Bitcoin' },
  'KRW-ETH': { koreanName: '이더리움', englishName: 'Ethereum' },
  'KRW-XRP': { koreanName: '리플', englishName: 'XRP' },
  'KRW-SOL': { koreanName: '솔라나', englishName: 'Solana' },
  'KRW-DOGE': { koreanName: '도지코인', englishName: 'Dogecoin' },
};

/** Repo root's parent holds shared/ (locally /work; in CI the clone's sibling). */
export const DEFAULT_DATA_DIR = join(import.meta.dir, '../../../..', 'shared/data/upbit/AzureMooni__upbit_auto_bot/data');
export const BUNDLED_DATA_DIR = join(import.meta.dir, 'recorded');

/** Reads one market file (gunzips `.gz`). */
export function loadCandleFile(path: string): CandleColumns {
  return parseCandleCsv(readCandleBytes(path), { source: path });
}

const MARKET_FILES = ['BTC', 'ETH', 'XRP', 'SOL', 'DOGE'];

function filesIn(dir: string): string[] | null {
  const found: string[] = [];
  for (const base of MARKET_FILES) {
    const plain = join(dir, `${base}_KRW_1m.csv`);
    if (existsSync(plain)) found.push(plain);
    else if (existsSync(`${plain}.gz`)) found.push(`${plain}.gz`);
  }
  return found.length > 0 ? found : null;
}

/**
 * Loads the five recorded markets: from `dataDir` (default: shared/ beside the repo) when it holds
 * them, otherwise from the bundled subset in src/sim/market/recorded/.
 */
export function loadRecordedMarkets(opts: { dataDir?: string } = {}): RecordedData {
  const sharedDir = opts.dataDir ?? DEFAULT_DATA_DIR;
  const shared = filesIn(sharedDir);
  const dir = shared ? sharedDir : BUNDLED_DATA_DIR;
  const files = shared ?? filesIn(BUNDLED_DATA_DIR);
  if (!files) throw new CandleDataError(`Cannot find recorded candles: neither ${sharedDir} nor ${BUNDLED_DATA_DIR} has *_KRW_1m.csv`);
  const markets = files.map((path) => {
    const market = marketFromFileName(path)!;
    const names = RECORDED_NAMES[market] ?? { koreanName: market, englishName: market };
    return { market, ...names, ...loadCandleFile(path) };
  });
  return { source: shared ? 'shared' : 'bundled', dir, markets };
}
