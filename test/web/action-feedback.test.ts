// A button whose request is refused before the bot answers (CSRF 403, host check 421) or gets no answer in time is not
// swapped by htmx 4, so the page must carry words for it and the refusals must read as sentences, not a bare status.
import { describe, expect, test } from 'bun:test';
import { HX, openDashboard } from './helpers.ts';

const flashOf = (html: string) => html.match(/<div id="flash"[^>]*>/)?.[0] ?? '';

describe('what the owner reads when an action fails without an answer from the bot', () => {
  test('a CSRF refusal says what was refused and names PUBLIC_URL for a dashboard behind a proxy', async () => {
    const d = openDashboard();
    const res = await d.app.request('/actions/sell-all', { method: 'POST', headers: { ...HX, origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(text).toContain('did not come from this dashboard');
    expect(text).toContain('PUBLIC_URL');
    expect(d.bot.calls).toEqual([]);
  });

  test('the page gives the script the words for a refusal, a timeout and a lost connection (English)', async () => {
    const { html } = await openDashboard({ locale: 'en' }).get('/');
    const flash = flashOf(html);
    expect(flash).toContain('data-failed="Refused: {message}"');
    expect(flash).toMatch(/data-timeout="No answer within 15 s: the command may still be running; watch the positions table/);
    expect(flash).toMatch(/data-unreachable="[^"]*positions table/);
  });

  test('… and in Korean by default', async () => {
    const flash = flashOf((await openDashboard().get('/')).html);
    expect(flash).toContain('data-failed="거부됨: {message}"');
    expect(flash).toMatch(/data-timeout="15초[^"]*보유 포지션/);
  });
});
