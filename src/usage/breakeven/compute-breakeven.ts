import type { Price } from '../../registry/catalog-types.js';
import { costOfUsage } from '../cost/cost-of-usage.js';
import { PROMPT_BUCKETS, type PromptBucket, type TrafficRow } from '../ledger/detail-queries.js';

/** Hours in an average month (365 × 24 / 12): monthly figures are daily × 730 / 24. */
export const HOURS_PER_MONTH = 730;
const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

export interface SelfHostedModel {
  /** A label (the catalog model whose quality stands for it, or the operator's name). */
  name: string;
  /** Expected pass@1 percent, on the router's scale (mean of per-language priors). */
  quality: number;
  /** Longest prompt it takes (context window minus room for the answer). */
  maxPromptTokens: number;
}

export interface GpuSpec {
  name: string;
  hourlyUsd: number;
  /** Where the hourly price comes from. */
  source: string;
  /** Output tokens per second per request stream (measured, or given). */
  tokensPerSecond: number;
  /** Streams served at once at that speed (vLLM batches concurrent requests). */
  concurrency: number;
  /** Share of its capacity the box can be kept busy on average (traffic is not flat), 0-1. */
  utilisation: number;
}

export interface BreakevenInput {
  /** Answered, non-cached traffic over the window (ledger.trafficMix). */
  traffic: readonly TrafficRow[];
  /** Length of the window in days. */
  days: number;
  /** Today's API price of a deployment (the catalog), undefined when unknown. */
  priceOf(model: string, provider: string): Price | undefined;
  /** The router's quality estimate for a model (pass@1 percent), undefined when unknown. */
  qualityOf(model: string): number | undefined;
  selfHosted: SelfHostedModel;
  gpu: GpuSpec;
  /** Price the servable traffic at this many USD per million tokens instead of the catalog's (what-if). */
  pricePerMillionOverride?: number;
}

export interface TrafficLine {
  model: string;
  provider: string;
  bucket: PromptBucket;
  requestsPerDay: number;
  tokensPerDay: number;
  outputTokensPerDay: number;
  /** At today's API price (the ledger's recorded cost when the catalog has no price). */
  apiUsdPerDay: number;
  priced: 'catalog' | 'ledger';
  quality: number | null;
  /** Could the self-hosted model serve it: quality at least the served model's, and the prompt fits. */
  servable: boolean;
  why: string;
}

export interface BreakevenResult {
  days: number;
  lines: TrafficLine[];
  tokensPerDay: number;
  apiUsdPerDay: number;
  servableTokensPerDay: number;
  servableShare: number;
  servableApiUsdPerDay: number;
  /** API price of the servable mix, USD per million tokens (input + output). */
  servableUsdPerMillion: number;
  gpu: GpuSpec & { usdPerDay: number; usdPerMonth: number };
  /** Tokens/day (of the servable mix) the box can take: output capacity over the mix's output share. */
  capacityTokensPerDay: number;
  capacityOutputTokensPerDay: number;
  /** Tokens/day of the servable mix at which the box costs what the API would. */
  breakEvenTokensPerDay: number;
  /** Whether one box can serve the break-even volume at all. */
  breakEvenReachable: boolean;
  selfHostedTokensPerDay: number;
  monthly: { apiOnly: number; hybrid: number; savings: number };
  recommendation: { selfHost: boolean; selfHostedShare: number; summary: string };
}

const bucketLimit = (bucket: PromptBucket): number =>
  PROMPT_BUCKETS.find((entry) => entry.name === bucket)?.below ?? Number.POSITIVE_INFINITY;

/**
 * The self-hosting arithmetic over real traffic:
 * - daily GPU cost G = hourly × 24;
 * - servable mix: traffic served by a model no better than the self-hosted one (by the router's
 *   quality estimates) whose prompts fit, at price p per token (today's API prices);
 * - break-even volume = G / p tokens/day;
 * - capacity = tokens/s × concurrency × 86,400 × utilisation output tokens/day, i.e. that over
 *   the mix's output share in tokens/day (prompt prefill is taken as free next to decoding);
 * - hybrid month = GPU month + API cost of what the box does not take.
 */
export function computeBreakeven(input: BreakevenInput): BreakevenResult {
  const days = Math.max(input.days, 1 / 24);
  const { selfHosted, gpu } = input;
  const lines: TrafficLine[] = input.traffic.map((row) => {
    const price = input.priceOf(row.model, row.provider);
    const cost = price
      ? costOfUsage(
          {
            inputTokens: row.inputTokens,
            cachedInputTokens: row.cachedInputTokens,
            outputTokens: row.outputTokens,
          },
          price,
        )
      : undefined;
    const catalogPriced = cost !== undefined && cost.unpriced.length === 0;
    const quality = input.qualityOf(row.model);
    const fits = bucketLimit(row.bucket) <= selfHosted.maxPromptTokens;
    const good = quality !== undefined && quality <= selfHosted.quality;
    const why = !fits
      ? `prompts of ${row.bucket} tokens do not fit in ${selfHosted.maxPromptTokens.toLocaleString('en-US')}`
      : quality === undefined
        ? 'no quality estimate for the served model'
        : good
          ? `served by a model of expected quality ${quality.toFixed(1)} ≤ ${selfHosted.quality.toFixed(1)}`
          : `needs quality ${quality.toFixed(1)} > ${selfHosted.quality.toFixed(1)}`;
    return {
      model: row.model,
      provider: row.provider,
      bucket: row.bucket,
      requestsPerDay: row.requests / days,
      tokensPerDay: (row.inputTokens + row.outputTokens) / days,
      outputTokensPerDay: row.outputTokens / days,
      apiUsdPerDay: (catalogPriced ? cost.costUsd : row.costUsd) / days,
      priced: catalogPriced ? 'catalog' : 'ledger',
      quality: quality ?? null,
      servable: fits && good,
      why,
    };
  });
  const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);
  const servable = lines.filter((line) => line.servable);
  const tokensPerDay = sum(lines.map((line) => line.tokensPerDay));
  const apiUsdPerDay = sum(lines.map((line) => line.apiUsdPerDay));
  const servableTokensPerDay = sum(servable.map((line) => line.tokensPerDay));
  const servableOutputPerDay = sum(servable.map((line) => line.outputTokensPerDay));
  const servableApiUsdPerDay =
    input.pricePerMillionOverride === undefined
      ? sum(servable.map((line) => line.apiUsdPerDay))
      : (servableTokensPerDay / 1e6) * input.pricePerMillionOverride;
  const servableUsdPerMillion =
    input.pricePerMillionOverride ??
    (servableTokensPerDay > 0 ? (servableApiUsdPerDay / servableTokensPerDay) * 1e6 : 0);

  const usdPerDay = gpu.hourlyUsd * 24;
  const capacityOutputTokensPerDay =
    gpu.tokensPerSecond * gpu.concurrency * 86_400 * gpu.utilisation;
  // Without traffic, a third of tokens are taken as output (a typical coding-assistant mix).
  const outputShare =
    servableTokensPerDay > 0 && servableOutputPerDay > 0
      ? servableOutputPerDay / servableTokensPerDay
      : 1 / 3;
  const capacityTokensPerDay = capacityOutputTokensPerDay / outputShare;
  const breakEvenTokensPerDay =
    servableUsdPerMillion > 0
      ? (usdPerDay / servableUsdPerMillion) * 1e6
      : Number.POSITIVE_INFINITY;
  const selfHostedTokensPerDay = Math.min(servableTokensPerDay, capacityTokensPerDay);
  const apiOnly =
    (input.pricePerMillionOverride === undefined
      ? apiUsdPerDay
      : apiUsdPerDay - sum(servable.map((line) => line.apiUsdPerDay)) + servableApiUsdPerDay) *
    DAYS_PER_MONTH;
  const hybrid =
    gpu.hourlyUsd * HOURS_PER_MONTH +
    apiOnly -
    (selfHostedTokensPerDay / 1e6) * servableUsdPerMillion * DAYS_PER_MONTH;
  const selfHost = hybrid < apiOnly;
  const selfHostedShare = selfHost && tokensPerDay > 0 ? selfHostedTokensPerDay / tokensPerDay : 0;
  const summary = selfHost
    ? `Self-host: send ${(selfHostedShare * 100).toFixed(1)}% of tokens (${round(selfHostedTokensPerDay)}/day, the servable traffic${selfHostedTokensPerDay < servableTokensPerDay ? " up to the box's capacity" : ''}) to ${selfHosted.name} on ${gpu.name}, the rest to the APIs: saves $${(apiOnly - hybrid).toFixed(2)}/month.`
    : servableTokensPerDay === 0
      ? `Stay on the APIs: no traffic in the window could be served by ${selfHosted.name}.`
      : `Stay on the APIs: the servable traffic (${round(servableTokensPerDay)} tokens/day at $${servableUsdPerMillion.toFixed(2)}/M) is below the break-even of ${round(breakEvenTokensPerDay)} tokens/day${breakEvenTokensPerDay > capacityTokensPerDay ? `, which one box cannot serve anyway (capacity ${round(capacityTokensPerDay)} tokens/day)` : ''}.`;
  return {
    days: input.days,
    lines,
    tokensPerDay,
    apiUsdPerDay,
    servableTokensPerDay,
    servableShare: tokensPerDay > 0 ? servableTokensPerDay / tokensPerDay : 0,
    servableApiUsdPerDay,
    servableUsdPerMillion,
    gpu: { ...gpu, usdPerDay, usdPerMonth: gpu.hourlyUsd * HOURS_PER_MONTH },
    capacityTokensPerDay,
    capacityOutputTokensPerDay,
    breakEvenTokensPerDay,
    breakEvenReachable: breakEvenTokensPerDay <= capacityTokensPerDay,
    selfHostedTokensPerDay,
    monthly: { apiOnly, hybrid, savings: apiOnly - hybrid },
    recommendation: { selfHost, selfHostedShare, summary },
  };
}

function round(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '∞';
}
