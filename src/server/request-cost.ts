import type { Price } from '../registry/catalog-types.js';
import type { CanonicalRequest } from '../spec/request.js';
import type { Usage } from '../spec/response.js';
import { costOfUsage } from '../usage/cost/cost-of-usage.js';
import { estimateUsage } from '../usage/cost/estimate-usage.js';
import type { RequestRecord } from './request-record.js';

/** Approximate characters per token, for answers whose usage the provider did not report. */
const CHARACTERS_PER_OUTPUT_TOKEN = 4;

/**
 * Fills the record's usage and cost once the upstream answer is complete. Reported usage is
 * priced as is; without it, usage is estimated (prompt with a real tokenizer, the answer from
 * its length) and marked estimated. An unknown price leaves the cost undefined.
 */
export function settleCost(record: RequestRecord, request: CanonicalRequest, reported: Usage | undefined, price: Price | undefined, answerCharacters: number): void {
  let usage = reported;
  let estimated = false;
  if (usage === undefined) {
    const estimate = estimateUsage(request).usage;
    usage = { ...estimate, outputTokens: Math.ceil(answerCharacters / CHARACTERS_PER_OUTPUT_TOKEN) };
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
  return record.costUsd === 0 ? '0' : record.costUsd.toFixed(8).replace(/0+$/, '').replace(/\.$/, '');
}
