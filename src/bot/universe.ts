// The trading universe: every KRW market ranked by 24-hour KRW turnover, minus flagged markets; pure rule + fetch shell.
import type { MarketCode, MarketInfo, Ticker } from '../core/types.ts';
import type { Exchange } from '../exchange/exchange.ts';

/** What the WebSocket ticker says about a market's listing (REST tickers do not carry it). */
export type ListingState = { marketState?: string; delistingDate?: string | null };

export type UniverseOptions = {
  /** Keep only the top N by turnover; null = all. */
  maxMarkets: number | null;
  /** Quote currency prefix (default "KRW"). */
  quote?: string;
};

export type ExcludedMarket = { market: MarketCode; reason: string };

export type Universe = {
  /** Ranked, highest 24-hour KRW turnover first (ties: market code ascending). */
  markets: MarketCode[];
  turnover: ReadonlyMap<MarketCode, number>;
  excluded: ExcludedMarket[];
  /** Markets cut by maxMarkets (eligible but ranked too low). */
  cut: number;
};

/** Why a market may not be traded, or null when it may. */
export function exclusionReason(info: MarketInfo, listing: ListingState | undefined): string | null {
  if (info.isWarning) return 'investment warning';
  if (info.cautions.length > 0) return `caution: ${info.cautions.join(', ')}`;
  if (listing?.delistingDate) return `delisting on ${listing.delistingDate}`;
  if (listing?.marketState !== undefined && listing.marketState !== 'ACTIVE') return `market state ${listing.marketState}`;
  return null;
}

/** Pure: filters and ranks. Markets without a ticker rank last with turnover 0. */
export function rankUniverse(
  infos: readonly MarketInfo[],
  tickers: readonly Ticker[],
  listings: ReadonlyMap<MarketCode, ListingState>,
  opts: UniverseOptions,
): Universe {
  const prefix = `${opts.quote ?? 'KRW'}-`;
  const byMarket = new Map(tickers.map((t) => [t.market, t]));
  const excluded: ExcludedMarket[] = [];
  const turnover = new Map<MarketCode, number>();
  for (const info of infos) {
    if (!info.market.startsWith(prefix)) continue;
    const t = byMarket.get(info.market);
    const listing = { ...(t?.marketState === undefined ? {} : { marketState: t.marketState }), ...(t?.delistingDate ? { delistingDate: t.delistingDate } : {}), ...listings.get(info.market) };
    const reason = exclusionReason(info, listing);
    if (reason) excluded.push({ market: info.market, reason });
    else turnover.set(info.market, Number.isFinite(t?.turnover24hKrw) ? t!.turnover24hKrw : 0);
  }
  const ranked = [...turnover.keys()].sort((a, b) => turnover.get(b)! - turnover.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
  const limit = opts.maxMarkets === null ? ranked.length : Math.max(0, opts.maxMarkets);
  excluded.sort((a, b) => (a.market < b.market ? -1 : 1));
  return { markets: ranked.slice(0, limit), turnover, excluded, cut: Math.max(0, ranked.length - limit) };
}

/** Two REST calls: the market list with flags, and one ticker call for all markets (chunked by the adapter). */
export async function fetchUniverse(
  exchange: Pick<Exchange, 'listMarkets' | 'fetchTickers'>,
  listings: ReadonlyMap<MarketCode, ListingState>,
  opts: UniverseOptions,
): Promise<{ universe: Universe; tickers: Ticker[] }> {
  const prefix = `${opts.quote ?? 'KRW'}-`;
  const infos = (await exchange.listMarkets()).filter((m) => m.market.startsWith(prefix));
  const tickers = infos.length === 0 ? [] : await exchange.fetchTickers(infos.map((m) => m.market));
  return { universe: rankUniverse(infos, tickers, listings, opts), tickers };
}

/** True when the two ranked lists hold the same markets (order ignored: the subscription is a set). */
export function isSameSet(a: readonly MarketCode[], b: readonly MarketCode[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((m) => set.has(m));
}
