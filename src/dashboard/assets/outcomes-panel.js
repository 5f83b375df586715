// The dashboard's outcomes and escalations panel, from GET /admin/outcomes (docs/dashboard.md):
// a summary sentence and four tables — per deployment and bucket, per signal (explicit feedback
// apart from each implicit signal), escalations, the newest outcomes. Uses dashboard.js's helpers
// (element, fillTable, count, time), which are in the page's global scope by the time it runs.

const score = (value) => (value === null || value === undefined ? '—' : Number(value).toFixed(3));

const tallyColumns = [
  { label: 'Outcomes', value: (row) => count(row.outcomes), number: true, key: 'outcomes' },
  { label: 'Passed', value: (row) => count(row.passed), number: true, key: 'passed' },
  { label: 'Failed', value: (row) => count(row.failed), number: true, key: 'failed' },
  { label: 'Mean score', value: (row) => score(row.score_mean), number: true, key: 'score_mean' },
];

// biome-ignore lint/correctness/noUnusedVariables: called by dashboard.js
function renderOutcomes(answer) {
  const panel = document.getElementById('outcomes');
  const totals = answer.totals;
  const escalations = answer.escalations;
  const summary = element('dl', { id: 'outcomes-summary' });
  for (const [key, label, value] of [
    ['outcomes', 'Outcomes', count(totals.outcomes)],
    ['passed', 'Passed', count(totals.passed)],
    ['failed', 'Failed', count(totals.failed)],
    ['score_mean', 'Mean score', score(totals.score_mean)],
    ['escalations', 'Escalations', count(escalations.total)],
    ['cascade', 'Cascade rung raises', count(escalations.cascade)],
    ['structured_output', 'Invalid-JSON escalations', count(escalations.structured_output)],
  ]) {
    const item = element('div', { 'data-figure': key });
    item.append(element('dt', {}, label), element('dd', {}, value));
    summary.append(item);
  }
  const tables = [
    ['Per deployment and bucket', 'outcomes-deployments-table'],
    [
      'Per signal (feedback is the client’s own; the others are implicit)',
      'outcomes-signals-table',
    ],
    ['Escalations', 'escalations-table'],
    ['Newest outcomes', 'recent-outcomes-table'],
  ];
  panel.replaceChildren(
    summary,
    ...tables.flatMap(([title, id]) => [element('h3', {}, title), element('table', { id })]),
  );
  const none = 'No outcomes recorded in this window (POST /v1/feedback, or the implicit signals).';
  fillTable(
    'outcomes-deployments-table',
    [
      { label: 'Deployment', value: (row) => row.deployment, key: 'deployment' },
      { label: 'Bucket', value: (row) => row.bucket, key: 'bucket' },
      ...tallyColumns,
    ],
    answer.deployments,
    none,
  );
  fillTable(
    'outcomes-signals-table',
    [
      { label: 'Signal', value: (row) => row.signal, key: 'signal' },
      {
        label: 'Source',
        value: (row) => (row.explicit ? 'client feedback' : 'implicit'),
        key: 'source',
      },
      ...tallyColumns,
    ],
    answer.signals,
    none,
  );
  fillTable(
    'escalations-table',
    [
      {
        label: 'Kind',
        value: (row) => (row.kind === 'cascade' ? 'cascade rung raise' : 'invalid JSON'),
        key: 'kind',
      },
      { label: 'From', value: (row) => row.deployment, key: 'deployment' },
      { label: 'Bucket', value: (row) => row.bucket, key: 'bucket' },
      { label: 'To', value: (row) => row.target ?? '(none left)', key: 'target' },
      {
        label: 'Escalations',
        value: (row) => count(row.escalations),
        number: true,
        key: 'escalations',
      },
    ],
    escalations.data,
    'No escalations in this window.',
  );
  fillTable(
    'recent-outcomes-table',
    [
      { label: 'Time (UTC)', value: (row) => time(row.recorded_at), key: 'time' },
      { label: 'Request id', value: (row) => row.request_id, key: 'request_id' },
      { label: 'Signal', value: (row) => row.signal, key: 'signal' },
      { label: 'Deployment', value: (row) => row.deployment, key: 'deployment' },
      { label: 'Bucket', value: (row) => row.bucket, key: 'bucket' },
      {
        label: 'Score',
        value: (row) => `${score(row.score)} ${row.passed ? 'pass' : 'fail'}`,
        number: true,
        key: 'score',
      },
      { label: 'Source', value: (row) => row.source ?? '—', key: 'label' },
      { label: 'Reason', value: (row) => row.reason ?? '—', key: 'reason' },
    ],
    answer.recent,
    none,
  );
}
