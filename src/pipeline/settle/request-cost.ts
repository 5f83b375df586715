import type { Price } from '../../registry/catalog-types.js';
import type { CanonicalRequest } from '../../core/request.js';
import type { Usage } from '../../core/response.js';
import { costOfUsage } from '../../usage/cost/cost-of-usage.js';
import { estimateUsage } from '../../usage/cost/estimate-usage.js';
import type { RequestRecord } from '../request-record.js';

/** Approximate characters per token, for answers whose usage the provider did not report. */
const CHARACTERS_PER_OUTPUT_TOKEN = 4;

/**
 * Fills the record's usage and cost once the upstream answer is complete. Reported usage is
 * priced as is; without it, usage is estimated (prompt with a real tokenizer, the answer from
 * its length) and marked estimated. An unknown price leaves the cost undefined.
 */
export function settleCost(
  record: RequestRecord,
  request: CanonicalRequest,
  reported: Usage | undefined,
  price: Price | undefined,
  answerCharacters: number,
): void {
  let usage = reported;
  let estimated = false;
  if (usage === undefined) {
    const estimate = estimateUsage(request).usage;
    usage = {
      ...estimate,
      outputTokens: Math.ceil(answerCharacters / CHARACTERS_PER_OUTPUT_TOKEN),
    };
    estimated = true;
  }
  record.usage = usage;
  record.costEstimated = estimated;
  if (price === undefined) return;
  const cost = costOfUsage(usage, price, { estimated });
  record.costUsd = cost.unpriced.length === 0 ? cost.costUsd : undefined;
}

/** The `x-switchyard-cost-usd` value: USD with enough digits for sub-cent requests, or "unknown". */
export function formatCost(record: RequestRecord): string {
  if (record.costUsd === undefined) return 'unknown';
  if (record.costUsd === 0) return '0';
  // toFixed(8) without its trailing zeros (and a bare trailing point), without regular expressions: this runs per request.
  const fixed = record.costUsd.toFixed(8);
  let end = fixed.length;
  while (end > 0 && fixed.charCodeAt(end - 1) === 48 /* 0 */) end -= 1;
  if (end > 0 && fixed.charCodeAt(end - 1) === 46 /* . */) end -= 1;
  return fixed.slice(0, end);
}
