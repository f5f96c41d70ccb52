// The dashboard in Debian's chromium over the fake bot: it loads, polls without reloading, acts, filters, draws.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveFakeDashboard } from './serve-fake.ts';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const RESULTS = join(import.meta.dir, '../../test-results');

describe.skipIf(!existsSync(CHROMIUM))('dashboard in a browser', () => {
  let browser: Browser;
  let app: ReturnType<typeof serveFakeDashboard>;
  const problems: string[] = [];

  beforeAll(async () => {
    app = serveFakeDashboard();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.server.stop(true);
  });

  const open = async (viewport: { width: number; height: number }): Promise<Page> => {
    const page = await browser.newPage({ viewport });
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(app.url);
    return page;
  };

  test('a phone sees numbers, a drawn chart, live PnL, pause, the log filter and a confirmed sell; no console errors', async () => {
    const page = await open({ width: 390, height: 844 });
    expect(await page.textContent('#card-krw')).toContain('812,346');
    await page.waitForSelector('#chart canvas');
    await page.waitForSelector('#pnl-curve canvas');
    await page.evaluate(() => ((window as unknown as { noReload: boolean }).noReload = true));

    // The bot's state moves on; the next 5-second poll must show it without a reload.
    const btc = app.seed.positions![0]!;
    Object.assign(btc, { currentPrice: 152_000_000, pnlKrw: 1_283.3, pnlRate: 0.0128 });

    await page.click('#status button[hx-post="/actions/pause"]');
    await page.waitForSelector('#status [data-state="paused"]');
    expect(await page.textContent('#flash')).toContain('paused');

    await page.selectOption('#logs-panel select[name="level"]', 'error');
    await page.waitForFunction(() => document.querySelectorAll('#logs li').length === 1);
    expect(await page.textContent('#logs')).toContain('WebSocket closed');

    await page.waitForFunction(() => document.querySelector('#positions')?.textContent?.includes('+1.28%'), null, { timeout: 8_000 });
    expect(await page.evaluate(() => (window as unknown as { noReload?: boolean }).noReload)).toBe(true);

    page.once('dialog', (d) => void d.accept());
    await page.click('tr[data-position-id="7"] button.btn-sell');
    await page.waitForFunction(() => document.querySelector('#flash')?.textContent?.includes('selling'));
    expect(app.bot.calls).toEqual(['pause:dashboard', 'sell:7:dashboard']);

    mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: join(RESULTS, 'dashboard-phone.png'), fullPage: true });
    await page.close();
    expect(problems).toEqual([]);
  }, 30_000);

  test('a laptop sees the whole dashboard; a screenshot is written to test-results/', async () => {
    const page = await open({ width: 1440, height: 900 });
    await page.waitForSelector('#chart canvas');
    await page.waitForSelector('#pnl-daily canvas');
    const path = join(RESULTS, 'dashboard-laptop.png');
    await page.screenshot({ path, fullPage: true });
    expect(existsSync(path)).toBe(true);
    await page.close();
    expect(problems).toEqual([]);
  }, 20_000);
});
