// Starts the dashboard over the seeded fake bot on 127.0.0.1 (a port of 0 picks a free one): for e2e tests and a manual look.
import { createApp, type AppDeps } from '../../src/web/app.ts';
import { dashboardSeed } from '../fakes/dashboard-seed.ts';
import { createFakeBot, type FakeBotSeed } from '../fakes/fake-bot.ts';

export function serveFakeDashboard(opts: { port?: number; locale?: AppDeps['locale']; password?: string; seed?: FakeBotSeed } = {}) {
  const seed = opts.seed ?? dashboardSeed();
  const bot = createFakeBot(seed);
  const app = createApp({ ...bot, auth: { password: opts.password ?? null, apiToken: null, now: () => Date.now() }, ...(opts.locale ? { locale: opts.locale } : {}) });
  const server = Bun.serve({ fetch: app.fetch, port: opts.port ?? 0, hostname: '127.0.0.1' });
  return { server, bot, seed, url: `http://127.0.0.1:${server.port}` };
}

if (import.meta.main) {
  const { url } = serveFakeDashboard({ port: Number(process.env.PORT ?? 0), locale: process.env.LOCALE === 'en' ? 'en' : 'ko' });
  console.log(`fake dashboard on ${url}`);
}
