import { text } from './ledger-rows.js';
import {
  type Placeholder,
  queryParameters,
  type Statement,
  type WindowQuery,
} from './detail-queries.js';

/** Where an outcome came from: the client's feedback, or a signal the gateway saw itself. */
export type OutcomeSignal =
  | 'feedback'
  | 'structured-output'
  | 'upstream-error'
  | 'retry'
  | 'tool-result';

/**
 * How much one outcome counts in the quality model: 1, except a pass the gateway inferred from a
 * tool result (signal `tool-result`, score ≥ 0.5), which counts `INFERRED_PASS_WEIGHT` — a
 * passing run is weaker evidence than a failing one (the tests may not cover the change, the
 * answer may not be what made them pass). ADR 0024 and docs/routing.md give the measurement.
 */
export const INFERRED_PASS_WEIGHT = 0.5;

export function outcomeWeight(signal: OutcomeSignal, score: number): number {
  return signal === 'tool-result' && score >= 0.5 ? INFERRED_PASS_WEIGHT : 1;
}

/** One answer's outcome, for the deployment that gave it. */
export interface LedgerOutcome {
  requestId: string;
  signal: OutcomeSignal;
  provider: string;
  model: string;
  recordedAt: number;
  apiKeyId?: string | null;
  /** The quality model's request bucket of the request. */
  bucket: string;
  /** 0 (failed) … 1 (passed). */
  score: number;
  reason?: string | null;
  /** The client's own label (`pytest`, `ci`…), or the rule that fired for implicit signals. */
  source?: string | null;
}

export interface OutcomeEvidence {
  provider: string;
  model: string;
  bucket: string;
  successes: number;
  failures: number;
}

export interface OutcomeReportRow {
  provider: string;
  model: string;
  bucket: string;
  signal: string;
  outcomes: number;
  /** Sum of scores: passes count 1, failures 0. */
  passed: number;
  /** Outcomes scored 0.5 or more (a pass); the others are failures. */
  passCount: number;
}

export interface FoundRequest {
  requestId: string;
  startedAt: number;
  apiKeyId: string | null;
  model: string | null;
  provider: string | null;
  bucket: string | null;
}

const parameters = (placeholder: Placeholder) =>
  queryParameters<number | string | null>(placeholder);

/** Insert or replace (the same request, signal and deployment) one outcome. */
export function recordOutcomeStatement(
  outcome: LedgerOutcome,
  placeholder: Placeholder,
): Statement {
  const { params, add } = parameters(placeholder);
  const score = Math.round(
    Math.min(1, Math.max(0, Number.isFinite(outcome.score) ? outcome.score : 0)) * 1000,
  );
  const values = [
    add(text(outcome.requestId, 200) ?? ''),
    add(outcome.signal),
    add(text(outcome.provider, 200) ?? ''),
    add(text(outcome.model, 200) ?? ''),
    add(Math.round(outcome.recordedAt)),
    add(text(outcome.apiKeyId, 200)),
    add(text(outcome.bucket, 200) ?? ''),
    add(score),
    add(text(outcome.reason, 500)),
    add(text(outcome.source, 100)),
  ];
  return {
    sql: `INSERT INTO ledger_outcomes (request_id, signal, provider, model, recorded_at, api_key_id, bucket, score_milli, reason, source)
      VALUES (${values.join(', ')})
      ON CONFLICT (request_id, signal, provider, model) DO UPDATE SET recorded_at = excluded.recorded_at,
        score_milli = excluded.score_milli, reason = excluded.reason, source = excluded.source
      RETURNING request_id`,
    params,
  };
}

/** Per deployment and bucket: summed scores, where a request's client feedback hides its implicit signals. */
export function outcomeEvidenceStatement(since: number, placeholder: Placeholder): Statement {
  const { params, add } = parameters(placeholder);
  const from = add(Math.round(since));
  const weight = `(CASE WHEN o.signal = 'tool-result' AND o.score_milli >= 500 THEN ${Math.round(INFERRED_PASS_WEIGHT * 1000)} ELSE 1000 END)`;
  return {
    // Each outcome weighted (in thousandths) as `outcomeWeight` says.
    sql: `SELECT o.provider, o.model, o.bucket, SUM(o.score_milli * ${weight}) AS passed_micro,
        SUM(${weight}) AS outcomes_milli
      FROM ledger_outcomes o
      WHERE o.recorded_at >= ${from}
        AND (o.signal = 'feedback' OR NOT EXISTS (
          SELECT 1 FROM ledger_outcomes f WHERE f.request_id = o.request_id AND f.signal = 'feedback'
            AND f.provider = o.provider AND f.model = o.model))
      GROUP BY o.provider, o.model, o.bucket`,
    params,
  };
}

export function toOutcomeEvidence(row: Record<string, unknown>): OutcomeEvidence {
  const outcomes = Number(row.outcomes_milli) / 1000;
  const passed = Number(row.passed_micro) / 1_000_000;
  return {
    provider: String(row.provider),
    model: String(row.model),
    bucket: String(row.bucket),
    successes: passed,
    failures: Math.max(0, outcomes - passed),
  };
}

export function outcomeReportStatement(query: WindowQuery, placeholder: Placeholder): Statement {
  const { params, add } = parameters(placeholder);
  const from = add(query.from);
  const to = add(query.to);
  return {
    sql: `SELECT provider, model, bucket, signal, COUNT(*) AS outcomes, SUM(score_milli) AS passed_milli,
        SUM(CASE WHEN score_milli >= 500 THEN 1 ELSE 0 END) AS pass_count
      FROM ledger_outcomes WHERE recorded_at >= ${from} AND recorded_at < ${to}
      GROUP BY provider, model, bucket, signal ORDER BY model, provider, bucket, signal`,
    params,
  };
}

export function toOutcomeReportRow(row: Record<string, unknown>): OutcomeReportRow {
  return {
    provider: String(row.provider),
    model: String(row.model),
    bucket: String(row.bucket),
    signal: String(row.signal),
    outcomes: Number(row.outcomes),
    passed: Number(row.passed_milli) / 1000,
    passCount: Number(row.pass_count),
  };
}

export function findRequestStatement(
  requestId: string,
  since: number,
  placeholder: Placeholder,
): Statement {
  const { params, add } = parameters(placeholder);
  const from = add(Math.round(since));
  const id = add(requestId);
  return {
    sql: `SELECT request_id, started_at, api_key_id, model, provider, bucket FROM ledger_requests
      WHERE started_at >= ${from} AND request_id = ${id} ORDER BY started_at DESC LIMIT 1`,
    params,
  };
}

export function toFoundRequest(row: Record<string, unknown>): FoundRequest {
  const optional = (value: unknown): string | null =>
    value === null || value === undefined ? null : String(value);
  return {
    requestId: String(row.request_id),
    startedAt: Number(row.started_at),
    apiKeyId: optional(row.api_key_id),
    model: optional(row.model),
    provider: optional(row.provider),
    bucket: optional(row.bucket),
  };
}
