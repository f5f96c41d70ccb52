// Simulated balances per access key: free and locked amounts per currency, average buy price of each coin.

export type SimBalance = { currency: string; balance: number; locked: number; avgBuyPrice: number };

export type Accounts = {
  /** Creates the account (with the starting KRW) if it does not exist yet. */
  ensure(accessKey: string): void;
  get(accessKey: string, currency: string): SimBalance;
  /** Free → locked. */
  lock(accessKey: string, currency: string, amount: number): void;
  /** Locked → free. */
  unlock(accessKey: string, currency: string, amount: number): void;
  /** Locked amount leaves the account (spent on a fill). */
  spendLocked(accessKey: string, currency: string, amount: number): void;
  /** Free amount grows (sale proceeds). */
  credit(accessKey: string, currency: string, amount: number): void;
  /** A coin bought: free volume grows and the average buy price moves (fees excluded). */
  addCoin(accessKey: string, currency: string, volume: number, fundsKrw: number): void;
  /** Rows as /v1/accounts lists them: KRW always, coins while they hold something. */
  list(accessKey: string): SimBalance[];
  accessKeys(): string[];
};

/** Float dust from repeated add/subtract is cleared so a fully released lock reads exactly 0. */
const clean = (x: number): number => (Math.abs(x) < 1e-9 ? 0 : x);

export function createAccounts(deps: { startKrw: number }): Accounts {
  const books = new Map<string, Map<string, SimBalance>>();

  const book = (accessKey: string): Map<string, SimBalance> => {
    let b = books.get(accessKey);
    if (!b) {
      b = new Map([['KRW', { currency: 'KRW', balance: deps.startKrw, locked: 0, avgBuyPrice: 0 }]]);
      books.set(accessKey, b);
    }
    return b;
  };
  const row = (accessKey: string, currency: string): SimBalance => {
    const b = book(accessKey);
    let r = b.get(currency);
    if (!r) b.set(currency, (r = { currency, balance: 0, locked: 0, avgBuyPrice: 0 }));
    return r;
  };

  return {
    ensure: (accessKey) => void book(accessKey),
    get: (accessKey, currency) => ({ ...row(accessKey, currency) }),
    lock(accessKey, currency, amount) {
      const r = row(accessKey, currency);
      r.balance = clean(r.balance - amount);
      r.locked = clean(r.locked + amount);
    },
    unlock(accessKey, currency, amount) {
      const r = row(accessKey, currency);
      r.balance = clean(r.balance + amount);
      r.locked = clean(r.locked - amount);
    },
    spendLocked(accessKey, currency, amount) {
      const r = row(accessKey, currency);
      r.locked = clean(r.locked - amount);
    },
    credit(accessKey, currency, amount) {
      const r = row(accessKey, currency);
      r.balance = clean(r.balance + amount);
    },
    addCoin(accessKey, currency, volume, fundsKrw) {
      const r = row(accessKey, currency);
      const held = r.balance + r.locked;
      r.avgBuyPrice = held + volume > 0 ? (r.avgBuyPrice * held + fundsKrw) / (held + volume) : 0;
      r.balance = clean(r.balance + volume);
    },
    list: (accessKey) =>
      [...book(accessKey).values()]
        .filter((r) => r.currency === 'KRW' || r.balance > 0 || r.locked > 0)
        .map((r) => ({ ...r, avgBuyPrice: r.balance + r.locked > 0 ? r.avgBuyPrice : 0 })),
    accessKeys: () => [...books.keys()],
  };
}
