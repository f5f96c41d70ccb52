// One pending confirmation for a dangerous Telegram command (/sell, /sellall): a short code that expires.
import type { Clock } from '../clock.ts';

export type PendingAction = { kind: 'sell'; positionId: number; market: string } | { kind: 'sell-all' };
export type TakeResult = { status: 'ok'; action: PendingAction } | { status: 'expired' } | { status: 'unknown' };

export type ConfirmStore = {
  /** Replaces any earlier pending action; returns its code. */
  create(action: PendingAction): string;
  /** Consumes the action when the code matches and has not expired; an expired one is dropped. */
  take(code: string): TakeResult;
  /** Drops the pending action when the code matches. */
  cancel(code: string): boolean;
};

export const DEFAULT_CONFIRM_TTL_MS = 60_000;

/** `random` returns [0, 1); codes are 6 digits. */
export function createConfirmStore(deps: { clock: Clock; ttlMs?: number; random?: () => number }): ConfirmStore {
  const ttlMs = deps.ttlMs ?? DEFAULT_CONFIRM_TTL_MS;
  const random = deps.random ?? Math.random;
  let pending: { code: string; action: PendingAction; expiresAt: number } | null = null;
  return {
    create(action) {
      const code = String(Math.floor(random() * 900_000) + 100_000);
      pending = { code, action, expiresAt: deps.clock.now() + ttlMs };
      return code;
    },
    take(code) {
      if (!pending || pending.code !== code.trim()) return { status: 'unknown' };
      const p = pending;
      pending = null;
      return deps.clock.now() > p.expiresAt ? { status: 'expired' } : { status: 'ok', action: p.action };
    },
    cancel(code) {
      if (!pending || pending.code !== code.trim()) return false;
      pending = null;
      return true;
    },
  };
}
