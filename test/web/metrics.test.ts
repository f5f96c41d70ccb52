// GET /metrics: the exposition format, values from a seeded db and bot status, job/adviser hooks, auth, no secrets.
import { afterEach, describe, expect, test } from 'bun:test';
import { topCandidateAdviser, type Adviser } from '../../src/ai/adviser.ts';
import type { DbHandle } from '../../src/db/client.ts';
import { insertOrder, updateOrder } from '../../src/db/repos/orders.ts';
import { startJobs } from '../../src/jobs/jobs.ts';
import { silentLogger } from '../../src/log.ts';
import { createRegistry, escapeLabelValue, PROMETHEUS_CONTENT_TYPE } from '../../src/metrics.ts';
import { countAdvice, countOrdersByState, createOpsMetrics, ORDER_STATES, type MetricsSources } from '../../src/ops-metrics.ts';
import { createApp } from '../../src/web/app.ts';
import { dashboardSeed } from '../fakes/dashboard-seed.ts';
import { createFakeBot } from '../fakes/fake-bot.ts';
import { openTestDb } from '../helpers/test-db.ts';

/** One sample line of the 0.0.4 text format: name, optional {labels}, a float. */
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/;

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const REST = {
  quotation: { requests: 120, tooManyRequests: 2, blocked: 0, failures: 1 },
  exchange: { requests: 7, tooManyRequests: 0, blocked: 1, failures: 0 },
};

function sources(over: Partial<MetricsSources> = {}): MetricsSources {
  return {
    status: async () => ({
      mode: 'live', equity: 1_234_567, krw: 900_000, todayPnl: -1_500, openPositions: 2, state: 'paused',
      feed: { isUp: true, lastTickAt: 1, reconnects: 3, detail: null }, lastHeartbeatAt: 10_000, now: 40_000,
    }),
    ordersByState: async () => ({ open: 1, done: 4 }),
    restStats: () => REST,
    ...over,
  };
}

describe('registry', () => {
  test('renders HELP and TYPE for each family and escapes label values and help text', () => {
    const r = createRegistry();
    r.counter('x_total', 'Counts \\ things\nacross lines').inc({ path: 'a"b\\c\nd' }, 2);
    r.gauge('g', 'A gauge').set({}, Number.NaN);
    r.gauge('h', 'Infinite').set({ z: '1', a: '2' }, Number.POSITIVE_INFINITY);
    const s = r.summary('d_seconds', 'Durations');
    s.observe({ job: 'j' }, 0.5);
    s.observe({ job: 'j' }, 0.25);
    expect(r.render()).toBe(
      [
        '# HELP x_total Counts \\\\ things\\nacross lines',
        '# TYPE x_total counter',
        'x_total{path="a\\"b\\\\c\\nd"} 2',
        '# HELP g A gauge',
        '# TYPE g gauge',
        'g NaN',
        '# HELP h Infinite',
        '# TYPE h gauge',
        'h{a="2",z="1"} +Inf',
        '# HELP d_seconds Durations',
        '# TYPE d_seconds summary',
        'd_seconds_sum{job="j"} 0.75',
        'd_seconds_count{job="j"} 2',
        '',
      ].join('\n'),
    );
    expect(escapeLabelValue('\\"\n')).toBe('\\\\\\"\\n');
  });

  test('refuses bad names, a second definition, a counter going down and the wrong operation', () => {
    const r = createRegistry();
    const c = r.counter('ok_total', 'ok');
    expect(() => r.counter('ok_total', 'again')).toThrow('defined twice');
    expect(() => r.gauge('1bad', 'bad')).toThrow('not a valid metric name');
    expect(() => c.inc({ 'bad-label': 'x' })).toThrow('bad label name');
    expect(() => c.inc({ __reserved: 'x' })).toThrow('bad label name');
    expect(() => c.inc({}, -1)).toThrow('never goes down');
    expect(() => c.observe({}, 1)).toThrow('only a summary');
    expect(() => r.summary('s', 's').set({}, 1)).toThrow('takes observe()');
  });
});

describe('operating metrics', () => {
  let handle: DbHandle | null = null;
  afterEach(() => {
    handle?.close();
    handle = null;
  });

  test('come from the seeded database, bot status and REST stats, every line well formed', async () => {
    handle = await openTestDb();
    const db = handle.db;
    const states = ['open', 'done', 'done', 'cancelled', 'unknown'] as const;
    for (const [i, state] of states.entries()) {
      const o = await insertOrder(db, { identifier: `id-${i}`, market: 'KRW-BTC', side: 'buy', kind: 'market', purpose: 'entry', amountKrw: 10_000, at: i });
      await updateOrder(db, o.id, { state }, i);
    }
    await insertOrder(db, { identifier: 'id-s', market: 'KRW-ETH', side: 'buy', kind: 'market', purpose: 'entry', amountKrw: 10_000, at: 9 });
    const text = await createOpsMetrics().render(sources({ ordersByState: () => countOrdersByState(db) }));

    expect(sample(text, 'coinbutler_orders{state="done"}')).toBe(2);
    expect(sample(text, 'coinbutler_orders{state="submitting"}')).toBe(1);
    expect(sample(text, 'coinbutler_orders{state="unknown"}')).toBe(1);
    expect(sample(text, 'coinbutler_orders{state="rejected"}')).toBe(0);
    expect(ORDER_STATES.every((s) => sample(text, `coinbutler_orders{state="${s}"}`) !== undefined)).toBe(true);
    expect(sample(text, 'coinbutler_equity_krw')).toBe(1_234_567);
    expect(sample(text, 'coinbutler_open_positions')).toBe(2);
    expect(sample(text, 'coinbutler_bot_state{state="paused"}')).toBe(1);
    expect(sample(text, 'coinbutler_bot_state{state="running"}')).toBe(0);
    // The mode is on a graph beside the money: LIVE must never be mistaken for PAPER.
    expect(sample(text, 'coinbutler_mode{mode="live"}')).toBe(1);
    expect(sample(text, 'coinbutler_mode{mode="paper"}')).toBe(0);
    expect(sample(text, 'coinbutler_mode{mode="demo"}')).toBe(0);
    expect(sample(text, 'coinbutler_heartbeat_age_seconds')).toBe(30);
    expect(sample(text, 'coinbutler_feed_up')).toBe(1);
    expect(sample(text, 'coinbutler_ws_reconnects_total')).toBe(3);
    expect(sample(text, 'coinbutler_rest_requests_total{group="quotation"}')).toBe(120);
    expect(sample(text, 'coinbutler_rest_429_total{group="quotation"}')).toBe(2);
    expect(sample(text, 'coinbutler_rest_blocked_total{group="exchange"}')).toBe(1);
    expect(sample(text, 'coinbutler_metrics_source_errors_total{source="orders"}')).toBe(0);

    const lines = text.trimEnd().split('\n');
    const bad = lines.filter((l) => !l.startsWith('# HELP ') && !l.startsWith('# TYPE ') && !SAMPLE.test(l));
    expect(bad).toEqual([]);
    // Every family is announced once, HELP before TYPE, before its samples.
    const typed = lines.filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]!);
    expect(new Set(typed).size).toBe(typed.length);
    expect(typed).toContain('coinbutler_job_duration_seconds');
  });

  test('a failing source is counted and the other figures are still served', async () => {
    const metrics = createOpsMetrics();
    const text = await metrics.render(sources({ status: async () => Promise.reject(new Error('db is down')) }));
    expect(sample(text, 'coinbutler_metrics_source_errors_total{source="status"}')).toBe(1);
    expect(sample(text, 'coinbutler_equity_krw')).toBeUndefined();
    expect(sample(text, 'coinbutler_orders{state="done"}')).toBe(4);
    expect(sample(await metrics.render(sources()), 'coinbutler_equity_krw')).toBe(1_234_567);
  });

  test('job runs feed the duration summary and failures; adviser fallbacks count as AI failures', async () => {
    const metrics = createOpsMetrics();
    const clock = { t: 0, now() { return this.t; } };
    const specs = [
      { name: 'reconcile', pattern: '0 0 * * * *', run: () => void (clock.t += 1_500) },
      { name: 'prune', pattern: '0 0 * * * *', run: () => { clock.t += 250; throw new Error('disk full'); } },
    ];
    const scheduler = startJobs({ specs, timezone: 'Asia/Seoul', logger: silentLogger, clock, isPaused: true, scope: 'metrics-test', onRun: metrics.recordJobRun });
    await scheduler.runNow('reconcile');
    await scheduler.runNow('reconcile');
    await scheduler.runNow('prune');
    await scheduler.stop(0);

    const answers: Adviser['advise'][] = [];
    const gemini: Adviser = { name: 'gemini', isRecorded: true, advise: (c, now) => answers.shift()!(c, now) };
    const counted = countAdvice(gemini, metrics.recordAdvice);
    answers.push(topCandidateAdviser.advise, async (c, n) => ({ ...(await topCandidateAdviser.advise(c, n)), outcome: 'fallback' }));
    const candidate = { market: 'KRW-BTC', volumeRatio: 3, price: 1, change5m: 0, change24h: 0, turnover24hKrw: 0, cautions: [], recentCandles: [] };
    await counted.advise([candidate], 0);
    await counted.advise([candidate], 0);
    expect(countAdvice(topCandidateAdviser, metrics.recordAdvice)).toBe(topCandidateAdviser);

    const text = await metrics.render(sources());
    expect(sample(text, 'coinbutler_job_duration_seconds_sum{job="reconcile"}')).toBe(3);
    expect(sample(text, 'coinbutler_job_duration_seconds_count{job="reconcile"}')).toBe(2);
    expect(sample(text, 'coinbutler_job_failures_total{job="reconcile"}')).toBe(0);
    expect(sample(text, 'coinbutler_job_failures_total{job="prune"}')).toBe(1);
    expect(sample(text, 'coinbutler_ai_calls_total{adviser="gemini"}')).toBe(2);
    expect(sample(text, 'coinbutler_ai_failures_total{adviser="gemini"}')).toBe(1);
  });
});

describe('GET /metrics', () => {
  const PASSWORD = 'pw-SECRET-dashboard';
  const API_TOKEN = 'api-SECRET-token';
  const METRICS_TOKEN = 'metrics-SECRET-token';
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

  function app(o: { password?: string; token?: string }) {
    const bot = createFakeBot(dashboardSeed());
    const metrics = createOpsMetrics();
    return createApp({
      ...bot,
      auth: { password: o.password ?? null, apiToken: o.password ? API_TOKEN : null, now: () => 0 },
      metrics: { render: () => metrics.render(sources({ status: () => bot.queries.status() })), token: o.token ?? null },
    });
  }

  test('without a password or token it is open (loopback only) and speaks text format 0.0.4', async () => {
    const res = await app({}).request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(await res.text()).toContain('# TYPE coinbutler_equity_krw gauge');
  });

  test('a METRICS_TOKEN alone is required and checked', async () => {
    const a = app({ token: METRICS_TOKEN });
    expect((await a.request('/metrics')).status).toBe(401);
    expect((await a.request('/metrics', { headers: bearer('wrong') })).status).toBe(401);
    expect((await a.request('/metrics', { headers: bearer(METRICS_TOKEN) })).status).toBe(200);
  });

  test('with a password: the API rules (session, API_TOKEN) or the METRICS_TOKEN; the body names no secret', async () => {
    const a = app({ password: PASSWORD, token: METRICS_TOKEN });
    const anon = await a.request('/metrics');
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toContain('Bearer');
    expect((await a.request('/metrics', { headers: bearer(API_TOKEN) })).status).toBe(200);
    const login = await a.request('/login', {
      method: 'POST', body: new URLSearchParams({ password: PASSWORD }),
      headers: { origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect((await a.request('/metrics', { headers: { cookie } })).status).toBe(200);
    const res = await a.request('/metrics', { headers: bearer(METRICS_TOKEN) });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).not.toMatch(/SECRET/);
    // Label values come from fixed sets: states, rate groups, sources, advisers, jobs.
    const values = [...body.matchAll(/="([^"]*)"/g)].map((m) => m[1]);
    expect(values.every((v) => /^[a-z-]+$/.test(v!))).toBe(true);
  });
});
