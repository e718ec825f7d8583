// Chokepoint dashboard: a snapshot from the query API, then live updates over server-sent events.
// Rendering is windowed (only visible rows are in the DOM) and throttled, so 5,600 commodities
// updating every few seconds stay responsive.
(function () {
  'use strict';
  const ROW_HEIGHT = 31, RENDER_EVERY_MS = 250, FEED_KEPT = 200;
  const rows = new Map();          // hsCode -> commodity row (API shape)
  const alerts = new Map();        // alertId -> alert
  let policy = [];                 // newest first
  let order = [];                  // visible rows after filter + sort
  let sortBy = 'alerts', group = '', find = '';
  let selected = null, chart = null, chartData = null, markers = [];
  let dirty = true, lastRender = 0, renderQueued = false;
  const flashed = new Set();
  const $ = (id) => document.getElementById(id);
  window.chokepoint = { statsReceivedAt: {}, firstRowsAt: null, events: 0 };

  const fmt = (v, d = 1) => (v === null || v === undefined || Number.isNaN(v)) ? '–' : Number(v).toFixed(d);
  const pct = (v) => (v === null || v === undefined) ? '–' : Math.round(v * 100) + ' %';
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  const when = (iso) => iso ? iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC') : '';

  // ranking: the same orders as /api/commodities?sort=
  const weight = (r) => r.firingAlerts.reduce((w, a) => w + (a.severity === 'CRITICAL' ? 10000 : a.severity === 'WARNING' ? 100 : 1), 0);
  const val = (r, f) => r.live ? r.live[f] : -Infinity;
  const comparators = {
    alerts: (a, b) => weight(b) - weight(a) || val(b, 'p95DelayHours') - val(a, 'p95DelayHours') || a.hsCode.localeCompare(b.hsCode),
    p95: (a, b) => val(b, 'p95DelayHours') - val(a, 'p95DelayHours') || a.hsCode.localeCompare(b.hsCode),
    overdue: (a, b) => val(b, 'overdueShipments') - val(a, 'overdueShipments') || val(b, 'p95DelayHours') - val(a, 'p95DelayHours') || a.hsCode.localeCompare(b.hsCode),
  };

  function rowOf(hs) {
    let r = rows.get(hs);
    if (!r) { r = { hsCode: hs, name: hs, group: 'uncatalogued', live: null, firingAlerts: [] }; rows.set(hs, r); }
    return r;
  }

  function schedule() {
    dirty = true;
    if (renderQueued) return;
    renderQueued = true;
    const wait = Math.max(0, RENDER_EVERY_MS - (performance.now() - lastRender));
    setTimeout(() => requestAnimationFrame(render), wait);
  }

  function render() {
    renderQueued = false;
    lastRender = performance.now();
    if (dirty) {
      const q = find.trim().toLowerCase();
      order = [...rows.values()].filter((r) => (!group || r.group === group)
        && (!q || r.hsCode.includes(q) || r.name.toLowerCase().includes(q)));
      order.sort(comparators[sortBy]);
      dirty = false;
      $('spacer').style.height = (order.length * ROW_HEIGHT) + 'px';
      $('count').textContent = order.length.toLocaleString('en') + ' commodities';
    }
    renderRows();
    flashed.clear();
  }

  // the most severe firing alert, and how many more (each one's explanation on hover)
  const SEVERITY = { CRITICAL: 3, WARNING: 2, INFO: 1 };
  function alertCell(firing) {
    if (!firing.length) return '';
    const sorted = [...firing].sort((a, b) => (SEVERITY[b.severity] || 0) - (SEVERITY[a.severity] || 0));
    const title = esc(sorted.map((a) => `${a.severity} ${a.ruleId}: ${a.explanation}`).join('\n'));
    return `<span class="sev ${esc(sorted[0].severity)}" title="${title}">${esc(sorted[0].severity)}</span>`
      + (sorted.length > 1 ? `<span class="more" title="${title}">+${sorted.length - 1}</span>` : '');
  }

  function renderRows() {
    const vp = $('viewport');
    const first = Math.max(0, Math.floor(vp.scrollTop / ROW_HEIGHT) - 5);
    const last = Math.min(order.length, first + Math.ceil(vp.clientHeight / ROW_HEIGHT) + 10);
    const html = [];
    for (let i = first; i < last; i++) {
      const r = order[i], l = r.live || {}, p = l.policy || {};
      const cls = (flashed.has(r.hsCode) ? 'flash ' : '') + (r.hsCode === selected ? 'selected' : '');
      const sev = alertCell(r.firingAlerts);
      html.push(`<tr data-hs="${esc(r.hsCode)}" class="${cls}"><td class="rank">${i + 1}</td><td class="hs">${esc(r.hsCode)}</td>`
        + `<td class="name" title="${esc(r.name)} · ${esc(r.group)}">${esc(r.name)}</td>`
        + `<td class="num p50">${fmt(l.p50DelayHours)}</td><td class="num p95${l.p95DelayHours > 48 ? ' hot' : ''}">${fmt(l.p95DelayHours)}</td>`
        + `<td class="num overdue">${l.overdueShipments ?? '–'}</td><td class="num holds">${l.customsHolds ?? '–'}</td>`
        + `<td class="num tariff">${fmt(p.tariffPct, 0)}</td><td class="num wide licences">${pct(p.licenceApprovalRate)}</td>`
        + `<td class="alerts">${sev}</td></tr>`);
    }
    const table = $('rows');
    table.style.top = (first * ROW_HEIGHT) + 'px';
    table.tBodies[0].innerHTML = html.join('');
  }

  function renderAlerts() {
    const list = [...alerts.values()].sort((a, b) => b.eventAt.localeCompare(a.eventAt));
    $('alert-count').textContent = list.length;
    $('alerts').innerHTML = list.map((a) => `<li data-alert="${esc(a.alertId)}" data-hs="${esc(a.hsCode)}">`
      + `<div class="what"><span class="sev ${esc(a.severity)}">${esc(a.severity)}</span>${esc(a.hsCode)} ${esc(rowOf(a.hsCode).name)}</div>`
      + `<div class="why">${esc(a.explanation)}</div><div class="when">${esc(a.ruleId)} · since ${when(a.eventAt)}</div></li>`).join('');
  }

  function renderPolicy() {
    $('policy').innerHTML = policy.slice(0, FEED_KEPT).map((e) => `<li data-hs="${esc(e.hsCode)}">`
      + `<div class="what">${e.kind === 'TARIFF' ? 'Tariff' : 'Licence'} · ${esc(e.hsCode)} ${esc(rowOf(e.hsCode).name)}</div>`
      + `<div class="why">${esc(e.summary)}</div><div class="when">${when(e.at)}</div></li>`).join('');
  }

  // --- chart of the selected commodity: p50/p95 per window, policy events as vertical markers
  async function select(hs) {
    selected = hs;
    renderRows();
    const r = rowOf(hs);
    $('detail-title').textContent = `${hs} ${r.name}`;
    const [windows, events] = await Promise.all([
      fetch(`/api/commodities/${hs}/windows`).then((x) => x.ok ? x.json() : { windows: [] }),
      fetch(`/api/policy-events?hs=${hs}`).then((x) => x.ok ? x.json() : { events: [] })]);
    if (selected !== hs) return;
    const ws = windows.windows;
    chartData = [ws.map((w) => Date.parse(w.windowEnd) / 1000), ws.map((w) => w.p50DelayHours), ws.map((w) => w.p95DelayHours)];
    markers = events.events.map((e) => ({ t: Date.parse(e.at) / 1000, e }));
    drawChart();
  }

  function liveIntoChart(s) {
    if (!chartData || s.hsCode !== selected) return;
    const x = Date.parse(s.windowEnd) / 1000, i = chartData[0].indexOf(x);
    if (i >= 0) { chartData[1][i] = s.p50DelayHours; chartData[2][i] = s.p95DelayHours; }
    else {
      let at = chartData[0].findIndex((v) => v > x); if (at < 0) at = chartData[0].length;
      chartData[0].splice(at, 0, x); chartData[1].splice(at, 0, s.p50DelayHours); chartData[2].splice(at, 0, s.p95DelayHours);
    }
    chart.setData(chartData);
  }

  // tariff changes: full-height lines labelled with the new rate; licence decisions: ticks along
  // the bottom (there can be hundreds), green approved, orange denied/revoked/pending
  function markerPlugin() {
    return { hooks: { draw: (u) => {
      const ctx = u.ctx, top = u.bbox.top, bottom = top + u.bbox.height, px = devicePixelRatio;
      ctx.save(); ctx.font = `${11 * px}px sans-serif`;
      for (const m of markers) {
        if (m.t < u.scales.x.min || m.t > u.scales.x.max) continue;
        const x = u.valToPos(m.t, 'x', true);
        if (m.e.kind === 'TARIFF') {
          ctx.strokeStyle = ctx.fillStyle = '#8e44ad'; ctx.lineWidth = 2 * px;
          ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, bottom); ctx.stroke();
          ctx.fillText(`${Math.round(m.e.newRatePct)} %`, x + 4 * px, top + 12 * px);
        } else {
          ctx.strokeStyle = m.e.decision === 'APPROVED' ? '#1e8449' : '#e67e22'; ctx.lineWidth = 1.5 * px;
          ctx.beginPath(); ctx.moveTo(x, bottom); ctx.lineTo(x, bottom - 10 * px); ctx.stroke();
        }
      }
      ctx.restore();
    } } };
  }

  // the windows and the tariff changes before or among them, at least 6 hours wide
  function xRange(u, min, max) {
    const xs = chartData[0].concat(markers.filter((m) => m.e.kind === 'TARIFF').map((m) => m.t));
    let lo = Math.min(...xs), hi = Math.max(...xs);
    if (!Number.isFinite(lo)) { lo = min; hi = max; }
    const pad = Math.max(3 * 3600 - (hi - lo) / 2, (hi - lo) * 0.04);
    return [lo - pad, hi + pad];
  }

  function drawChart() {
    const el = $('chart'), width = Math.max(320, el.clientWidth || 600);
    if (chart) chart.destroy();
    chart = new uPlot({ width, height: 190, plugins: [markerPlugin()],
      scales: { x: { time: true, range: xRange } },
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'), // the page speaks UTC throughout
      axes: [{}, { label: 'hours', size: 56 }],
      series: [{}, { label: 'p50', stroke: '#2e86c1', width: 2 }, { label: 'p95', stroke: '#c0392b', width: 2 }],
      legend: { show: false } }, chartData, el);
  }

  // --- the live feed
  const pending = [];
  let snapshotLoaded = false;

  function onEvent(type, data) {
    window.chokepoint.events++;
    if (!snapshotLoaded) { pending.push([type, data]); return; }
    apply(type, data);
  }

  function apply(type, d) {
    if (type === 'stats') {
      const r = rowOf(d.hsCode);
      if (!r.live || d.windowStart >= r.live.windowStart) { r.live = d; flashed.add(d.hsCode); schedule(); }
      window.chokepoint.statsReceivedAt[d.hsCode] = Date.now();
      liveIntoChart(d);
    } else if (type === 'alert') {
      const r = rowOf(d.hsCode);
      r.firingAlerts = r.firingAlerts.filter((a) => a.alertId !== d.alertId);
      if (d.state === 'FIRING') { alerts.set(d.alertId, d); r.firingAlerts.push(d); } else { alerts.delete(d.alertId); }
      renderAlerts(); schedule();
    } else if (type === 'policy') {
      policy.unshift(d); policy.sort((a, b) => b.at.localeCompare(a.at)); policy = policy.slice(0, FEED_KEPT);
      renderPolicy();
      if (d.hsCode === selected) { markers.push({ t: Date.parse(d.at) / 1000, e: d }); if (chart) chart.redraw(); }
    } else if (type === 'reset') {
      loadSnapshot();
    }
  }

  function connect() {
    const source = new EventSource('/api/stream');
    source.onopen = () => { $('status').className = 'status live'; $('status').textContent = 'live'; };
    source.onerror = () => { $('status').className = 'status reconnecting'; $('status').textContent = 'reconnecting…'; };
    for (const type of ['stats', 'alert', 'policy', 'reset']) {
      source.addEventListener(type, (m) => onEvent(type, JSON.parse(m.data)));
    }
  }

  async function fetchRetrying(url) {
    for (;;) {
      const res = await fetch(url);
      if (res.ok) return res.json();
      const wait = Number(res.headers.get('Retry-After') || 2) * 1000;
      $('count').textContent = res.status === 503 ? 'instances are rebalancing; retrying…' : `error ${res.status}`;
      await new Promise((ok) => setTimeout(ok, wait));
    }
  }

  async function loadSnapshot() {
    snapshotLoaded = false;
    const [list, firing, events] = await Promise.all([fetchRetrying(`/api/commodities`),
      fetchRetrying('/api/alerts?state=firing'), fetchRetrying('/api/policy-events')]);
    rows.clear(); alerts.clear();
    for (const c of list.commodities) rows.set(c.hsCode, c);
    for (const a of firing.alerts) alerts.set(a.alertId, a);
    policy = events.events.slice(0, FEED_KEPT);
    const groups = [...new Set(list.commodities.map((c) => c.group))].sort();
    $('group').innerHTML = '<option value="">all groups</option>' + groups.map((g) => `<option${g === group ? ' selected' : ''}>${esc(g)}</option>`).join('');
    snapshotLoaded = true;
    pending.splice(0).forEach(([t, d]) => apply(t, d));
    dirty = true; render(); renderAlerts(); renderPolicy();
    if (window.chokepoint.firstRowsAt === null) window.chokepoint.firstRowsAt = performance.now();
    if (!selected && order.length) select(hashCommodity() || order[0].hsCode);
  }

  // #/commodity/850511 opens that commodity: the generatorURL of every webhook alert points here
  function hashCommodity() {
    const m = /^#\/commodity\/(\d{6})$/.exec(window.location.hash);
    return m ? m[1] : null;
  }

  $('viewport').addEventListener('scroll', () => requestAnimationFrame(renderRows), { passive: true });
  $('rows').addEventListener('click', (e) => { const tr = e.target.closest('tr'); if (tr) select(tr.dataset.hs); });
  $('alerts').addEventListener('click', (e) => { const li = e.target.closest('li'); if (li) select(li.dataset.hs); });
  $('sort').addEventListener('change', (e) => { sortBy = e.target.value; schedule(); });
  $('group').addEventListener('change', (e) => { group = e.target.value; schedule(); });
  $('find').addEventListener('input', (e) => { find = e.target.value; schedule(); });
  window.addEventListener('hashchange', () => { const hs = hashCommodity(); if (hs) select(hs); });
  window.addEventListener('resize', () => { renderRows(); if (chartData) drawChart(); });
  connect();
  loadSnapshot();
})();
