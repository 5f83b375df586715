import { text } from './ledger-rows.js';
import {
  type Placeholder,
  queryParameters,
  type Statement,
  type WindowQuery,
} from './detail-queries.js';

/**
 * Escalations and the outcome lists of `GET /admin/outcomes`: statements over
 * `ledger_escalations` (migration 9) and `ledger_outcomes` (migration 8), one SQL text for both
 * stores.
 */

/** `cascade`: a failure raised the conversation's rung; `structured-output`: the executor moved on after invalid JSON. */
export type EscalationKind = 'cascade' | 'structured-output';

/** One escalation away from a deployment, for one request. */
export interface LedgerEscalation {
  requestId: string;
  kind: EscalationKind;
  /** The deployment escalated away from. */
  provider: string;
  model: string;
  recordedAt: number;
  apiKeyId?: string | null;
  bucket: string;
  /** `structured-output`: the deployment tried next (absent when none was left). */
  toProvider?: string | null;
  toModel?: string | null;
  /** `cascade`: the rung the conversation was raised to, 1-based. */
  toRung?: number | null;
  /** What caused it (`feedback`, `retry`, `tool-result`, `upstream-error`, `structured-output`). */
  reason?: string | null;
}

export interface EscalationReportRow {
  kind: string;
  provider: string;
  model: string;
  bucket: string;
  /** `provider/model` for structured-output escalations, `rung N` for cascade ones; null when unknown. */
  target: string | null;
  escalations: number;
}

export interface RecentOutcome {
  requestId: string;
  signal: string;
  provider: string;
  model: string;
  recordedAt: number;
  apiKeyId: string | null;
  bucket: string;
  score: number;
  reason: string | null;
  source: string | null;
}

const parameters = (placeholder: Placeholder) =>
  queryParameters<number | string | null>(placeholder);

const optional = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);

/** Insert or replace (the same request, kind and deployment) one escalation. */
export function recordEscalationStatement(
  escalation: LedgerEscalation,
  placeholder: Placeholder,
): Statement {
  const { params, add } = parameters(placeholder);
  const rung = escalation.toRung;
  const values = [
    add(text(escalation.requestId, 200) ?? ''),
    add(escalation.kind),
    add(text(escalation.provider, 200) ?? ''),
    add(text(escalation.model, 200) ?? ''),
    add(Math.round(escalation.recordedAt)),
    add(text(escalation.apiKeyId, 200)),
    add(text(escalation.bucket, 200) ?? ''),
    add(text(escalation.toProvider, 200)),
    add(text(escalation.toModel, 200)),
    add(typeof rung === 'number' && Number.isInteger(rung) ? rung : null),
    add(text(escalation.reason, 100)),
  ];
  return {
    sql: `INSERT INTO ledger_escalations (request_id, kind, provider, model, recorded_at, api_key_id, bucket, to_provider, to_model, to_rung, reason)
      VALUES (${values.join(', ')})
      ON CONFLICT (request_id, kind, provider, model) DO UPDATE SET recorded_at = excluded.recorded_at,
        to_provider = excluded.to_provider, to_model = excluded.to_model, to_rung = excluded.to_rung,
        reason = excluded.reason
      RETURNING request_id`,
    params,
  };
}

/** Escalations in a window per kind, deployment, bucket and target. */
export function escalationReportStatement(query: WindowQuery, placeholder: Placeholder): Statement {
  const { params, add } = parameters(placeholder);
  const from = add(query.from);
  const to = add(query.to);
  return {
    sql: `SELECT kind, provider, model, bucket, to_provider, to_model, to_rung, COUNT(*) AS escalations
      FROM ledger_escalations WHERE recorded_at >= ${from} AND recorded_at < ${to}
      GROUP BY kind, provider, model, bucket, to_provider, to_model, to_rung
      ORDER BY kind, model, provider, bucket, to_model, to_rung`,
    params,
  };
}

export function toEscalationReportRow(row: Record<string, unknown>): EscalationReportRow {
  const toModel = optional(row.to_model);
  const toRung = row.to_rung === null || row.to_rung === undefined ? null : Number(row.to_rung);
  return {
    kind: String(row.kind),
    provider: String(row.provider),
    model: String(row.model),
    bucket: String(row.bucket),
    target:
      toModel !== null
        ? `${optional(row.to_provider) ?? '?'}/${toModel}`
        : toRung !== null
          ? `rung ${toRung}`
          : null,
    escalations: Number(row.escalations),
  };
}

/** The newest outcomes of a window (default 50, at most 1,000), newest first. */
export function recentOutcomesStatement(query: WindowQuery, placeholder: Placeholder): Statement {
  const { params, add } = parameters(placeholder);
  const from = add(query.from);
  const to = add(query.to);
  const limit = add(Math.min(1000, Math.max(1, Math.floor(query.limit ?? 50))));
  return {
    sql: `SELECT request_id, signal, provider, model, recorded_at, api_key_id, bucket, score_milli, reason, source
      FROM ledger_outcomes WHERE recorded_at >= ${from} AND recorded_at < ${to}
      ORDER BY recorded_at DESC, request_id DESC, signal LIMIT ${limit}`,
    params,
  };
}

export function toRecentOutcome(row: Record<string, unknown>): RecentOutcome {
  return {
    requestId: String(row.request_id),
    signal: String(row.signal),
    provider: String(row.provider),
    model: String(row.model),
    recordedAt: Number(row.recorded_at),
    apiKeyId: optional(row.api_key_id),
    bucket: String(row.bucket),
    score: Number(row.score_milli) / 1000,
    reason: optional(row.reason),
    source: optional(row.source),
  };
}
