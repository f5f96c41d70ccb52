import { describe, expect, test } from 'bun:test';
import { HX, openDashboard } from './helpers.ts';

describe('owner actions go through BotCommands', () => {
  test('pause answers the refreshed header showing Paused with a Resume button, plus an out-of-band flash', async () => {
    const d = openDashboard();
    const res = await d.post('/actions/pause', HX);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(d.bot.calls).toEqual(['pause:dashboard']);
    expect(html.startsWith('<header id="status"')).toBe(true);
    expect(html).toContain('data-state="paused"');
    expect(html).toContain('hx-post="/actions/resume"');
    expect(html).toMatch(/<div id="flash" class="flash ok"[^>]*hx-swap-oob="true">완료: paused<\/div>$/);
  });

  test('resume brings the bot back to running', async () => {
    const d = openDashboard({ seed: { status: { state: 'paused' } } });
    const html = await (await d.post('/actions/resume', HX)).text();
    expect(d.bot.calls).toEqual(['resume:dashboard']);
    expect(html).toContain('data-state="running"');
  });

  test('sell one position and sell all answer the positions table with the flash', async () => {
    const d = openDashboard({ locale: 'en' });
    const one = await (await d.post('/actions/sell/7', HX)).text();
    expect(one.startsWith('<section id="positions"')).toBe(true);
    expect(one).toContain('Done: selling');
    await d.post('/actions/sell-all', HX);
    expect(d.bot.calls).toEqual(['sell:7:dashboard', 'sellAll:dashboard']);
  });

  test('a refused command is still swapped (200) so the owner reads why', async () => {
    const d = openDashboard({ locale: 'en', seed: { refuseWith: 'daily loss limit reached' } });
    const res = await d.post('/actions/resume', HX);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('class="flash bad"');
  });

  test('a command that throws still answers the owner with a flash (htmx swaps no 5xx), without the internal detail', async () => {
    const d = openDashboard({ locale: 'en' });
    d.bot.commands.sellAll = async () => {
      throw new Error('SQLITE_BUSY at /home/owner/data/coinbutler.db');
    };
    const res = await d.post('/actions/sell-all', HX);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.startsWith('<section id="positions"')).toBe(true);
    expect(html).toMatch(/<div id="flash" class="flash bad"[^>]*>Refused: [^<]*see the log<\/div>$/);
    expect(html).not.toContain('SQLITE_BUSY');
    expect(html).not.toContain('/home/owner');
  });

  test('a position id that is not a positive whole number is 400 and reaches no command', async () => {
    const d = openDashboard();
    for (const id of ['0', '-1', 'abc', '1e3', '99999999999999999999']) expect((await d.post(`/actions/sell/${id}`, HX)).status).toBe(400);
    expect(d.bot.calls).toEqual([]);
  });

  test('without htmx a POST redirects back to the page after running the command', async () => {
    const d = openDashboard();
    const res = await d.post('/actions/pause');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    expect(d.bot.calls).toEqual(['pause:dashboard']);
  });

  test('the buttons carry a confirmation for selling and none for pausing', async () => {
    const { html } = await openDashboard().get('/');
    expect(html).toMatch(/hx-post="\/actions\/sell\/7" hx-confirm="KRW-BTC 포지션을 시장가로 매도할까요\?"/);
    expect(html).toMatch(/hx-post="\/actions\/sell-all" hx-confirm="/);
    expect(html).not.toMatch(/hx-post="\/actions\/pause" hx-confirm/);
  });
});
