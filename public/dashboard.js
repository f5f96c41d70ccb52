// CoinButler dashboard script: draws the market and PnL charts from /api/chart and /api/pnl with lightweight-charts,
// keeps the KST clock ticking between polls, and lets a market name in the positions table select the chart.
// The charts live outside every htmx-swapped region; they are refreshed here by fetching JSON.
(function () {
  'use strict';
  var LWC = window.LightweightCharts;
  var CHART_REFRESH_MS = 5000;
  var PNL_REFRESH_MS = 30000;
  var KST_MS = 9 * 3600 * 1000;

  function $(sel) { return document.querySelector(sel); }

  function getJson(url) {
    return fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } }).then(function (res) {
      if (res.status === 401) { window.location.href = '/login'; throw new Error('login required'); }
      if (!res.ok) throw new Error(url + ' answered ' + res.status);
      return res.json();
    });
  }

  // Colours follow the page's (light or dark) panel. The TradingView logo injects an inline <style> that the CSP
  // refuses, so it is off and the chart panel carries the attribution link (Apache-2.0 NOTICE) instead.
  // Korean traders read prices with thousands separators: 154,500,000.
  function priceFormatter(decimals) {
    var nf = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    return function (p) { return nf.format(p); };
  }

  function theme(el) {
    var cs = getComputedStyle(el.closest('.panel') || document.body);
    return {
      layout: { background: { type: 'solid', color: cs.backgroundColor }, textColor: cs.color, attributionLogo: false },
      grid: { vertLines: { color: 'rgba(128,128,128,0.12)' }, horzLines: { color: 'rgba(128,128,128,0.12)' } },
      timeScale: { timeVisible: true, secondsVisible: false, borderVisible: false },
      rightPriceScale: { borderVisible: false },
      autoSize: true,
    };
  }

  // ── Clock: tick forward from the last server time between 5-second polls of the header ──
  function tickClock() {
    var el = document.getElementById('clock');
    if (!el) return;
    var server = Date.parse(el.getAttribute('datetime') || '');
    if (isNaN(server)) return;
    if (el.getAttribute('data-base') !== el.getAttribute('datetime')) {
      el.setAttribute('data-base', el.getAttribute('datetime'));
      el.setAttribute('data-at', String(Date.now()));
    }
    var shown = server + (Date.now() - Number(el.getAttribute('data-at')));
    el.textContent = new Date(shown + KST_MS).toISOString().slice(11, 19);
  }

  // ── Market chart ──
  var market = { chart: null, candles: null, volume: null, markers: null, lines: [] };

  function ensureMarketChart(data) {
    if (market.chart) return;
    market.chart = LWC.createChart($('#chart'), theme($('#chart')));
    market.candles = market.chart.addSeries(LWC.CandlestickSeries, {
      upColor: data.colors.up, downColor: data.colors.down, borderVisible: false,
      wickUpColor: data.colors.up, wickDownColor: data.colors.down,
    });
    market.candles.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.25 } });
    market.volume = market.chart.addSeries(LWC.HistogramSeries, { priceFormat: { type: 'volume' }, priceScaleId: '' });
    market.volume.priceScale().applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    market.markers = LWC.createSeriesMarkers(market.candles, []);
  }

  function syncOptions(select, markets) {
    var current = Array.prototype.map.call(select.options, function (o) { return o.value; });
    if (current.join('|') === markets.join('|')) return;
    var chosen = select.value;
    while (select.firstChild) select.removeChild(select.firstChild);
    markets.forEach(function (m) {
      var o = document.createElement('option');
      o.value = m; o.textContent = m; // textContent: a market name is never parsed as HTML
      select.appendChild(o);
    });
    if (markets.indexOf(chosen) >= 0) select.value = chosen;
  }

  var lastMarket = null;
  function drawMarket() {
    var el = $('#chart'), select = $('#chart-market');
    if (!el || !select || !LWC || document.hidden) return;
    var url = '/api/chart' + (select.value ? '?market=' + encodeURIComponent(select.value) : '');
    getJson(url).then(function (data) {
      syncOptions(select, data.markets || []);
      var empty = $('#chart-empty');
      if (empty) empty.hidden = !!data.market;
      if (!data.market) return;
      if (!select.value) select.value = data.market;
      ensureMarketChart(data);
      market.candles.applyOptions({ priceFormat: data.priceFormat });
      market.chart.applyOptions({ localization: { priceFormatter: priceFormatter(data.priceFormat.precision) } });
      market.candles.setData(data.candles);
      market.volume.setData(data.volume);
      market.markers.setMarkers(data.markers);
      market.lines.forEach(function (l) { market.candles.removePriceLine(l); });
      market.lines = data.lines.map(function (l) {
        return market.candles.createPriceLine({ price: l.price, color: l.color, title: l.title, lineWidth: 1, lineStyle: 2, axisLabelVisible: true });
      });
      if (lastMarket !== data.market) { market.chart.timeScale().fitContent(); lastMarket = data.market; }
    }).catch(function (err) { console.warn('chart:', err.message); });
  }

  // ── PnL charts ──
  var pnl = { curveChart: null, curve: null, dailyChart: null, daily: null };
  function drawPnl() {
    if (!$('#pnl-curve') || !LWC || document.hidden) return;
    getJson('/api/pnl?days=30').then(function (data) {
      if (!pnl.curve) {
        var whole = { localization: { priceFormatter: priceFormatter(0) } };
        pnl.curveChart = LWC.createChart($('#pnl-curve'), Object.assign(theme($('#pnl-curve')), whole));
        pnl.curve = pnl.curveChart.addSeries(LWC.BaselineSeries, {
          baseValue: { type: 'price', price: 0 }, topLineColor: data.colors.up, bottomLineColor: data.colors.down,
          topFillColor1: 'rgba(0,0,0,0)', topFillColor2: 'rgba(0,0,0,0)', bottomFillColor1: 'rgba(0,0,0,0)', bottomFillColor2: 'rgba(0,0,0,0)',
          priceFormat: { type: 'price', precision: 0, minMove: 1 },
        });
        pnl.dailyChart = LWC.createChart($('#pnl-daily'), Object.assign(theme($('#pnl-daily')), whole, { timeScale: { timeVisible: false, borderVisible: false } }));
        pnl.daily = pnl.dailyChart.addSeries(LWC.HistogramSeries, { priceFormat: { type: 'price', precision: 0, minMove: 1 } });
      }
      pnl.curve.setData(data.curve);
      pnl.daily.setData(data.daily);
      pnl.curveChart.timeScale().fitContent();
      pnl.dailyChart.timeScale().fitContent();
    }).catch(function (err) { console.warn('pnl:', err.message); });
  }

  // ── A button that gets no region back ──
  // htmx swaps no 4xx/5xx (noSwap) and nothing after its timeout, so a refused (CSRF 403, host check 421) or unanswered
  // button showed nothing at all. The words come from the page (#flash data-*), in the dashboard's language. Polls
  // (GET) stay silent: the region keeps its last good content. htmx 4 fires the events of a button a poll has since
  // replaced on the document, so a slow sell still reaches these listeners.
  function actionCtx(e) {
    var ctx = e.detail && e.detail.ctx;
    return ctx && ctx.request && ctx.request.method !== 'GET' ? ctx : null;
  }
  function showFailure(attr, message) {
    var el = document.getElementById('flash');
    if (!el) return;
    el.className = 'flash bad';
    el.textContent = (el.getAttribute(attr) || '').replace('{message}', message || ''); // text, never parsed as HTML
  }
  function answerText(ctx) {
    var body = (ctx.text || '').trim();
    if (body.charAt(0) === '{') { try { body = JSON.parse(body).error || body; } catch (e) { /* keep the text */ } }
    return (body || 'HTTP ' + ctx.response.status).slice(0, 500);
  }
  function onRefused(e) {
    var ctx = actionCtx(e);
    // 401: the answer carries HX-Redirect to the login page, which htmx follows.
    if (ctx && ctx.response && ctx.response.status !== 401) showFailure('data-failed', answerText(ctx));
  }
  function onRequestError(e) {
    var ctx = actionCtx(e);
    if (ctx) showFailure(ctx.request.signal && ctx.request.signal.reason === 'timeout' ? 'data-timeout' : 'data-unreachable');
  }

  function start() {
    document.addEventListener('htmx:response:error', onRefused);
    document.addEventListener('htmx:error', onRequestError);
    var select = $('#chart-market');
    if (select) select.addEventListener('change', drawMarket);
    document.addEventListener('click', function (e) {
      var btn = e.target.closest && e.target.closest('[data-chart-market]');
      if (!btn || !select) return;
      var m = btn.getAttribute('data-chart-market');
      syncOptions(select, Array.prototype.map.call(select.options, function (o) { return o.value; }).concat(
        Array.prototype.some.call(select.options, function (o) { return o.value === m; }) ? [] : [m]));
      select.value = m;
      drawMarket();
      $('#chart-panel').scrollIntoView({ behavior: 'smooth', block: 'start' });
    });
    drawMarket();
    drawPnl();
    setInterval(tickClock, 1000);
    setInterval(drawMarket, CHART_REFRESH_MS);
    setInterval(drawPnl, PNL_REFRESH_MS);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
