// Keeps the strategy's markets in step with Upbit's list: markets listed after start are added, flags refreshed.
import type { MarketFlags } from '../core/risk.ts';
import type { Strategy } from '../core/strategy.ts';
import type { MarketCode, MarketInfo } from '../core/types.ts';
import type { Exchange } from '../exchange/exchange.ts';
import type { Logger } from '../log.ts';

export type MarketListSyncDeps = {
  strategy: Pick<Strategy, 'addMarket' | 'marketIndex' | 'setFlags'>;
  exchange: Pick<Exchange, 'listMarkets'>;
  /** The bot's market facts (cautions for the adviser); written here. */
  marketInfo: Map<MarketCode, MarketInfo>;
  logger: Logger;
};

export type MarketListSync = {
  /** At start: the market list the strategy was made from, its facts and flags. */
  apply(infos: readonly MarketInfo[]): void;
  /**
   * A universe from market data. Synchronously adds every market the strategy does not know (so the history
   * market data fetches next is kept), then re-reads the market list for facts and flags in the background.
   * The promise never rejects.
   */
  onUniverse(markets: readonly MarketCode[]): Promise<void>;
  /** Resolves when the last refresh is done (tests, shutdown). */
  idle(): Promise<void>;
};

const toMarketFlags = (info: Pick<MarketInfo, 'isWarning' | 'cautions'>): MarketFlags => ({
  isWarning: info.isWarning,
  cautions: info.cautions,
  delistingDate: null,
});

export function createMarketListSync(deps: MarketListSyncDeps): MarketListSync {
  const { strategy, marketInfo, logger } = deps;
  let refreshing: Promise<void> = Promise.resolve();

  /** Facts and flags of every market the strategy knows (a warning set after start flags it; a lifted one clears). */
  function apply(infos: readonly MarketInfo[]): void {
    for (const info of infos) {
      const m = strategy.marketIndex(info.market);
      if (m < 0) continue;
      marketInfo.set(info.market, info);
      strategy.setFlags(m, toMarketFlags(info));
    }
  }

  async function refresh(added: readonly MarketCode[]): Promise<void> {
    try {
      apply(await deps.exchange.listMarkets());
    } catch (err) {
      logger.warn({ err, added }, 'could not refresh the market list; market flags stay as they were');
    }
    // The universe holds no warning or caution market: one the list did not describe is traded without flags.
    for (const market of added) {
      if (!marketInfo.has(market)) marketInfo.set(market, { market, koreanName: market, englishName: market, isWarning: false, cautions: [] });
    }
  }

  return {
    apply,
    onUniverse(markets) {
      const added: MarketCode[] = [];
      for (const market of markets) {
        if (strategy.marketIndex(market) >= 0) continue;
        const index = strategy.addMarket(market);
        added.push(market);
        logger.info({ market, index }, 'market listed after start; now evaluated');
      }
      const run = refreshing.then(() => refresh(added));
      refreshing = run;
      return run;
    },
    idle: () => refreshing,
  };
}
