import { describe, expect, test } from 'bun:test';
import { HX, openDashboard } from './helpers.ts';

const isFragment = (html: string) => !/<html|<!DOCTYPE/i.test(html);

describe('the dashboard page', () => {
  test('GET / is a full document with the pinned local scripts, the htmx no-swap-on-error config and no inline script', async () => {
    const { res, html } = await openDashboard().get('/');
    expect(res.status).toBe(200);
    expect(html.startsWith('<!DOCTYPE html><html lang="ko">')).toBe(true);
    expect(html).toContain('<script src="/static/vendor/htmx.min.js"');
    expect(html).toContain('<script src="/static/vendor/lightweight-charts.standalone.production.js"');
    expect(html).toContain('&quot;noSwap&quot;:[204,304,&quot;4xx&quot;,&quot;5xx&quot;]');
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/\s(src|href)="https?:\/\/(?!www\.tradingview\.com\/")/); // no CDN: only the attribution link leaves the app
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  test('the CSP allows scripts and styles only from the app itself', async () => {
    const csp = (await openDashboard().get('/')).res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self';");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
  });

  test('the chart container sits outside every polled region', async () => {
    const { html } = await openDashboard().get('/');
    const chartAt = html.indexOf('id="chart"');
    expect(chartAt).toBeGreaterThan(0);
    // Every polled region closes before the next one opens; the chart must not fall inside one.
    for (const m of html.matchAll(/<(section|header) id="(\w+)"[^>]*hx-trigger="every 5s"/g)) {
      const close = html.indexOf(`</${m[1]}>`, m.index);
      expect(chartAt < m.index! || chartAt > close).toBe(true);
    }
  });

  test('the mode badge shows the English word; LIVE is marked for red', async () => {
    expect((await openDashboard().get('/')).html).toContain('>PAPER</span>');
    const { html } = await openDashboard({ seed: { status: { mode: 'live' } } }).get('/partials/status', HX);
    expect(html).toContain('class="badge badge-live"');
    expect(html).toContain('>LIVE</span>');
    expect(html).toContain('status mode-live');
  });
});

describe('partials: a fragment for htmx, the full page otherwise', () => {
  const cases: Array<[string, string[]]> = [
    ['status', ['id="status"', '실행 중', '재연결 1회', '14:30:00', 'hx-post="/actions/pause"']],
    ['cards', ['812,346 원', '1,007,894 원', '-18,400 원', 'max="50000"', 'value="18400"', '2 / 3', '60.0%', '312 / 1,500']],
    ['positions', ['KRW-BTC', '150,000,000', '151,230,000', '+0.77%', '+770', '154,500,000', '147,000,000', '47분', 'hx-post="/actions/sell/7"', 'KRW-XRP', '3,311', '-1.14%']],
    ['trades', ['KRW-SOL', '익절', '손절', '+4,486', '60.0%', 'href="/trades.csv"', '1 / 1 페이지']],
    ['decisions', ['KRW-XRP ×3.4', 'KRW-DOGE ×2.2', 'Volume spike with steady bids', '1840 ms', '진입', '건너뜀']],
    ['logs', ['WebSocket closed (1006)', 'Bot started in paper mode', 'data-level="debug"']],
    ['settings', ['TRADING_MODE', 'INVESTMENT_AMOUNT', '설정됨 (숨김)', '미설정']],
  ];
  for (const [name, expected] of cases) {
    test(`/partials/${name} renders the seeded state as a fragment for HX-Request and as the page without it`, async () => {
      const d = openDashboard();
      const frag = await d.get(`/partials/${name}`, HX);
      expect(frag.res.status).toBe(200);
      expect(isFragment(frag.html)).toBe(true);
      expect(frag.html.startsWith(`<${name === 'status' ? 'header' : 'section'} id="${name}"`)).toBe(true);
      for (const s of expected) expect(frag.html).toContain(s);
      expect(frag.res.headers.get('vary')).toContain('HX-Request');
      const page = await d.get(`/partials/${name}`);
      expect(page.html.startsWith('<!DOCTYPE html>')).toBe(true);
      for (const s of expected) expect(page.html).toContain(s);
    });
  }

  test('an unknown partial is 404', async () => {
    expect((await openDashboard().get('/partials/nope', HX)).res.status).toBe(404);
  });

  test('polled regions re-arm themselves: each fragment carries hx-trigger every 5s and swaps outerHTML', async () => {
    for (const name of ['status', 'cards', 'positions', 'trades', 'decisions', 'logs']) {
      const { html } = await openDashboard().get(`/partials/${name}`, HX);
      expect(html).toMatch(/^<\w+ id="\w+"[^>]*hx-trigger="every 5s" hx-swap="outerHTML"/);
    }
  });

  test('the log is newest first and the level filter keeps only that level and above, also in the next poll URL', async () => {
    const { html } = await openDashboard().get('/partials/logs?level=warn', HX);
    expect(html.indexOf('WebSocket closed')).toBeLessThan(html.indexOf('Upbit answered 429'));
    expect(html).not.toContain('Bot started');
    expect(html).toContain('hx-get="/partials/logs?level=warn"');
  });

  test('trade history filters by market and result, pages, and keeps the filter in its poll and CSV URLs', async () => {
    const d = openDashboard();
    const { html } = await d.get('/partials/trades?market=krw-btc&result=win', HX);
    expect(html).toContain('KRW-BTC');
    expect(html).not.toContain('KRW-SOL');
    expect(html).toContain('hx-get="/partials/trades?market=KRW-BTC&amp;result=win"');
    expect(html).toContain('href="/trades.csv?market=KRW-BTC&amp;result=win"');
    const bad = await d.get('/partials/trades?market=%3Cb%3E&page=-3', HX);
    expect(bad.res.status).toBe(200);
    expect(bad.html).not.toContain('<b>');
    expect(bad.html).toContain('&lt;b&gt;');
  });

  test('trade history shows pages of 20 with next/previous', async () => {
    const many = Array.from({ length: 45 }, (_, i) => ({
      id: i + 1, market: `KRW-C${i}`, entryPrice: 100, exitPrice: 101, volume: 1, entryCostKrw: 100, pnlKrw: 1, pnlRate: 0.01,
      openedAt: 1_000 + i, closedAt: 2_000 + i, exitReason: 'take-profit',
    }));
    const d = openDashboard({ locale: 'en', seed: { trades: many } });
    const { html } = await d.get('/partials/trades?page=2', HX);
    expect(html).toContain('KRW-C20<');
    expect(html).not.toContain('KRW-C19<');
    expect(html).toContain('Page 2 of 3');
    expect(html).toContain('hx-get="/partials/trades?page=3"');
    expect(html).toContain('hx-get="/partials/trades"');
  });
});

describe('locale', () => {
  test('LOCALE=en switches every label, the lang attribute and the currency unit', async () => {
    const { html } = await openDashboard({ locale: 'en' }).get('/');
    expect(html).toContain('<html lang="en">');
    for (const s of ['Running', 'KRW balance', '812,346 KRW', 'Positions', 'Trade history', 'AI decisions', 'take profit', 'Pause']) expect(html).toContain(s);
    for (const s of ['실행 중', '원<', '보유 포지션', '일시정지']) expect(html).not.toContain(s);
  });

  test('Korean is the default', async () => {
    const { html } = await openDashboard().get('/partials/positions', HX);
    expect(html).toContain('보유 포지션');
    expect(html).toContain('매도');
  });
});
