// Shared setup of the paper exchange tests: a BTC book, a seeded id source, an in-memory db with the real migrations.
import type { DbHandle } from '../../src/db/client.ts';
import { createPaperExchange, type PaperExchange } from '../../src/exchange/paper.ts';
import { openTestDb } from '../helpers/test-db.ts';
import { createFakeQuotes, type FakeQuotes } from './paper-quotes.ts';

export const NOW = 1_767_225_600_000;

/** asks 100.0M × 0.0003, 100.1M × 0.0005, 100.2M × 1 · bids 99.9M × 0.0002, 99.8M × 0.0003, 99.7M × 1 */
export const btcBook = () => ({
  asks: [[100_000_000, 0.0003], [100_100_000, 0.0005], [100_200_000, 1]] as Array<[number, number]>,
  bids: [[99_900_000, 0.0002], [99_800_000, 0.0003], [99_700_000, 1]] as Array<[number, number]>,
});

/** Park–Miller: a repeatable uniform [0, 1) source; a different seed per exchange instance. */
export function seededRandom(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16_807) % 2_147_483_647) / 2_147_483_647;
}

export type PaperSetup = { handle: DbHandle; quotes: FakeQuotes; paper: PaperExchange; reopen(seed: number, startKrw?: number): PaperExchange };

export async function setupPaper(startKrw = 1_000_000): Promise<PaperSetup> {
  const handle = await openTestDb();
  const quotes = createFakeQuotes({ 'KRW-BTC': btcBook() });
  const make = (seed: number, krw: number) =>
    createPaperExchange({ quotes, db: handle.db, clock: { now: () => NOW }, random: seededRandom(seed), startKrw: krw });
  return { handle, quotes, paper: make(1, startKrw), reopen: (seed, krw = startKrw) => make(seed, krw) };
}

export const balanceOf = async (paper: PaperExchange, currency: string) =>
  (await paper.fetchBalances()).find((b) => b.currency === currency) ?? { currency, free: 0, locked: 0, avgBuyPrice: 0 };

/** The accepted order of a placeOrder call (fails the test on `unknown`). */
export async function accepted(result: ReturnType<PaperExchange['placeOrder']>) {
  const r = await result;
  if (r.status !== 'accepted') throw new Error(`expected accepted, got unknown: ${String(r.cause)}`);
  return r.order;
}
