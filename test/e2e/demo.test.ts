// The dashboard in Debian's chromium against the running demo (simulator + bot through the real Upbit adapter):
// DEMO badge, numbers, a real buy with live PnL, pause/resume, the log filter, a drawn chart, no console errors.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startDemo, tail, type DemoProcess } from './demo-process.ts';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const RESULTS = join(import.meta.dir, '../../test-results');
/** 120 simulated ms per real ms: the first entry comes after ~15 s of wall time instead of ~25 s at the default 60×. */
const SPEED = 120;
const BUY_WAIT_MS = 50_000;
/** Several 5-second polls: a held market's price moves within one or two of them at this speed. */
const PNL_WAIT_MS = 30_000;

type Row = { id: string; market: string; pnl: string };

/** Open rows of the positions table: id, market and the PnL cell's text. */
const openRows = (page: Page): Promise<Row[]> =>
  page.$$eval('#positions tr[data-position-id]', (trs) =>
    trs
      .filter((tr) => !tr.querySelector('button.btn-sell')?.hasAttribute('disabled'))
      .map((tr) => ({ id: tr.getAttribute('data-position-id') ?? '', market: tr.querySelector('[data-chart-market]')?.getAttribute('data-chart-market') ?? '', pnl: tr.children[3]?.textContent ?? '' })));

/** Distinct colours on the most colourful canvas inside `sel`: a blank or background-only canvas has one or two. */
const canvasColours = (page: Page, sel: string): Promise<number> =>
  page.$$eval(`${sel} canvas`, (canvases) => {
    let best = 0;
    for (const c of canvases as HTMLCanvasElement[]) {
      if (c.width === 0 || c.height === 0) continue;
      const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
      if (!data) continue;
      const seen = new Set<number>();
      for (let i = 0; i < data.length && seen.size < 1_000; i += 4) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      best = Math.max(best, seen.size);
    }
    return best;
  });

describe.skipIf(!existsSync(CHROMIUM))('dashboard against the running demo', () => {
  let demo: DemoProcess;
  let browser: Browser;
  let page: Page;
  let held: Row;
  const problems: string[] = [];

  /** Waits for a condition in the page; on timeout says what was expected and shows the demo's last log lines. */
  const waitIn = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (err) {
      throw new Error(`${what}: ${(err as Error).message.split('\n')[0]}\n--- demo log ---\n${tail(demo.log())}`);
    }
  };

  beforeAll(async () => {
    demo = await startDemo({ speed: SPEED, locale: 'en' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(demo.url);
    await page.evaluate(() => ((window as unknown as { noReload: boolean }).noReload = true));
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  test('the page says DEMO and every card shows a number (no NaN, undefined or Infinity)', async () => {
    expect(await page.textContent('#status .badge[data-mode="demo"]')).toBe('DEMO');
    expect(await page.getAttribute('#status [data-state]', 'data-state')).toBe('running');
    for (const id of ['krw', 'equity', 'today', 'positions']) {
      expect(await page.textContent(`#card-${id} .big`), `card ${id}`).toMatch(/\d/);
    }
    expect(await page.textContent('#card-krw .big')).toContain('1,000,000');
    // No closed trade yet: the win rate is a dash, never "NaN%", and the count is a number.
    expect(await page.textContent('#card-winrate .big')).toMatch(/^(—|\d+(\.\d+)?%)$/);
    expect(await page.textContent('#card-winrate .sub')).toMatch(/\d/);
    expect(await page.textContent('body')).not.toMatch(/NaN|undefined|Infinity|\[object/);
  });

  test('a position appears after the bot buys, and its PnL moves on later polls without a reload', async () => {
    await waitIn(`no open position within ${BUY_WAIT_MS / 1000} s`, () =>
      page.waitForFunction(() => [...document.querySelectorAll('#positions tr[data-position-id] button.btn-sell')].some((b) => !b.hasAttribute('disabled')), null, { timeout: BUY_WAIT_MS, polling: 500 }));
    const before = await openRows(page);
    expect(before.length).toBeGreaterThan(0);
    expect(before.map((r) => r.pnl).join(' ')).toMatch(/[+-]?\d+\.\d{2}%/);

    await waitIn(`no open position's PnL changed within ${PNL_WAIT_MS / 1000} s`, () =>
      page.waitForFunction((rows) => rows.some((r) => {
        const tr = document.querySelector(`#positions tr[data-position-id="${r.id}"]`);
        return tr !== null && (tr.children[3]?.textContent ?? '') !== r.pnl;
      }), before, { timeout: PNL_WAIT_MS, polling: 250 }));
    const after = await openRows(page);
    held = after.find((r) => before.some((b) => b.id === r.id && b.pnl !== r.pnl)) ?? after[0]!;
    expect(held).toBeDefined();
    expect(await page.evaluate(() => (window as unknown as { noReload?: boolean }).noReload)).toBe(true);
    expect(await page.textContent('#card-positions .big')).toMatch(/^[1-9]\d* \/ \d+$/);
    // The feed's last tick is live: the simulator publishes every 200 ms (ages are on the demo's clock, SPEED× real time).
    const health = await page.evaluate(() => fetch('/healthz').then((r) => r.json()));
    expect(health.feed.isUp).toBe(true);
    const tickAgeRealMs = (health.lastHeartbeatAt + health.heartbeatAgeMs - health.feed.lastTickAt) / SPEED;
    expect(tickAgeRealMs).toBeLessThan(3_000);
    expect(await page.textContent('body')).not.toMatch(/NaN|undefined|Infinity|\[object/);
  }, BUY_WAIT_MS + PNL_WAIT_MS + 5_000);

  test('the chart draws real candles with the buy marker for a held market; a screenshot goes to test-results/', async () => {
    await page.click(`#positions [data-chart-market="${held.market}"]`);
    await waitIn(`the chart of ${held.market} was not drawn`, () => page.waitForSelector('#chart canvas', { timeout: 10_000 }));
    await waitIn(`the chart did not switch to ${held.market}`, () =>
      page.waitForFunction((m) => (document.querySelector('#chart-market') as HTMLSelectElement | null)?.value === m, held.market, { timeout: 10_000 }));
    const data = await page.evaluate((m) => fetch(`/api/chart?market=${encodeURIComponent(m)}`).then((r) => r.json()), held.market);
    expect(data.market).toBe(held.market);
    expect(data.candles.length).toBeGreaterThan(10);
    expect(data.markers.length).toBeGreaterThan(0);
    expect(data.lines.length).toBeGreaterThan(0);
    // Candles, volume bars, TP/SL lines and axis labels in colour: far more than a blank panel's one or two colours.
    let colours = 0;
    for (const deadline = Date.now() + 5_000; colours <= 10 && Date.now() < deadline; await Bun.sleep(200)) colours = await canvasColours(page, '#chart');
    expect(colours).toBeGreaterThan(10);

    // The whole dashboard with a held position and its chart: the README's picture comes from this file.
    await page.evaluate(() => window.scrollTo(0, 0));
    mkdirSync(RESULTS, { recursive: true });
    const path = join(RESULTS, 'dashboard-demo.png');
    await page.screenshot({ path });
    expect(existsSync(path)).toBe(true);
  }, 30_000);

  test('pause changes the state badge and resume restores it', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.click('#status button[hx-post="/actions/pause"]');
    await waitIn('the badge did not turn paused', () => page.waitForSelector('#status [data-state="paused"]', { timeout: 10_000 }));
    expect(await page.getAttribute('#flash', 'class')).toContain('ok');
    // The next poll (a fresh #status without the mark) must still say paused: the bot's state, not the reply's.
    await page.evaluate(() => document.querySelector('#status')?.setAttribute('data-mark', '1'));
    await waitIn('no status poll within 12 s', () => page.waitForSelector('#status:not([data-mark])', { timeout: 12_000 }));
    expect(await page.getAttribute('#status [data-state]', 'data-state')).toBe('paused');
    await page.click('#status button[hx-post="/actions/resume"]');
    await waitIn('the badge did not return to running', () => page.waitForSelector('#status [data-state="running"]', { timeout: 10_000 }));
    expect(await page.getAttribute('#flash', 'class')).toContain('ok');
  }, 40_000);

  test('the log filter keeps only the chosen level and above, across polls', async () => {
    const levels = () => page.$$eval('#logs li[data-level]', (lis) => lis.map((li) => li.getAttribute('data-level')));
    expect(await levels()).toContain('info');
    await page.selectOption('#logs-panel select[name="level"]', 'warn');
    await waitIn('the log still showed info lines after choosing warn', () =>
      page.waitForFunction(() => ![...document.querySelectorAll('#logs li[data-level]')].some((li) => ['debug', 'info'].includes(li.getAttribute('data-level') ?? '')), null, { timeout: 10_000 }));
    expect(await page.getAttribute('#logs', 'hx-get')).toBe('/partials/logs?level=warn');
    expect((await levels()).every((l) => l === 'warn' || l === 'error')).toBe(true);
    await page.selectOption('#logs-panel select[name="level"]', 'debug');
    await waitIn('info lines did not come back after choosing debug', () =>
      page.waitForFunction(() => document.querySelector('#logs li[data-level="info"]') !== null, null, { timeout: 10_000 }));
  }, 25_000);

  test('the page logged no console errors', () => {
    expect(problems).toEqual([]);
  });
});
