// Owner commands shared by the dashboard, the JSON API and Telegram; sells go through the trade cycle's order lifecycle.
import type { Db } from '../db/client.ts';
import { getPosition, LIVE_POSITION_STATES, listPositions } from '../db/repos/positions.ts';
import type { Logger } from '../log.ts';
import type { BotState } from './state.ts';
import type { TradeCycle } from './trade-cycle.ts';
import type { BotCommands, CommandResult } from './view.ts';

export type CommandDeps = {
  db: Db;
  botState: Pick<BotState, 'current' | 'pause' | 'resume' | 'clearHalt'>;
  /** Null while the bot is still starting (markets not loaded yet). */
  tradeCycle(): TradeCycle | null;
  logger: Logger;
};

const STARTING: CommandResult = { ok: false, message: 'the bot is still starting; try again in a moment' };

export function createBotCommands(deps: CommandDeps): BotCommands {
  const { db, botState, logger } = deps;

  return {
    pause: (by) => botState.pause(by),
    async resume(by) {
      // A halt needs a person: an explicit resume by the owner is that person.
      return botState.current().state === 'halted' ? botState.clearHalt(by) : botState.resume(by);
    },
    async sellPosition(positionId, by) {
      const cycle = deps.tradeCycle();
      if (!cycle) return STARTING;
      const p = await getPosition(db, positionId);
      if (!p || p.state === 'closed') return { ok: false, message: `position ${positionId} is not open` };
      if (p.state !== 'open') return { ok: false, message: `position ${positionId} (${p.market}) is ${p.state}; wait for its order` };
      logger.info({ positionId, market: p.market, by }, 'manual sell');
      const isClosed = await cycle.sellMarket(p.market, 'manual');
      return isClosed
        ? { ok: true, message: `${p.market} sold` }
        : { ok: false, message: `${p.market}: the sell did not complete; see the log` };
    },
    async sellAll(by) {
      const cycle = deps.tradeCycle();
      if (!cycle) return STARTING;
      const open = (await listPositions(db, LIVE_POSITION_STATES)).filter((p) => p.state === 'open');
      if (open.length === 0) return { ok: true, message: 'no open position' };
      logger.warn({ by, markets: open.map((p) => p.market) }, 'sell all');
      const results = await Promise.all(open.map((p) => cycle.sellMarket(p.market, 'sell-all')));
      const failed = open.filter((_, i) => !results[i]).map((p) => p.market);
      return failed.length === 0
        ? { ok: true, message: `sold ${open.length} position(s)` }
        : { ok: false, message: `not sold: ${failed.join(', ')}; see the log` };
    },
  };
}
