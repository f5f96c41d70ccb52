// Shares a rendered dashboard body (a region's HTML, the page, chart JSON) among pollers for the read cache's window.
import { createMemo } from '../bot/queries-memo.ts';
import type { Clock } from '../clock.ts';
import type { ViewParams } from './view-params.ts';

/** The same window as the read models' cache (src/bot/queries.ts DEFAULT_CACHE_MS). */
export const DEFAULT_RENDER_CACHE_MS = 1_000;

export type RenderCache = {
  /**
   * The body for `key`, rendered once and shared with every request for `key` while it renders and for the window
   * after (by the injected clock). A failed render is never kept. Keys must hold everything the body depends on
   * except what is fixed for the app (its locale and auth mode go in anyway); bodies must hold no per-request value.
   */
  get(key: string, render: () => Promise<string>): Promise<string>;
  /** Forgets every body, those still rendering included: after an owner's action the next poll renders afresh. */
  invalidate(): void;
};

/**
 * Fifty pollers asking for the same region within a second get one rendering. Only routes behind auth use it, and
 * what it holds is the same for every signed-in owner (no CSRF token, nonce or session value is ever rendered).
 */
export function createRenderCache(clock: Clock, ttlMs = DEFAULT_RENDER_CACHE_MS, maxEntries = 128): RenderCache {
  const memo = createMemo(clock, ttlMs, maxEntries);
  return { get: (key, render) => memo.get(key, render), invalidate: () => memo.clear() };
}

/** The parsed (so normalised: upper-cased market, defaulted page, bad values dropped) view parameters as a key. */
export const viewKey = (p: ViewParams) => `${p.page}|${p.market ?? ''}|${p.result ?? ''}|${p.level ?? ''}|${p.badMarket ?? ''}`;
