// The --html report: one self-contained page (lightweight-charts inlined) with per-market candles, trade markers and equity, in KST.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KST_OFFSET_MS } from '../core/time.ts';
import type { BacktestInputs, BacktestReport } from './backtest.ts';
import type { CandleColumns } from '../candles/columns.ts';
import { formatSummary } from './report-text.ts';

const CHART_STEPS_MS = [60_000, 300_000, 900_000, 3_600_000, 14_400_000, 86_400_000];
const MAX_BARS = 20_000;

/** lightweight-charts' exports map hides dist/, so resolve its package.json and walk from there. */
export function readChartLibrary(): string {
  const dir = dirname(Bun.resolveSync('lightweight-charts/package.json', import.meta.dir));
  return readFileSync(join(dir, 'dist/lightweight-charts.standalone.production.js'), 'utf8');
}

type Bars = { step: number; t: number[]; o: number[]; h: number[]; l: number[]; c: number[] };

/** Aggregates to the finest chart step ≥ minStep that keeps at most MAX_BARS bars; times in KST seconds. */
export function chartBars(c: CandleColumns, minStep: number): Bars {
  const span = c.length > 0 ? c.time[c.length - 1]! - c.time[0]! : 0;
  const step = CHART_STEPS_MS.find((s) => s >= minStep && span / s <= MAX_BARS) ?? CHART_STEPS_MS.at(-1)!;
  const bars: Bars = { step, t: [], o: [], h: [], l: [], c: [] };
  let k = -1;
  let start = Number.NaN;
  for (let i = 0; i < c.length; i++) {
    const b = Math.floor(c.time[i]! / step) * step;
    if (b !== start) {
      start = b;
      k++;
      bars.t.push((b + KST_OFFSET_MS) / 1000);
      bars.o.push(c.open[i]!);
      bars.h.push(c.high[i]!);
      bars.l.push(c.low[i]!);
      bars.c.push(c.close[i]!);
    } else {
      if (c.high[i]! > bars.h[k]!) bars.h[k] = c.high[i]!;
      if (c.low[i]! < bars.l[k]!) bars.l[k] = c.low[i]!;
      bars.c[k] = c.close[i]!;
    }
  }
  return bars;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
/** JSON safe inside <script>: no `<` can close the element. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

export function buildHtml(report: BacktestReport, inputs: BacktestInputs, library: string): string {
  const minStep = report.summary.strategyIntervalMs;
  const markets = inputs.markets.map((market, m) => {
    const bars = chartBars(inputs.columns[m]!, minStep);
    const snap = (t: number) => (Math.floor(t / bars.step) * bars.step + KST_OFFSET_MS) / 1000;
    const markers = report.trades
      .filter((t) => t.market === market)
      .flatMap((t) => [
        { time: snap(t.entryTime), position: 'belowBar', color: '#2962ff', shape: 'arrowUp', text: 'buy' },
        { time: snap(t.exitTime), position: 'aboveBar', color: t.pnl > 0 ? '#089981' : '#f23645', shape: 'arrowDown', text: t.reason },
      ])
      .sort((a, b) => a.time - b.time);
    return { market, bars, markers };
  });
  const equity = report.equity.map((p) => ({ time: (p.time + KST_OFFSET_MS) / 1000, value: p.equity }));
  const data = { markets, equity };
  const safeLibrary = library.replace(/<\/script/gi, '<\\/script');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CoinButler backtest — ${escapeHtml(inputs.markets.join(', '))}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:14px system-ui,sans-serif;margin:1.5rem;color:#1b1f24}pre{background:#f6f8fa;padding:1rem;overflow:auto}
.chart{height:360px;margin-bottom:1.5rem}h2{font-size:1.1rem;margin:1rem 0 .4rem}small{color:#57606a}</style></head>
<body><h1>Backtest report</h1><small>times in KST (UTC+9)</small>
<pre>${escapeHtml(formatSummary(report))}</pre>
<h2>Equity (KRW)</h2><div id="equity" class="chart"></div>
${markets.map((m, i) => `<h2>${escapeHtml(m.market)} <small>${m.bars.step / 60_000}-minute bars</small></h2><div id="market-${i}" class="chart"></div>`).join('\n')}
<script>${safeLibrary}</script>
<script id="data" type="application/json">${scriptJson(data)}</script>
<script>
(function () {
  var LWC = window.LightweightCharts;
  var data = JSON.parse(document.getElementById('data').textContent);
  var opts = { autoSize: true, timeScale: { timeVisible: true, secondsVisible: false } };
  var eq = LWC.createChart(document.getElementById('equity'), opts);
  eq.addSeries(LWC.LineSeries, { color: '#2962ff', lineWidth: 2 }).setData(data.equity);
  eq.timeScale().fitContent(); // the whole run, not only its last days
  data.markets.forEach(function (m, i) {
    var chart = LWC.createChart(document.getElementById('market-' + i), opts);
    var series = chart.addSeries(LWC.CandlestickSeries, { upColor: '#f23645', downColor: '#2962ff', borderVisible: false, wickUpColor: '#f23645', wickDownColor: '#2962ff' });
    var b = m.bars, rows = [];
    for (var k = 0; k < b.t.length; k++) rows.push({ time: b.t[k], open: b.o[k], high: b.h[k], low: b.l[k], close: b.c[k] });
    series.setData(rows);
    LWC.createSeriesMarkers(series, m.markers);
  });
})();
</script></body></html>
`;
}
