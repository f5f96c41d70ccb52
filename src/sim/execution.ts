// Moves money for the simulated orders: fills (balances, fees, events), final states with lock release,
// and the taker part of a new order against the visible book.
import { FEE_RATE } from '../core/ticks.ts';
import type { Accounts } from './accounts.ts';
import { depth, opposite, walkByFunds, walkByVolume, crosses, type WalkResult } from './matching.ts';
import { remainingVolume, toMyAsset, toMyOrder, type SimFill, type SimOrder } from './orders.ts';
import type { Prng } from './prng.ts';
import type { SimBookLevel } from './types.ts';

export type PrivateEmit = (accessKey: string, payload: Record<string, unknown>) => void;

export type Ledger = {
  accounts: Accounts;
  prng: Prng;
  feeRate: number;
  emit: PrivateEmit;
  /** Every fill ever, oldest first. */
  fills: SimFill[];
  nextMicros(now: number): number;
};

export function createLedger(deps: { accounts: Accounts; prng: Prng; feeRate?: number; emit?: PrivateEmit }): Ledger {
  let lastMicros = 0;
  return {
    accounts: deps.accounts,
    prng: deps.prng,
    feeRate: deps.feeRate ?? FEE_RATE,
    emit: deps.emit ?? (() => {}),
    fills: [],
    nextMicros(now) {
      lastMicros = Math.max(lastMicros + 1, Math.floor(now) * 1000);
      return lastMicros;
    },
  };
}

export const currenciesOf = (market: string): { quote: string; base: string } => {
  const [quote = 'KRW', base = ''] = market.split('-');
  return { quote, base };
};
const round8 = (x: number): number => Number(x.toFixed(8));

/** Announces the current balances of the order's two currencies on the private stream. */
export function emitAssets(l: Ledger, o: SimOrder, now: number): void {
  const { quote, base } = currenciesOf(o.market);
  const assets = [quote, base].map((c) => {
    const b = l.accounts.get(o.accessKey, c);
    return { currency: c, balance: b.balance, locked: b.locked };
  });
  l.emit(o.accessKey, toMyAsset(l.prng.uuid(), assets, now));
}

export function applyFill(l: Ledger, o: SimOrder, price: number, volume: number, isMaker: boolean, time: number): SimFill {
  const { quote, base } = currenciesOf(o.market);
  const funds = price * volume;
  const fee = funds * l.feeRate;
  if (o.side === 'bid') {
    l.accounts.spendLocked(o.accessKey, quote, funds + fee);
    l.accounts.addCoin(o.accessKey, base, volume, funds);
    o.locked = Math.max(0, o.locked - funds - fee);
  } else {
    l.accounts.spendLocked(o.accessKey, base, volume);
    l.accounts.credit(o.accessKey, quote, funds - fee);
    o.locked = Math.max(0, round8(o.locked - volume));
  }
  o.executedVolume = round8(o.executedVolume + volume);
  o.executedFunds += funds;
  o.paidFee += fee;
  const buyInitiated = isMaker ? o.side === 'ask' : o.side === 'bid';
  const fill: SimFill = {
    uuid: l.prng.uuid(),
    orderUuid: o.uuid,
    accessKey: o.accessKey,
    market: o.market,
    side: o.side,
    price,
    volume,
    funds,
    fee,
    trend: buyInitiated ? 'up' : 'down',
    isMaker,
    time,
    micros: l.nextMicros(time),
  };
  o.trades.push(fill);
  l.fills.push(fill);
  l.emit(o.accessKey, toMyOrder(o, time, fill));
  return fill;
}

/** Final state: whatever the order still holds goes back to free balance. */
export function finish(l: Ledger, o: SimOrder, state: 'done' | 'cancel', now: number): void {
  const { quote, base } = currenciesOf(o.market);
  if (o.locked > 0) l.accounts.unlock(o.accessKey, o.side === 'bid' ? quote : base, o.locked);
  o.state = state;
  l.emit(o.accessKey, toMyOrder(o, now, null));
  emitAssets(l, o, now);
}

function applyWalk(l: Ledger, o: SimOrder, walk: WalkResult, now: number): void {
  for (const f of walk.fills) applyFill(l, o, f.price, f.volume, false, now);
}

/** KRW fully spent (to float noise) on a funds-based buy: Upbit then says `done`, else `cancel` (dust refunded). */
const isFundsExhausted = (o: SimOrder): boolean => o.price !== null && o.price - o.executedFunds < 1e-8;

/** Executes the part of a new order that takes liquidity now, and settles its state. */
export function executeTaker(l: Ledger, o: SimOrder, levels: SimBookLevel[], now: number): void {
  const opp = opposite(levels, o.side);
  const tif = o.timeInForce;
  if (o.ordType === 'limit') {
    if (tif === 'post_only' && crosses(levels, o.side, o.price ?? 0)) return finish(l, o, 'cancel', now);
    const walk = walkByVolume(opp, o.side, o.volume ?? 0, o.price);
    if (tif === 'fok' && walk.volume < (o.volume ?? 0)) return finish(l, o, 'cancel', now);
    applyWalk(l, o, walk, now);
    if (remainingVolume(o) === 0) return finish(l, o, 'done', now);
    if (tif === 'ioc' || tif === 'fok') return finish(l, o, 'cancel', now);
    if (walk.fills.length > 0) emitAssets(l, o, now);
    return;
  }
  if (o.side === 'bid') {
    const total = o.price ?? 0;
    if (tif === 'fok' && depth(opp, 'bid') < total) return finish(l, o, 'cancel', now);
    applyWalk(l, o, walkByFunds(opp, total), now);
    return finish(l, o, isFundsExhausted(o) ? 'done' : 'cancel', now);
  }
  const walk = walkByVolume(opp, 'ask', o.volume ?? 0);
  if (tif === 'fok' && walk.volume < (o.volume ?? 0)) return finish(l, o, 'cancel', now);
  applyWalk(l, o, walk, now);
  finish(l, o, remainingVolume(o) === 0 ? 'done' : 'cancel', now);
}
