// Types shared by the executor's parts: settings, dependencies, results and the ExecutorEvent union.
import type { Clock } from '../clock.ts';
import type { ExitReason } from '../core/types.ts';
import { FEE_RATE, MIN_ORDER_KRW } from '../core/ticks.ts';
import type { Db } from '../db/client.ts';
import type { OrderPurpose } from '../db/repos/orders.ts';
import type { Exchange } from '../exchange/exchange.ts';
import type { RandomSource } from './identifiers.ts';

export type ExecutorSettings = {
  /** Fee used only when the exchange reports no paid fee for a filled order. */
  feeRate: number;
  /** Pause between two polls of one order. */
  pollIntervalMs: number;
  /** Polls of an accepted order before leaving it `open` for resolvePending. */
  maxPollAttempts: number;
  /** Lookups by identifier of an unknown outcome before leaving it `unknown` for reconcile. */
  maxResolveAttempts: number;
  /**
   * A lookup by identifier that finds nothing proves absence only when made at least this long after the
   * POST ended (the order became `unknown`): a request still in flight inside the exchange must not be declared absent.
   */
  absentAfterMs: number;
  /** Below this KRW value a remainder is dust and is never sold (Upbit minimum order). */
  minOrderKrw: number;
};

export const DEFAULT_EXECUTOR_SETTINGS: ExecutorSettings = {
  feeRate: FEE_RATE,
  pollIntervalMs: 500,
  maxPollAttempts: 20,
  maxResolveAttempts: 10,
  absentAfterMs: 10_000,
  minOrderKrw: MIN_ORDER_KRW,
};

/** Why a position is closed: the strategy's reasons plus the shell's. */
export type CloseReason = ExitReason | 'external' | 'sell-all' | 'shutdown';

export type DiscrepancyKind =
  | 'foreign-holding'
  | 'balance-below-position'
  | 'balance-above-position'
  | 'unresolved-order'
  | 'exchange-unreachable'
  | 'fills-incomplete'
  | 'order-missing';

type OrderInfo = { orderId: number; identifier: string; market: string; side: 'buy' | 'sell'; purpose: OrderPurpose };

/** Notable happenings, reported through `onEvent`; the shell logs, stores and notifies them. */
export type ExecutorEvent = { at: number } & (
  | { type: 'entry-filled'; positionId: number; orderId: number; market: string; volume: number; avgPrice: number; costKrw: number; feeKrw: number }
  /** The entry ended without a single fill (or never reached the exchange): no position exists. */
  | { type: 'entry-unfilled'; positionId: number; orderId: number; market: string; cause: 'no-fills' | 'absent' | 'rejected' }
  | {
      type: 'exit-filled';
      positionId: number;
      orderId: number;
      market: string;
      reason: string;
      volume: number;
      avgPrice: number | null;
      proceedsKrw: number;
      feeKrw: number;
      pnlKrw: number;
      pnlRate: number;
      dustVolume: number;
    }
  | { type: 'exit-partial'; positionId: number; orderId: number; market: string; soldVolume: number; remainingVolume: number }
  /** The sell sold nothing (rejected, proven absent or cancelled empty): the position is open again. */
  | { type: 'exit-unfilled'; positionId: number; orderId: number; market: string }
  | ({ type: 'order-rejected'; errorName: string; message: string } & OrderInfo)
  | ({ type: 'order-unknown'; message: string } & OrderInfo)
  | ({ type: 'order-resolved'; outcome: 'found' | 'absent' } & OrderInfo)
  | ({ type: 'order-unresolved'; attempts: number; message: string } & OrderInfo)
  /** A remainder under the minimum order, recorded and never sold; `positionClosed` when it ended the position. */
  | { type: 'dust'; positionId: number; market: string; volume: number; valueKrw: number; positionClosed: boolean }
  /**
   * An open position the exchange no longer holds (sold outside the bot), closed whole. With the owner's sells found,
   * `soldVolume` … `feeKrw` are this close's share of their fills and pnlKrw/pnlRate the position's PnL over the volume
   * sold; otherwise those are null (soldVolume 0) and `pnlUnknownReason` says why.
   */
  | {
      type: 'external-close';
      positionId: number;
      market: string;
      heldVolume: number;
      balanceVolume: number;
      soldVolume: number;
      avgPrice: number | null;
      proceedsKrw: number | null;
      feeKrw: number | null;
      isFeeEstimated: boolean;
      ownerOrderIds: string[];
      pnlKrw: number | null;
      pnlRate: number | null;
      pnlUnknownReason: string | null;
    }
  | { type: 'discrepancy'; kind: DiscrepancyKind; market: string | null; message: string; data: Record<string, unknown> }
);

/** An event before its timestamp is added. */
export type ExecutorEventInput = ExecutorEvent extends infer E ? (E extends { at: number } ? Omit<E, 'at'> : never) : never;

export type ExecutorDeps = {
  db: Db;
  exchange: Exchange;
  clock: Clock;
  random: RandomSource;
  onEvent: (e: ExecutorEvent) => void;
  sleep: (ms: number) => Promise<void>;
  settings?: Partial<ExecutorSettings>;
};

/** What the executor's parts share. */
export type ExecutorContext = {
  db: Db;
  exchange: Exchange;
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
  settings: ExecutorSettings;
  emit: (e: ExecutorEventInput) => void;
};

export type OpenRequest = {
  market: string;
  amountKrw: number;
  signalRatio?: number | null;
  adviserDecisionId?: number | null;
};

export type OpenResult =
  | { status: 'opened'; positionId: number; orderId: number; volume: number; avgPrice: number }
  /** The exchange refused, the order never existed, or it ended without fills: no position. */
  | { status: 'not-opened'; orderId: number; cause: 'rejected' | 'absent' | 'no-fills'; error?: string }
  /** Outcome not known yet (exchange unreachable): the order stays for resolvePending / reconcile. */
  | { status: 'pending'; positionId: number; orderId: number }
  /** A live position (or pending entry) already exists in this market; nothing was posted. */
  | { status: 'duplicate'; market: string };

export type CloseResult =
  | { status: 'closed'; positionId: number; pnlKrw: number | null; dustVolume: number }
  | { status: 'partial'; positionId: number; remainingVolume: number }
  /**
   * Nothing sold (rejected, absent, ended empty, or not sent because of a rate limit); the position is open again.
   * `retryAfterMs`: for `rate-limited`, how long the block lasts (try again after it).
   */
  | { status: 'not-closed'; positionId: number; cause: 'rejected' | 'absent' | 'no-fills' | 'rate-limited'; error?: string; retryAfterMs?: number }
  | { status: 'pending'; positionId: number; orderId: number }
  /** The position is not open (already closing, closed, or still opening): nothing was done. */
  | { status: 'not-open'; positionId: number };
