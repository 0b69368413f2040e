// The Tollway dashboard: reads the JSON API of usage-streams and draws it with Chart.js. No framework, no CDN.
(function () {
  'use strict';

  const REFRESH_MS = 15000;
  const MAX_SERIES = 8;
  const PALETTE = ['#4f46e5', '#0891b2', '#16a34a', '#ca8a04', '#dc2626', '#9333ea', '#db2777', '#0d9488', '#94a3b8'];
  const charts = {};
  const colors = new Map();
  let rangeDays = 14;
  let timer = null;

  Chart.defaults.animation = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#6b7280';

  // ---- data ----

  async function getJson(url) {
    const response = await fetch(url, { headers: { accept: 'application/json' } });
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (!response.ok) {
      const message = body && body.error ? body.error.message : 'HTTP ' + response.status;
      throw new Error(url.split('?')[0] + ': ' + message);
    }
    return body;
  }

  function rangeParams() {
    const to = new Date();
    const from = new Date(to.getTime() - rangeDays * 24 * 3600 * 1000);
    return 'from=' + encodeURIComponent(from.toISOString()) + '&to=' + encodeURIComponent(to.toISOString());
  }

  // ---- formatting ----

  function usd(costUsd) {
    const value = Number(costUsd);
    if (value === 0) {
      return '$0';
    }
    if (value >= 100) {
      return '$' + value.toLocaleString('en-US', { maximumFractionDigits: 0 });
    }
    if (value >= 1) {
      return '$' + value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    return '$' + value.toPrecision(3).replace(/0+$/, '').replace(/\.$/, '');
  }

  function count(value) {
    const n = Number(value);
    if (n >= 1e9) return (n / 1e9).toFixed(2) + ' B';
    if (n >= 1e6) return (n / 1e6).toFixed(2) + ' M';
    if (n >= 1e4) return (n / 1e3).toFixed(1) + ' k';
    return n.toLocaleString('en-US');
  }

  function amount(value, unit) {
    return unit === 'nanoUsd' ? usd(Number(value) / 1e9) : count(value) + ' tokens';
  }

  function dayLabels(fromIso, toIso, zone) {
    const format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    const labels = [];
    const end = new Date(toIso).getTime();
    for (let t = new Date(fromIso).getTime(); t < end; t += 3600 * 1000) {
      const day = format.format(new Date(t));
      if (labels[labels.length - 1] !== day) {
        labels.push(day);
      }
    }
    return labels;
  }

  function named(value, fallback) {
    return value === '' ? fallback : value;
  }

  // ---- charts ----

  // The same name has the same color in every chart, for as long as the page is open.
  function colorOf(name) {
    if (name === 'other') {
      return PALETTE[PALETTE.length - 1];
    }
    if (!colors.has(name)) {
      colors.set(name, PALETTE[colors.size % (PALETTE.length - 1)]);
    }
    return colors.get(name);
  }

  function show(id, hasData) {
    document.getElementById(id + '-empty').hidden = hasData;
    document.getElementById(id).parentElement.hidden = !hasData;
  }

  function draw(id, config) {
    if (charts[id]) {
      charts[id].data = config.data;
      charts[id].options = config.options;
      charts[id].update('none');
      return;
    }
    charts[id] = new Chart(document.getElementById(id), config);
  }

  // Stacked bars per day: the biggest series by total, the rest summed as "other".
  function stackedPerDay(id, body, groupField, valueOf, fallback, formatTick) {
    const labels = dayLabels(body.from, body.to, body.timeZone);
    const totals = new Map();
    for (const row of body.rows) {
      const group = named(row[groupField], fallback);
      totals.set(group, (totals.get(group) || 0) + valueOf(row));
    }
    const ranked = [...totals.entries()].filter(e => e[1] > 0).sort((a, b) => b[1] - a[1]).map(e => e[0]);
    const shown = ranked.slice(0, MAX_SERIES);
    const series = new Map(shown.map(group => [group, labels.map(() => 0)]));
    if (ranked.length > MAX_SERIES) {
      series.set('other', labels.map(() => 0));
    }
    for (const row of body.rows) {
      const group = named(row[groupField], fallback);
      const target = series.get(series.has(group) ? group : 'other');
      const index = labels.indexOf(row.day);
      if (target && index >= 0) {
        target[index] += valueOf(row);
      }
    }
    show(id, ranked.length > 0);
    draw(id, {
      type: 'bar',
      data: {
        labels: labels,
        datasets: [...series.entries()].map(([group, data]) => ({
          label: group, data: data, backgroundColor: colorOf(group), borderRadius: 3, maxBarThickness: 48
        }))
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: { position: 'bottom' },
          tooltip: { callbacks: { label: ctx => ctx.dataset.label + ': ' + formatTick(ctx.parsed.y) } }
        },
        scales: {
          x: { stacked: true, grid: { display: false } },
          y: { stacked: true, beginAtZero: true, ticks: { callback: value => formatTick(value) } }
        }
      }
    });
  }

  function doughnut(id, body, groupField, fallback) {
    const rows = body.rows.filter(row => row.costNanoUsd > 0);
    const top = rows.slice(0, MAX_SERIES);
    const rest = rows.slice(MAX_SERIES).reduce((sum, row) => sum + row.costNanoUsd, 0);
    const labels = top.map(row => named(row[groupField], fallback));
    const data = top.map(row => row.costNanoUsd / 1e9);
    if (rest > 0) {
      labels.push('other');
      data.push(rest / 1e9);
    }
    show(id, rows.length > 0);
    draw(id, {
      type: 'doughnut',
      data: { labels: labels, datasets: [{ data: data, backgroundColor: labels.map(colorOf) }] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: { position: 'right' },
          tooltip: { callbacks: { label: ctx => ctx.label + ': ' + usd(ctx.parsed) } }
        }
      }
    });
  }

  // ---- tables ----

  function cell(row, text, className) {
    const td = document.createElement('td');
    if (className) td.className = className;
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function topKeys(body) {
    const tbody = document.querySelector('#top-keys tbody');
    tbody.replaceChildren();
    const rows = body.rows.filter(row => row.apiKeyId !== '' && (row.requests > 0 || row.totalTokens > 0)).slice(0, 10);
    for (const row of rows) {
      const tr = document.createElement('tr');
      const key = cell(tr, named(row.apiKeyName, row.apiKeyId));
      const id = document.createElement('span');
      id.className = 'id';
      id.textContent = row.apiKeyId;
      key.appendChild(id);
      cell(tr, count(row.requests), 'num');
      cell(tr, count(row.totalTokens), 'num');
      const spend = cell(tr, usd(row.costUsd), 'num');
      if (row.unpricedRequests > 0) {
        spend.title = row.unpricedRequests + ' request(s) of unpriced models are not included';
        spend.textContent += ' *';
      }
      tbody.appendChild(tr);
    }
    document.getElementById('top-keys').hidden = rows.length === 0;
    document.getElementById('top-keys-empty').hidden = rows.length > 0;
  }

  function blocked(body) {
    const tbody = document.querySelector('#blocked tbody');
    tbody.replaceChildren();
    for (const quota of body.quotas) {
      const tr = document.createElement('tr');
      const subject = cell(tr, '');
      const tag = document.createElement('span');
      tag.className = 'tag';
      tag.textContent = quota.subjectType;
      subject.appendChild(tag);
      subject.appendChild(document.createTextNode(quota.subject));
      cell(tr, quota.budget);
      cell(tr, quota.window);
      const used = cell(tr, amount(quota.used, quota.unit) + ' of ' + amount(quota.limit, quota.unit));
      const bar = document.createElement('div');
      bar.className = 'bar';
      const fill = document.createElement('span');
      fill.style.width = (quota.limit > 0 ? Math.min(100, 100 * quota.used / quota.limit) : 100) + '%';
      bar.appendChild(fill);
      used.appendChild(bar);
      cell(tr, new Date(quota.until).toLocaleString());
      tbody.appendChild(tr);
    }
    document.getElementById('blocked').hidden = body.quotas.length === 0;
    document.getElementById('blocked-empty').hidden = body.quotas.length > 0;
  }

  function kpis(models, quotas) {
    document.getElementById('kpi-spend').textContent = usd(models.total.costUsd);
    document.getElementById('kpi-tokens').textContent = count(models.total.totalTokens);
    document.getElementById('kpi-requests').textContent = count(models.total.requests);
    const unpriced = document.getElementById('kpi-unpriced');
    unpriced.textContent = count(models.total.unpricedRequests);
    unpriced.classList.toggle('warn', models.total.unpricedRequests > 0);
    const blockedCount = document.getElementById('kpi-blocked');
    blockedCount.textContent = String(quotas.quotas.length);
    blockedCount.classList.toggle('bad', quotas.quotas.length > 0);
  }

  // ---- refresh ----

  async function refresh() {
    const params = rangeParams();
    document.getElementById('csv').href = 'v1/spend.csv?groupBy=key&' + params;
    try {
      const [teamsPerDay, modelsPerDay, models, keys, quotas] = await Promise.all([
        getJson('v1/spend?groupBy=team&interval=day&' + params),
        getJson('v1/spend?groupBy=model&interval=day&' + params),
        getJson('v1/spend?groupBy=model&' + params),
        getJson('v1/spend?groupBy=key&' + params),
        getJson('v1/quotas')
      ]);
      document.getElementById('zone').textContent = models.timeZone;
      kpis(models, quotas);
      stackedPerDay('spend-by-team', teamsPerDay, 'team', row => row.costNanoUsd / 1e9, '(no team)', usd);
      stackedPerDay('tokens-by-model', modelsPerDay, 'model', row => row.totalTokens, '(unknown)', count);
      doughnut('spend-by-model', models, 'model', '(unknown)');
      topKeys(keys);
      blocked(quotas);
      document.getElementById('banner').hidden = true;
      document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
      document.body.dataset.state = 'ready';
    } catch (error) {
      const banner = document.getElementById('banner');
      banner.textContent = 'Cannot read the usage API: ' + error.message + ' — retrying.';
      banner.hidden = false;
      if (document.body.dataset.state !== 'ready') {
        document.body.dataset.state = 'error';
      }
    }
  }

  function schedule() {
    if (timer) clearInterval(timer);
    timer = setInterval(refresh, REFRESH_MS);
  }

  document.getElementById('range').addEventListener('change', event => {
    rangeDays = Number(event.target.value);
    refresh();
    schedule();
  });

  refresh();
  schedule();
})();
