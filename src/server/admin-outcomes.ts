import type { Ledger, OutcomeReportRow } from '../usage/ledger/ledger.js';

/** Outcome counts of a group: passes (score ≥ 0.5), failures, mean score. */
interface Tally {
  outcomes: number;
  passed: number;
  failed: number;
  score_mean: number | null;
}

function tally(rows: readonly OutcomeReportRow[]): Tally {
  const outcomes = rows.reduce((sum, row) => sum + row.outcomes, 0);
  const passed = rows.reduce((sum, row) => sum + row.passCount, 0);
  const scores = rows.reduce((sum, row) => sum + row.passed, 0);
  return {
    outcomes,
    passed,
    failed: outcomes - passed,
    score_mean: outcomes === 0 ? null : Math.round((scores / outcomes) * 1000) / 1000,
  };
}

function groupBy<Row>(rows: readonly Row[], key: (row: Row) => string): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const name = key(row);
    const group = groups.get(name);
    if (group) group.push(row);
    else groups.set(name, [row]);
  }
  return groups;
}

/**
 * `GET /admin/outcomes`: the answer outcomes and escalations the learning router recorded in a
 * window (docs/dashboard.md): counts per deployment, bucket and signal, per deployment and
 * bucket, per signal, the escalations, and the newest outcomes (`limit`, default 20).
 */
export async function outcomesAnswer(
  ledger: Ledger,
  query: URLSearchParams,
  from: number,
  to: number,
): Promise<Record<string, unknown>> {
  const limit = Number(query.get('limit') ?? 20);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new RangeError('limit must be an integer from 1 to 1000');
  const [rows, escalations, recent] = await Promise.all([
    ledger.outcomeReport({ from, to }),
    ledger.escalationReport({ from, to }),
    ledger.recentOutcomes({ from, to, limit }),
  ]);
  const deployments = groupBy(rows, (row) => `${row.provider}/${row.model}\u0000${row.bucket}`);
  const byKind = (kind: string) =>
    escalations.filter((row) => row.kind === kind).reduce((sum, row) => sum + row.escalations, 0);
  return {
    totals: {
      ...tally(rows),
      escalations: escalations.reduce((sum, row) => sum + row.escalations, 0),
    },
    data: rows.map((row) => ({
      deployment: `${row.provider}/${row.model}`,
      provider: row.provider,
      model: row.model,
      bucket: row.bucket,
      signal: row.signal,
      explicit: row.signal === 'feedback',
      ...tally([row]),
    })),
    deployments: [...deployments.values()].map((group) => ({
      deployment: `${group[0]!.provider}/${group[0]!.model}`,
      provider: group[0]!.provider,
      model: group[0]!.model,
      bucket: group[0]!.bucket,
      ...tally(group),
    })),
    signals: [...groupBy(rows, (row) => row.signal).entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([signal, group]) => ({ signal, explicit: signal === 'feedback', ...tally(group) })),
    escalations: {
      total: escalations.reduce((sum, row) => sum + row.escalations, 0),
      cascade: byKind('cascade'),
      structured_output: byKind('structured-output'),
      data: escalations.map((row) => ({
        kind: row.kind,
        deployment: `${row.provider}/${row.model}`,
        provider: row.provider,
        model: row.model,
        bucket: row.bucket,
        target: row.target,
        escalations: row.escalations,
      })),
    },
    recent: recent.map((row) => ({
      request_id: row.requestId,
      recorded_at: new Date(row.recordedAt).toISOString(),
      signal: row.signal,
      deployment: `${row.provider}/${row.model}`,
      bucket: row.bucket,
      score: row.score,
      passed: row.score >= 0.5,
      reason: row.reason,
      source: row.source,
      key_id: row.apiKeyId,
    })),
  };
}
