// Owner actions (POST, CSRF-checked): pause, resume, sell one, sell all — each through BotCommands, answered with
// the refreshed region plus an out-of-band flash message saying what the bot replied.
/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import type { BotCommands, CommandResult } from '../bot/view.ts';
import { silentLogger, type Logger } from '../log.ts';
import { renderFragment } from './components/layout.tsx';
import { isHtmx, noStore } from './pages.tsx';
import type { ViewDeps } from './views.tsx';
import { createViews, type PartialName } from './views.tsx';

/** Who the bot records as the origin of a dashboard command. */
export const DASHBOARD_ACTOR = 'dashboard';

export function Flash({ r, t }: { r: CommandResult; t: ViewDeps['i18n']['t'] }) {
  return (
    <div id="flash" class={`flash ${r.ok ? 'ok' : 'bad'}`} role="status" aria-live="polite" hx-swap-oob="true">
      {t(r.ok ? 'flashOk' : 'flashFailed', { message: r.message })}
    </div>
  );
}

export function createActions(deps: ViewDeps & { commands: BotCommands; logger?: Logger }) {
  const app = new Hono();
  const logger = deps.logger ?? silentLogger;
  const views = createViews(deps);

  /**
   * A refused command still answers 200 so htmx swaps the flash that explains it (4xx/5xx are never swapped);
   * so does one that threw (logged; its text may name files or values, so the owner reads only that it failed).
   */
  const answer = async (c: Context, command: () => Promise<CommandResult>, region: PartialName) => {
    let r: CommandResult;
    try {
      r = await command();
    } catch (err) {
      if (!isHtmx(c)) throw err;
      logger.error({ err, path: c.req.path }, 'dashboard command failed');
      r = { ok: false, message: 'the command failed with an internal error; see the log' };
    }
    if (!isHtmx(c)) return c.redirect('/', 303);
    noStore(c);
    return c.html(await renderFragment(await views.partials[region]({ page: 1 }), <Flash r={r} t={deps.i18n.t} />));
  };

  app.post('/pause', (c) => answer(c, () => deps.commands.pause(DASHBOARD_ACTOR), 'status'));
  app.post('/resume', (c) => answer(c, () => deps.commands.resume(DASHBOARD_ACTOR), 'status'));
  app.post('/sell-all', (c) => answer(c, () => deps.commands.sellAll(DASHBOARD_ACTOR), 'positions'));
  app.post('/sell/:id', async (c) => {
    const id = c.req.param('id');
    if (!/^[1-9]\d{0,15}$/.test(id)) return c.text('position id must be a positive whole number', 400);
    return answer(c, () => deps.commands.sellPosition(Number(id), DASHBOARD_ACTOR), 'positions');
  });
  return app;
}
