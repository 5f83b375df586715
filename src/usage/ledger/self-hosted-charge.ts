import type { Placeholder, Statement, TimeSlot } from './detail-queries.js';
import type { GroupDimension, UsageReport } from './ledger.js';
import { DAY_MS } from './ledger-rows.js';

/**
 * What a self-hosted box costs in the savings figures (docs/breakeven.md, "Self-hosted requests
 * in the savings"; ADR 0022). A deployment with `hourly_usd` has no token price, so its requests
 * cost $0 and would count as wholly saved against the reference model. Instead, each UTC hour the
 * box served anything costs its `hourly_usd` (the running hour: the part of it elapsed so far),
 * shared among that hour's requests on the box by their tokens (input + output). The share of a
 * request that carries a reference cost comes off the routing saving; every share is reported as
 * `selfHostedUsd`. An hour in which the box served nothing is charged to no request.
 */

export const HOUR_MS = 3_600_000;

/** A self-hosted deployment and its hourly price. */
export interface SelfHostedPrice {
  provider: string;
  model: string;
  hourlyUsd: number;
}

/** Tokens a box served, per UTC hour and grouping values. */
export interface SelfHostedTokens {
  hour: number;
  provider: string;
  model: string;
  apiKeyId: string | null;
  /** Slot index (`started_at / slotMs`) when asked for; else null. */
  slot: number | null;
  /** Every answered-by-the-box token of the hour (inside the window or not): the divisor. */
  tokens: number;
  /** Tokens of requests inside the window. */
  windowTokens: number;
  /** Tokens of requests inside the window that carry a reference cost. */
  referencedTokens: number;
}

/** The charge of one group: every share, and the shares of requests with a reference cost. */
export interface SelfHostedCharge {
  usd: number;
  referencedUsd: number;
}

/**
 * Tokens per hour of the given boxes, over the whole UTC hours the window touches (the hour's
 * tokens outside the window still divide its cost). Cache hits did not use the box.
 */
export function selfHostedTokensStatement(
  query: { from: number; to: number; prices: readonly SelfHostedPrice[]; slotMs?: number },
  placeholder: Placeholder,
): Statement {
  const params: Array<number | string> = [];
  const add = (value: number | string): string => {
    params.push(value);
    return placeholder(params.length);
  };
  // A placeholder per use: SQLite's `?` binds in order.
  const inWindow = () => `started_at >= ${add(query.from)} AND started_at < ${add(query.to)}`;
  const windowTokens = inWindow();
  const referencedTokens = inWindow();
  const hourFrom = add(Math.floor(query.from / HOUR_MS) * HOUR_MS);
  const hourTo = add(Math.ceil(query.to / HOUR_MS) * HOUR_MS);
  const boxes = query.prices
    .map((price) => `(provider = ${add(price.provider)} AND model = ${add(price.model)})`)
    .join(' OR ');
  const slot =
    query.slotMs === undefined ? '' : `, started_at / ${Math.max(1000, Math.floor(query.slotMs))}`;
  const sql = `SELECT started_at / ${HOUR_MS} AS hour_slot, provider, model, api_key_id${slot === '' ? '' : `${slot} AS slot`},
      SUM(input_tokens + output_tokens) AS tokens,
      SUM(CASE WHEN ${windowTokens} THEN input_tokens + output_tokens ELSE 0 END) AS window_tokens,
      SUM(CASE WHEN ${referencedTokens} AND reference_cost_nano_usd IS NOT NULL THEN input_tokens + output_tokens ELSE 0 END) AS referenced_tokens
    FROM ledger_requests
    WHERE started_at >= ${hourFrom} AND started_at < ${hourTo} AND cache_status NOT IN ('hit', 'shared')
      AND (${boxes === '' ? '1 = 0' : boxes})
    GROUP BY started_at / ${HOUR_MS}, provider, model, api_key_id${slot}`;
  return { sql, params };
}

export function toSelfHostedTokens(row: Record<string, unknown>): SelfHostedTokens {
  return {
    hour: Number(row.hour_slot),
    provider: String(row.provider),
    model: String(row.model),
    apiKeyId:
      row.api_key_id === null || row.api_key_id === undefined ? null : String(row.api_key_id),
    slot: row.slot === null || row.slot === undefined ? null : Number(row.slot),
    tokens: Number(row.tokens ?? 0),
    windowTokens: Number(row.window_tokens ?? 0),
    referencedTokens: Number(row.referenced_tokens ?? 0),
  };
}

/**
 * Each row's share of its box-hour's cost, summed per group (`groupOf` names a row's group).
 * The running hour costs only its elapsed part (up to `now`).
 */
export function chargeSelfHosted(
  rows: readonly SelfHostedTokens[],
  prices: readonly SelfHostedPrice[],
  now: number,
  groupOf: (row: SelfHostedTokens) => string,
): Map<string, SelfHostedCharge> {
  const hourly = new Map(prices.map((price) => [boxKey(price), price.hourlyUsd]));
  const hourTokens = new Map<string, number>();
  for (const row of rows) {
    const key = `${boxKey(row)}\u0000${row.hour}`;
    hourTokens.set(key, (hourTokens.get(key) ?? 0) + row.tokens);
  }
  const charges = new Map<string, SelfHostedCharge>();
  for (const row of rows) {
    if (row.windowTokens === 0) continue;
    const total = hourTokens.get(`${boxKey(row)}\u0000${row.hour}`) ?? 0;
    const price = hourly.get(boxKey(row)) ?? 0;
    if (total <= 0 || price <= 0) continue;
    const elapsed = Math.min(1, Math.max(0, (now - row.hour * HOUR_MS) / HOUR_MS));
    const hourCost = price * elapsed;
    const group = groupOf(row);
    const charge = charges.get(group) ?? { usd: 0, referencedUsd: 0 };
    charge.usd += (hourCost * row.windowTokens) / total;
    charge.referencedUsd += (hourCost * row.referencedTokens) / total;
    charges.set(group, charge);
  }
  return charges;
}

function boxKey(box: { provider: string; model: string }): string {
  return `${box.provider}/${box.model}`;
}

/** Rounded to the nano-dollar, as the ledger's own sums are. */
export function roundUsd(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

interface Charged {
  savedByRoutingUsd: number;
  selfHostedUsd: number;
}

/** Takes each charge off its figures (`keyOf` names the figures' group, as `groupOf` names a row's). */
function applyCharges<Figures extends Charged>(
  figures: readonly Figures[],
  charges: Map<string, SelfHostedCharge>,
  keyOf: (figures: Figures) => string,
): void {
  for (const item of figures) {
    const charge = charges.get(keyOf(item));
    if (!charge) continue;
    item.selfHostedUsd = roundUsd(item.selfHostedUsd + charge.usd);
    item.savedByRoutingUsd = roundUsd(item.savedByRoutingUsd - charge.referencedUsd);
  }
}

/** A report's rows and totals, charged the boxes' hours (rows grouped as the report is). */
export function chargeReport(
  report: UsageReport,
  rows: readonly SelfHostedTokens[],
  prices: readonly SelfHostedPrice[],
  now: number,
): UsageReport {
  const values = (row: SelfHostedTokens): Record<GroupDimension, string | null> => ({
    model: row.model,
    provider: row.provider,
    key: row.apiKeyId,
    day: new Date(Math.floor((row.hour * HOUR_MS) / DAY_MS) * DAY_MS).toISOString().slice(0, 10),
  });
  const groupKey = (group: Partial<Record<GroupDimension, string | null>>) =>
    report.groupBy.map((dimension) => group[dimension] ?? '').join('\u0000');
  applyCharges(
    report.rows,
    chargeSelfHosted(rows, prices, now, (row) => groupKey(values(row))),
    (row) => groupKey(row.group),
  );
  applyCharges(
    [report.totals],
    chargeSelfHosted(rows, prices, now, () => ''),
    () => '',
  );
  return report;
}

/** Time slots charged the boxes' hours (rows queried with the same `slotMs`). */
export function chargeSlots(
  slots: readonly TimeSlot[],
  rows: readonly SelfHostedTokens[],
  prices: readonly SelfHostedPrice[],
  now: number,
  slotMs: number,
): readonly TimeSlot[] {
  const step = Math.max(1000, Math.floor(slotMs));
  applyCharges(
    slots,
    chargeSelfHosted(rows, prices, now, (row) => String((row.slot ?? 0) * step)),
    (slot) => String(slot.start),
  );
  return slots;
}
