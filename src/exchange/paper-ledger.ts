// In-memory balances of the paper account: reserve, release, spend and credit, with the set of rows a change touched.
import type { Balance } from '../core/types.ts';
import { floorVolume } from '../core/ticks.ts';
import { InsufficientFunds } from './errors.ts';

export const QUOTE_CURRENCY = 'KRW';

export type Ledger = {
  get(currency: string): Balance;
  /** Moves `amount` from free to locked; throws InsufficientFunds when free is short. */
  reserve(currency: string, amount: number): void;
  /** Moves `amount` from locked back to free. */
  release(currency: string, amount: number): void;
  /** Removes `amount` from locked (it was paid away). */
  spendLocked(currency: string, amount: number): void;
  /** Adds to free; a base-currency credit at `price` updates the average buy price. */
  credit(currency: string, amount: number, price?: number): void;
  /** Balances worth showing: KRW always, others while they hold anything. */
  list(): Balance[];
  /** Balances changed since the fork, to persist. */
  touched(): Balance[];
  /** A copy to change; the caller keeps it only if persisting it succeeded. */
  fork(): Ledger;
};

/** KRW keeps fractions; below this it is binary noise from price × volume × fee. */
const KRW_NOISE = 1e-9;
const tidy = (currency: string, x: number): number =>
  currency === QUOTE_CURRENCY ? (Math.abs(x) < KRW_NOISE ? 0 : x) : floorVolume(Math.max(0, x));

export function createLedger(initial: Balance[]): Ledger {
  const rows = new Map<string, Balance>(initial.map((b) => [b.currency, { ...b }]));
  const changed = new Set<string>();
  const get = (currency: string): Balance => {
    let row = rows.get(currency);
    if (!row) rows.set(currency, (row = { currency, free: 0, locked: 0, avgBuyPrice: 0 }));
    return row;
  };
  const set = (currency: string, free: number, locked: number, avgBuyPrice?: number): void => {
    const row = get(currency);
    row.free = tidy(currency, free);
    row.locked = tidy(currency, locked);
    if (avgBuyPrice !== undefined) row.avgBuyPrice = avgBuyPrice;
    if (currency !== QUOTE_CURRENCY && row.free + row.locked <= 0) row.avgBuyPrice = 0;
    changed.add(currency);
  };
  return {
    get: (currency) => ({ ...get(currency) }),
    reserve(currency, amount) {
      const row = get(currency);
      if (row.free + KRW_NOISE < amount) {
        throw new InsufficientFunds(`Could not reserve ${amount} ${currency}: only ${row.free} ${currency} is free`);
      }
      set(currency, row.free - amount, row.locked + amount);
    },
    release(currency, amount) {
      const row = get(currency);
      set(currency, row.free + amount, row.locked - amount);
    },
    spendLocked(currency, amount) {
      const row = get(currency);
      set(currency, row.free, row.locked - amount);
    },
    credit(currency, amount, price) {
      const row = get(currency);
      const held = row.free + row.locked;
      const avg = price === undefined ? undefined : (held * row.avgBuyPrice + amount * price) / (held + amount);
      set(currency, row.free + amount, row.locked, avg);
    },
    list: () => [...rows.values()].filter((b) => b.currency === QUOTE_CURRENCY || b.free + b.locked > 0).map((b) => ({ ...b })),
    touched: () => [...changed].map((c) => ({ ...get(c) })),
    fork: () => createLedger([...rows.values()]),
  };
}
