// In Debian's chromium: a button refused before the bot answers (the app's real CSRF 403 and host-check 421 answers)
// or left unanswered past the request timeout says so in the flash line; before, htmx 4 showed nothing at all.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page, type Route } from 'playwright-core';
import { serveFakeDashboard } from './serve-fake.ts';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

describe.skipIf(!existsSync(CHROMIUM))('a failed action in a browser', () => {
  let browser: Browser;
  let app: ReturnType<typeof serveFakeDashboard>;

  beforeAll(async () => {
    app = serveFakeDashboard({ locale: 'en' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.server.stop(true);
  });

  /** Answers the page's request with what the app itself answers to `init` (a refusal the browser would not provoke). */
  const answerLike = (path: string, init: RequestInit) => async (route: Route) => {
    const res = await fetch(`${app.url}${path}`, { method: 'POST', ...init });
    await route.fulfill({ status: res.status, contentType: res.headers.get('content-type') ?? 'text/plain', body: await res.text() });
  };
  const flashText = (page: Page) => page.textContent('#flash');

  test('a CSRF refusal (403) and a host-check refusal (421) are shown with the app\'s reason', async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    await page.route('**/actions/pause', answerLike('/actions/pause', { headers: { 'hx-request': 'true', origin: 'https://evil.example' } }));
    await page.click('#status button[hx-post="/actions/pause"]');
    await page.waitForFunction(() => document.querySelector('#flash')?.textContent?.includes('PUBLIC_URL'));
    expect(await flashText(page)).toStartWith('Refused: this request did not come from this dashboard');
    expect(await page.getAttribute('#flash', 'class')).toContain('bad');

    await page.unroute('**/actions/pause');
    await page.route('**/actions/pause', answerLike('/actions/pause', { headers: { 'hx-request': 'true', host: 'evil.example' } }));
    await page.click('#status button[hx-post="/actions/pause"]');
    await page.waitForFunction(() => document.querySelector('#flash')?.textContent?.includes('DASHBOARD_PASSWORD'));
    expect(app.bot.calls).toEqual([]);
    await page.close();
  }, 20_000);

  test('a sell still running when the request times out says it may still be running, after a poll replaced the button too', async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    const held: Route[] = [];
    await page.route('**/actions/sell/7', (route) => void held.push(route)); // the bot is slow: no answer yet
    // Keep the sell's request to fire its timeout by hand, exactly as htmx's own timer does (abort('timeout')).
    await page.evaluate(() => {
      const w = window as unknown as { sell?: { request: { abort(reason: string): void } } };
      document.addEventListener('htmx:before:request', (e) => {
        const ctx = (e as CustomEvent).detail.ctx;
        if (ctx.request.action.includes('/actions/sell/')) w.sell = ctx;
      });
    });
    page.once('dialog', (d) => void d.accept());
    const button = await page.$('tr[data-position-id="7"] button.btn-sell');
    await page.click('tr[data-position-id="7"] button.btn-sell');
    await page.waitForFunction(() => Boolean((window as unknown as { sell?: unknown }).sell));
    // The 5-second poll replaces the positions region meanwhile, detaching the button that sent the sell.
    await page.evaluate(() => (window as unknown as { htmx: { ajax(m: string, u: string, o: object): Promise<void> } }).htmx.ajax('GET', '/partials/positions', { target: '#positions', swap: 'outerHTML' }));
    expect(await button!.evaluate((b) => b.isConnected)).toBe(false);
    await page.evaluate(() => (window as unknown as { sell: { request: { abort(reason: string): void } } }).sell.request.abort('timeout'));
    await page.waitForFunction(() => document.querySelector('#flash')?.textContent?.includes('may still be running'), null, { timeout: 5_000 });
    expect(await flashText(page)).toBe('No answer within 15 s: the command may still be running; watch the positions table for the result');
    expect(held.length).toBe(1);
    await page.close();
  }, 20_000);
});
