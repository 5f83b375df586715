// The Switchyard dashboard: reads only the documented admin JSON APIs (docs/dashboard.md)
// with the browser's session cookie (or an Authorization header a client adds), renders every
// figure as text in tables and draws the time series with uPlot. Refreshes itself.

const REFRESH_MS = Number(new URLSearchParams(location.search).get('refresh_ms')) || 15000;
const COLOURS = ['#3a6fd8', '#2a9d5c', '#c77d0a', '#a3261f', '#7b4bb7'];
const charts = {};
let selectedRequest = null;

const usd = (value) =>
  value === null || value === undefined ? '—' : `$${Number(value).toFixed(6)}`;
const count = (value) => (value === null || value === undefined ? '—' : String(value));
const ms = (value) => (value === null || value === undefined ? '—' : `${Math.round(value)} ms`);
const percent = (value) =>
  value === null || value === undefined || !Number.isFinite(value)
    ? '—'
    : `${(value * 100).toFixed(1)}%`;
const rate = (part, whole) => (whole > 0 ? part / whole : null);
const time = (iso) => (iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 19) : '—');

function element(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Fills a table: columns are { label, value(row), number?, key? }; an empty list says so. */
function fillTable(id, columns, rows, emptyText) {
  const table = document.getElementById(id);
  table.replaceChildren();
  const head = element('thead');
  const headRow = element('tr');
  for (const column of columns)
    headRow.append(
      element(
        'th',
        column.number ? { class: 'number', scope: 'col' } : { scope: 'col' },
        column.label,
      ),
    );
  head.append(headRow);
  const body = element('tbody');
  if (rows.length === 0) {
    const row = element('tr');
    row.append(
      element(
        'td',
        { colspan: String(columns.length), class: 'empty' },
        emptyText ?? 'No data in this window.',
      ),
    );
    body.append(row);
  }
  for (const item of rows) {
    const row = element('tr');
    for (const column of columns) {
      const attributes = {};
      if (column.number) attributes.class = 'number';
      if (column.key) attributes['data-field'] = column.key;
      row.append(element('td', attributes, column.value(item)));
    }
    body.append(row);
    if (columns.onRow) columns.onRow(row, item);
  }
  table.append(head, body);
  return body;
}

async function getJson(path) {
  const response = await fetch(path, {
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(body?.error?.message ?? `${path}: HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return body;
}

function showProblem(id, error) {
  const node = document.getElementById(id);
  node.replaceChildren(element('p', { class: 'error' }, `Not available: ${error.message}`));
}

function drawChart(id, series, xs, columns, range) {
  const container = document.getElementById(id);
  if (typeof uPlot === 'undefined' || xs.length === 0) {
    container.replaceChildren(
      element(
        'p',
        { class: 'empty' },
        xs.length === 0 ? 'No requests in this window.' : 'Charts unavailable.',
      ),
    );
    charts[id]?.destroy();
    delete charts[id];
    return;
  }
  const data = [xs, ...columns];
  const width = Math.max(300, container.clientWidth || 800);
  charts[id]?.destroy();
  container.replaceChildren();
  const format = series[0].format;
  charts[id] = new uPlot(
    {
      width,
      height: 220,
      scales: { x: { time: true, range: () => range } },
      series: [
        {},
        ...series.map((entry, index) => ({
          label: entry.label,
          stroke: COLOURS[index % COLOURS.length],
          width: 2,
          points: { show: true },
          value: (_u, v) => entry.format(v),
        })),
      ],
      axes: [{}, { size: 90, values: (_u, ticks) => ticks.map((tick) => format(tick)) }],
    },
    data,
    container,
  );
}

function legendRows(series, columns) {
  return series.map((entry, index) => ({
    name: entry.label,
    colour: COLOURS[index % COLOURS.length],
    total: columns[index].reduce((sum, value) => sum + (value ?? 0), 0),
    peak: columns[index].reduce((max, value) => Math.max(max, value ?? 0), 0),
    format: entry.format,
  }));
}

function renderLegend(id, rows) {
  const body = fillTable(
    id,
    [
      { label: 'Series', value: (row) => row.name, key: 'series' },
      {
        label: 'Total in window',
        value: (row) => row.format(row.total),
        number: true,
        key: 'total',
      },
      {
        label: 'Highest per slot',
        value: (row) => row.format(row.peak),
        number: true,
        key: 'peak',
      },
    ],
    rows,
  );
  body.querySelectorAll('tr').forEach((row, index) => {
    const swatch = element('span', { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.background = rows[index]?.colour ?? 'transparent';
    row.firstChild.prepend(swatch);
  });
}

function renderUsage(usage) {
  const totals = usage.totals;
  const list = document.getElementById('totals-list');
  list.replaceChildren();
  const figures = [
    ['requests', 'Requests', count(totals.requests)],
    [
      'errors',
      'Errors',
      `${count(totals.errors)} (${percent(rate(totals.errors, totals.requests))})`,
    ],
    [
      'failovers',
      'Failovers',
      `${count(totals.failovers)} (${percent(rate(totals.failovers, totals.requests))})`,
    ],
    ['cache_hits', 'Cache hits', count(totals.cache_hits)],
    ['cost_usd', 'Spend', usd(totals.cost_usd)],
    ['saved_by_cache_usd', 'Saved by cache', usd(totals.saved_by_cache_usd)],
    ['saved_by_routing_usd', 'Saved by routing', usd(totals.saved_by_routing_usd)],
    ['self_hosted_usd', 'Self-hosted boxes', usd(totals.self_hosted_usd)],
    ['input_tokens', 'Input tokens', count(totals.input_tokens)],
    ['output_tokens', 'Output tokens', count(totals.output_tokens)],
  ];
  for (const [key, label, value] of figures) {
    const item = element('div', { 'data-figure': key });
    item.append(element('dt', {}, label), element('dd', {}, value));
    list.append(item);
  }
  const xs = usage.series.map((slot) => Date.parse(slot.start) / 1000);
  const range = [Date.parse(usage.from) / 1000, Date.parse(usage.to) / 1000];
  const spendSeries = [
    { label: 'Spend', format: usd },
    { label: 'Saved by cache', format: usd },
    { label: 'Saved by routing', format: usd },
    { label: 'Self-hosted boxes', format: usd },
  ];
  const spend = [
    usage.series.map((slot) => slot.cost_usd),
    usage.series.map((slot) => slot.saved_by_cache_usd),
    usage.series.map((slot) => slot.saved_by_routing_usd),
    usage.series.map((slot) => slot.self_hosted_usd ?? 0),
  ];
  drawChart('spend-chart', spendSeries, xs, spend, range);
  renderLegend('spend-table', legendRows(spendSeries, spend));
  const trafficSeries = [
    { label: 'Requests', format: count },
    { label: 'Errors', format: count },
    { label: 'Failovers', format: count },
    { label: 'Cache hits', format: count },
  ];
  const traffic = [
    usage.series.map((slot) => slot.requests),
    usage.series.map((slot) => slot.errors),
    usage.series.map((slot) => slot.failovers),
    usage.series.map((slot) => slot.cache_hits),
  ];
  drawChart('traffic-chart', trafficSeries, xs, traffic, range);
  fillTable(
    'rates-table',
    [
      { label: 'Series', value: (row) => row.name, key: 'series' },
      { label: 'Count', value: (row) => count(row.value), number: true, key: 'count' },
      {
        label: 'Rate',
        value: (row) => percent(rate(row.value, totals.requests)),
        number: true,
        key: 'rate',
      },
    ],
    [
      { name: 'Requests', value: totals.requests },
      { name: 'Errors', value: totals.errors },
      { name: 'Failovers', value: totals.failovers },
      { name: 'Cache hits', value: totals.cache_hits },
    ],
  );
  const mixColumns = (dimension, label) => [
    { label, value: (row) => row[dimension] ?? '(none)', key: dimension },
    { label: 'Requests', value: (row) => count(row.requests), number: true, key: 'requests' },
    {
      label: 'Share',
      value: (row) => percent(rate(row.requests, totals.requests)),
      number: true,
      key: 'share',
    },
    { label: 'Errors', value: (row) => count(row.errors), number: true, key: 'errors' },
    {
      label: 'Tokens in / out',
      value: (row) => `${row.input_tokens} / ${row.output_tokens}`,
      number: true,
      key: 'tokens',
    },
    { label: 'Spend', value: (row) => usd(row.cost_usd), number: true, key: 'cost_usd' },
    {
      label: 'Saved',
      value: (row) => usd(row.saved_by_cache_usd + row.saved_by_routing_usd),
      number: true,
      key: 'saved',
    },
  ];
  fillTable('models-table', mixColumns('model', 'Model'), usage.models);
  fillTable('providers-table', mixColumns('provider', 'Provider'), usage.providers);
}

function renderLatency(latency) {
  fillTable(
    'latency-table',
    [
      { label: 'Deployment', value: (row) => row.deployment, key: 'deployment' },
      { label: 'Attempts', value: (row) => count(row.attempts), number: true, key: 'attempts' },
      {
        label: 'Errors',
        value: (row) => `${row.errors} (${percent(row.error_rate)})`,
        number: true,
        key: 'errors',
      },
      { label: 'TTFT p50', value: (row) => ms(row.ttft_p50_ms), number: true, key: 'ttft_p50' },
      { label: 'TTFT p95', value: (row) => ms(row.ttft_p95_ms), number: true, key: 'ttft_p95' },
      {
        label: 'Latency p50',
        value: (row) => ms(row.latency_p50_ms),
        number: true,
        key: 'latency_p50',
      },
      {
        label: 'Latency p95',
        value: (row) => ms(row.latency_p95_ms),
        number: true,
        key: 'latency_p95',
      },
      {
        label: 'Tokens/s',
        value: (row) => (row.tokens_per_second === null ? '—' : row.tokens_per_second.toFixed(1)),
        number: true,
        key: 'tokens_per_second',
      },
    ],
    latency.data,
  );
}

function renderRequests(requests) {
  const columns = [
    { label: 'Time (UTC)', value: (row) => time(row.started_at), key: 'time' },
    { label: 'Request id', value: (row) => row.request_id, key: 'request_id' },
    { label: 'Key', value: (row) => row.key_id ?? '—', key: 'key' },
    { label: 'Asked', value: (row) => row.model_asked ?? '—', key: 'model_asked' },
    { label: 'Served', value: (row) => row.model ?? '—', key: 'model' },
    { label: 'Provider', value: (row) => row.provider ?? '—', key: 'provider' },
    {
      label: 'Status',
      value: (row) => (row.error_code ? `${row.status} ${row.error_code}` : String(row.status)),
      key: 'status',
    },
    { label: 'Cache', value: (row) => row.cache_status, key: 'cache' },
    { label: 'Attempts', value: (row) => count(row.attempts), number: true, key: 'attempts' },
    { label: 'Cost', value: (row) => usd(row.cost_usd), number: true, key: 'cost_usd' },
    { label: 'Latency', value: (row) => ms(row.latency_ms), number: true, key: 'latency' },
    { label: 'Route', value: (row) => row.route_reason ?? '—', key: 'route' },
  ];
  columns.onRow = (row, item) => {
    row.tabIndex = 0;
    row.dataset.requestId = item.request_id;
    if (item.request_id === selectedRequest) row.classList.add('selected');
    const open = () => showExplanation(item, row);
    row.addEventListener('click', open);
    row.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') open();
    });
  };
  fillTable('requests-table', columns, requests.data, 'No requests in this window.');
}

async function showExplanation(item, row) {
  selectedRequest = item.request_id;
  document.querySelectorAll('#requests-table tr.selected').forEach((node) => {
    node.classList.remove('selected');
  });
  row.classList.add('selected');
  const panel = document.getElementById('explanation');
  panel.hidden = false;
  panel.replaceChildren(
    element('h3', {}, `Route decision for ${item.request_id}`),
    element(
      'p',
      { 'data-field': 'route_reason' },
      `Route: ${item.route_reason ?? '(none recorded)'}`,
    ),
  );
  try {
    const { explanation } = await getJson(
      `/admin/requests/${encodeURIComponent(item.request_id)}/explain`,
    );
    const facts = element(
      'p',
      { 'data-field': 'policy' },
      `Policy: ${explanation.policy}${explanation.tier ? `, tier ${explanation.tier}` : ''}; attempts in order: ${explanation.attempts.join(' → ')}`,
    );
    const features = element(
      'p',
      { 'data-field': 'features' },
      `Features: ${JSON.stringify(explanation.features)}`,
    );
    const table = element('table', { id: 'explanation-table' });
    panel.append(facts, features, table);
    fillTable(
      'explanation-table',
      [
        {
          label: 'Rank',
          value: (c) => (c.rank === null ? 'dropped' : String(c.rank + 1)),
          key: 'rank',
        },
        { label: 'Deployment', value: (c) => c.deployment, key: 'deployment' },
        {
          label: 'Score',
          value: (c) => (c.score === null ? '—' : c.score.toFixed(3)),
          number: true,
          key: 'score',
        },
        {
          label: 'Predicted cost',
          value: (c) => usd(c.predicted_cost_usd),
          number: true,
          key: 'predicted_cost',
        },
        {
          label: 'Predicted latency',
          value: (c) => ms(c.predicted_latency_ms),
          number: true,
          key: 'predicted_latency',
        },
        { label: 'Why', value: (c) => c.reason, key: 'reason' },
      ],
      explanation.candidates,
      'No candidates recorded.',
    );
  } catch (error) {
    panel.append(
      element(
        'p',
        { class: 'note' },
        error.status === 404
          ? 'The full plan is no longer kept (this process keeps the newest requests only): the route line above is what the ledger recorded.'
          : `Not available: ${error.message}`,
      ),
    );
  }
}

function renderBreakers(breakers) {
  fillTable(
    'breakers-table',
    [
      { label: 'Deployment', value: (row) => row.deployment, key: 'deployment' },
      { label: 'State', value: (row) => row.state, key: 'state' },
      { label: 'Available', value: (row) => (row.available ? 'yes' : 'no'), key: 'available' },
      {
        label: 'Failures (window)',
        value: (row) => `${row.window_failures} / ${row.window_requests}`,
        number: true,
        key: 'failures',
      },
      {
        label: 'Open until',
        value: (row) => time(row.open_until ?? row.cooldown_until),
        key: 'open_until',
      },
      { label: 'Last error', value: (row) => row.last_error ?? '—', key: 'last_error' },
    ],
    breakers.data,
    'No deployments configured.',
  );
}

function budgetUse(spent, limit) {
  if (limit === undefined) return `${usd(spent)} (no limit)`;
  return `${usd(spent)} of ${usd(limit)} (${percent(spent / limit)})`;
}

function renderKeys(keys) {
  fillTable(
    'keys-table',
    [
      { label: 'Key', value: (row) => `${row.name} (${row.id})`, key: 'key' },
      { label: 'Status', value: (row) => (row.revoked_at ? 'revoked' : 'active'), key: 'status' },
      {
        label: 'Today',
        value: (row) => budgetUse(row.usage?.dailyUsd ?? 0, row.limits.daily_budget_usd),
        number: true,
        key: 'daily',
      },
      {
        label: 'This month',
        value: (row) => budgetUse(row.usage?.monthlyUsd ?? 0, row.limits.monthly_budget_usd),
        number: true,
        key: 'monthly',
      },
      {
        label: 'Total',
        value: (row) => budgetUse(row.usage?.totalUsd ?? 0, row.limits.total_budget_usd),
        number: true,
        key: 'total',
      },
      {
        label: 'Requests this minute',
        value: (row) =>
          `${row.usage?.requestsThisMinute ?? 0}${row.limits.requests_per_minute ? ` of ${row.limits.requests_per_minute}` : ''}`,
        number: true,
        key: 'rpm',
      },
    ],
    keys.data,
    'No virtual keys: create one with switchyard keys create or POST /admin/keys.',
  );
}

function renderCapacity(capacity) {
  fillTable(
    'capacity-table',
    [
      { label: 'Deployment', value: (row) => row.deployment, key: 'deployment' },
      {
        label: 'In flight (this replica)',
        value: (row) => `${row.in_flight} of ${row.max_concurrency}`,
        number: true,
        key: 'in_flight',
      },
      {
        label: 'In flight (fleet)',
        value: (row) =>
          row.fleet_in_flight === null || row.fleet_in_flight === undefined
            ? 'not shared'
            : `${row.fleet_in_flight} of ${row.max_concurrency}`,
        number: true,
        key: 'fleet_in_flight',
      },
      { label: 'Queued', value: (row) => count(row.queued), number: true, key: 'queued' },
      {
        label: 'Queue limit (max_queue_ms)',
        value: (row) => ms(row.max_queue_ms),
        number: true,
        key: 'max_queue',
      },
      { label: 'Hourly cost', value: (row) => usd(row.hourly_usd), number: true, key: 'hourly' },
      {
        label: 'Served / spilled',
        value: (row) => `${row.served} / ${row.spilled}`,
        number: true,
        key: 'spilled',
      },
    ],
    capacity.data,
    'No deployment declares a capacity (max_concurrency): every deployment is an API priced per token.',
  );
}

function renderBreakeven(answer) {
  const panel = document.getElementById('breakeven');
  const result = answer.result;
  const tokens = (value) =>
    value === null || !Number.isFinite(value)
      ? 'never (no servable traffic)'
      : `${Math.round(value)} tokens/day`;
  const lines = [
    [
      'gpu',
      `GPU: ${result.gpu.name} at ${usd(result.gpu.hourlyUsd)}/h (${result.gpu.source}), ${result.gpu.tokensPerSecond} tokens/s × ${result.gpu.concurrency} streams, ${percent(result.gpu.utilisation)} utilisation`,
    ],
    ['model', `Self-hosted model: ${answer.self_hosted_model}`],
    [
      'traffic',
      `Traffic: ${Math.round(result.tokensPerDay)} tokens/day, of which ${percent(result.servableShare)} servable (${Math.round(result.servableTokensPerDay)} tokens/day at $${result.servableUsdPerMillion.toFixed(3)}/M)`,
    ],
    [
      'breakeven',
      `Break-even: ${tokens(result.breakEvenTokensPerDay)}${result.breakEvenReachable ? '' : ' (more than one box can decode)'}`,
    ],
    [
      'monthly',
      `Monthly: API only ${usd(result.monthly.apiOnly)}, hybrid ${usd(result.monthly.hybrid)}, saving ${usd(result.monthly.savings)}`,
    ],
    ['recommendation', `Recommendation: ${result.recommendation.summary}`],
  ];
  panel.replaceChildren(...lines.map(([key, text]) => element('p', { 'data-field': key }, text)));
}

const PANELS = [
  ['/admin/usage', renderUsage, 'totals-list', true],
  ['/admin/latency', renderLatency, 'latency-table', true],
  ['/admin/requests?limit=50&', renderRequests, 'requests-table', true],
  ['/admin/breakers', renderBreakers, 'breakers-table', false],
  ['/admin/keys', renderKeys, 'keys-table', false],
  ['/admin/capacity', renderCapacity, 'capacity-table', false],
  ['/admin/breakeven', renderBreakeven, 'breakeven', true],
  // outcomes-panel.js
  ['/admin/outcomes', renderOutcomes, 'outcomes', true],
];

async function refresh() {
  const window = document.getElementById('window').value;
  const results = await Promise.allSettled(
    PANELS.map(async ([path, render, id, windowed]) => {
      const url = windowed
        ? `${path}${path.includes('?') ? '' : '?'}window=${encodeURIComponent(window)}`
        : path;
      try {
        render(await getJson(url));
      } catch (error) {
        showProblem(id, error);
        throw error;
      }
    }),
  );
  const failed = results.filter((result) => result.status === 'rejected').length;
  document.getElementById('refreshed').textContent =
    `updated ${new Date().toISOString().slice(11, 19)} UTC${failed ? `, ${failed} panel(s) unavailable` : ''}`;
  document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed ?? 0) + 1);
}

document.getElementById('window').addEventListener('change', () => void refresh());
void refresh();
setInterval(() => void refresh(), REFRESH_MS);
