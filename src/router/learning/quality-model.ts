import type { CandidatePosterior } from '../../core/route.js';
import { sampleBeta } from './sample-beta.js';

/** How the quality model weighs priors and evidence, and what exploration may cost (`routing.learning`). */
export interface LearningSettings {
  /** Pseudo-outcomes the registry prior is worth (default 4). */
  priorStrength: number;
  /** Weight of a deployment's outcomes in other buckets (default 0.25). */
  poolWeight: number;
  /** Below this many outcomes (bucket + pooled), a candidate is explored by Thompson draws (default 20). */
  exploreBelow: number;
  /** Most that exploration may add to predicted spend, as a share of it (default 0.05). */
  explorationCostShare: number;
  /** Most plans that may explore, as a share of all plans, cheaper explorations included (default 0.05). */
  explorationShare: number;
  /** Reasoning models compete only for requests at least this difficult (default 0.7). */
  reasoningMinDifficulty: number;
  /** A repeat of the same prompt by the same key within this window marks the earlier answer failed (default 10 min). */
  retryWindowMs: number;
  /** How long a conversation's cascade rung is remembered (default 1 h). */
  sessionTtlMs: number;
  /** Re-read the outcomes from the ledger this often, so replicas converge (0 = only at start; default 60 s). */
  refreshMs: number;
  /** Outcomes older than this are not read back from the ledger (default 30 days). */
  historyMs: number;
}

export const LEARNING_DEFAULTS: LearningSettings = {
  priorStrength: 4,
  poolWeight: 0.25,
  exploreBelow: 20,
  explorationCostShare: 0.05,
  explorationShare: 0.05,
  reasoningMinDifficulty: 0.7,
  retryWindowMs: 600_000,
  sessionTtlMs: 3_600_000,
  refreshMs: 60_000,
  historyMs: 30 * 86_400_000,
};

/** Summed outcomes: a score s in 0…1 adds s successes and 1 − s failures. */
export interface Evidence {
  successes: number;
  failures: number;
}

/** One group of outcomes as the ledger sums them. */
export interface EvidenceRow extends Evidence {
  /** Deployment key, `provider/model`. */
  key: string;
  bucket: string;
}

/**
 * Per deployment and request bucket, a Beta posterior of success. The prior is the registry's
 * expected pass@1 for the request (its language and difficulty) worth `priorStrength` outcomes;
 * the evidence is the outcomes recorded in the bucket, plus the deployment's outcomes in other
 * buckets at `poolWeight` (a new bucket starts from what the deployment showed elsewhere).
 * Rebuilt from the ledger at start (`replaceAll`), so every replica reading the same ledger agrees.
 */
export class QualityModel {
  private readonly buckets = new Map<string, Map<string, Evidence>>();
  private readonly totals = new Map<string, Evidence>();
  private plannedUsd = 0;
  private explorationUsd = 0;
  private plans = 0;
  private explorations = 0;

  constructor(readonly settings: LearningSettings = LEARNING_DEFAULTS) {}

  /** Adds (weight 1) or removes (weight −1) one outcome of `score` (0 = failed … 1 = passed). */
  add(key: string, bucket: string, score: number, weight = 1): void {
    let byBucket = this.buckets.get(key);
    if (byBucket === undefined) {
      byBucket = new Map();
      this.buckets.set(key, byBucket);
    }
    const evidence = byBucket.get(bucket) ?? { successes: 0, failures: 0 };
    evidence.successes = Math.max(0, evidence.successes + score * weight);
    evidence.failures = Math.max(0, evidence.failures + (1 - score) * weight);
    byBucket.set(bucket, evidence);
    const total = this.totals.get(key) ?? { successes: 0, failures: 0 };
    total.successes = Math.max(0, total.successes + score * weight);
    total.failures = Math.max(0, total.failures + (1 - score) * weight);
    this.totals.set(key, total);
  }

  /** Replaces all evidence (a rebuild from the ledger). */
  replaceAll(rows: Iterable<EvidenceRow>): void {
    this.buckets.clear();
    this.totals.clear();
    for (const row of rows) {
      const evidence = { successes: row.successes, failures: row.failures };
      let byBucket = this.buckets.get(row.key);
      if (byBucket === undefined) {
        byBucket = new Map();
        this.buckets.set(row.key, byBucket);
      }
      const existing = byBucket.get(row.bucket);
      byBucket.set(
        row.bucket,
        existing
          ? {
              successes: existing.successes + evidence.successes,
              failures: existing.failures + evidence.failures,
            }
          : evidence,
      );
      const total = this.totals.get(row.key) ?? { successes: 0, failures: 0 };
      total.successes += evidence.successes;
      total.failures += evidence.failures;
      this.totals.set(row.key, total);
    }
  }

  /** True once any outcome was recorded: exploration only makes sense while outcomes come in. */
  get learning(): boolean {
    return this.totals.size > 0;
  }

  /** Every (deployment, bucket) with evidence, for reports and tests. */
  evidence(): EvidenceRow[] {
    const rows: EvidenceRow[] = [];
    for (const [key, byBucket] of this.buckets)
      for (const [bucket, evidence] of byBucket) rows.push({ key, bucket, ...evidence });
    return rows;
  }

  /**
   * The outcomes behind `key` in `bucket` as the posterior weighs them: the bucket's in full, the
   * deployment's others at `poolWeight`.
   */
  weighedEvidence(key: string, bucket: string): Evidence {
    const inBucket = this.buckets.get(key)?.get(bucket) ?? { successes: 0, failures: 0 };
    const total = this.totals.get(key) ?? { successes: 0, failures: 0 };
    const pool = this.settings.poolWeight;
    return {
      successes: inBucket.successes + pool * Math.max(0, total.successes - inBucket.successes),
      failures: inBucket.failures + pool * Math.max(0, total.failures - inBucket.failures),
    };
  }

  /**
   * How far measured success lies from the registry figures, for a set of candidates with their
   * registry priors (0…1), one offset per candidate: the mean, over the *other* candidates with
   * outcomes, of each one's gap (measured rate − prior, shrunk towards 0 by `priorStrength`
   * outcomes); 0 until at least two others have outcomes (one model failing says more about that
   * model than about the traffic). A candidate's own outcomes already count in its posterior.
   * Registry pass@1 figures come from other benchmarks than the gateway's traffic
   * (HumanEval-style figures bunch at 75–93); added to the priors, the offset keeps their order but
   * moves their level to what this traffic shows, so a candidate nobody tried yet does not outrank
   * measured ones on a figure from another scale.
   */
  priorOffsets(
    candidates: ReadonlyArray<{ key: string; prior: number }>,
    bucket: string,
  ): number[] {
    const gaps = candidates.map((candidate) => {
      const evidence = this.weighedEvidence(candidate.key, bucket);
      const n = evidence.successes + evidence.failures;
      return n > 1e-9
        ? (evidence.successes - n * candidate.prior) / (n + this.settings.priorStrength)
        : undefined;
    });
    let sum = 0;
    let count = 0;
    for (const gap of gaps)
      if (gap !== undefined) {
        sum += gap;
        count++;
      }
    return gaps.map((own) => {
      const others = own === undefined ? count : count - 1;
      if (others < 2) return 0;
      return (sum - (own ?? 0)) / others;
    });
  }

  /**
   * The posterior of `key` in `bucket`, with `prior` (0…1) the registry's expected pass@1 for this
   * request and `offset` the calibration (`priorOffset`) added to it.
   */
  posterior(key: string, bucket: string, prior: number, offset = 0): CandidatePosterior {
    const strength = this.settings.priorStrength;
    const clamped = Math.min(0.99, Math.max(0.01, prior + offset));
    const inBucket = this.buckets.get(key)?.get(bucket) ?? { successes: 0, failures: 0 };
    const total = this.totals.get(key) ?? { successes: 0, failures: 0 };
    const elsewhereSuccesses = Math.max(0, total.successes - inBucket.successes);
    const elsewhereFailures = Math.max(0, total.failures - inBucket.failures);
    const pool = this.settings.poolWeight;
    const alpha = clamped * strength + inBucket.successes + pool * elsewhereSuccesses;
    const beta = (1 - clamped) * strength + inBucket.failures + pool * elsewhereFailures;
    return {
      mean: alpha / (alpha + beta),
      alpha,
      beta,
      prior: clamped,
      priorOffset: offset,
      evidence: round(inBucket.successes + inBucket.failures),
      evidenceElsewhere: round(elsewhereSuccesses + elsewhereFailures),
    };
  }

  /** A Thompson draw from a posterior that rests on too little evidence; its mean otherwise. */
  draw(posterior: CandidatePosterior, random: () => number): number {
    const seen = posterior.evidence + this.settings.poolWeight * posterior.evidenceElsewhere;
    return seen >= this.settings.exploreBelow
      ? posterior.mean
      : sampleBeta(posterior.alpha, posterior.beta, random);
  }

  /** Records the predicted cost of a plan's first choice (the base the exploration cap is a share of). */
  notePlanned(costUsd: number | undefined): void {
    this.plans++;
    if (costUsd !== undefined && Number.isFinite(costUsd)) this.plannedUsd += costUsd;
  }

  /**
   * Whether an exploration costing `extraUsd` more than the greedy choice fits the cap: the
   * extra spend of all explorations stays within `explorationCostShare` of the predicted spend.
   * Whatever it costs, at most `explorationShare` of the plans explore (a cheaper exploration
   * costs quality, not money). Charged when allowed.
   */
  allowExploration(extraUsd: number): boolean {
    if (this.explorations + 1 > this.settings.explorationShare * (this.plans + 1)) return false;
    const extra = extraUsd > 0 ? extraUsd : 0;
    if (
      extra > 0 &&
      this.explorationUsd + extra > this.settings.explorationCostShare * this.plannedUsd
    )
      return false;
    this.explorationUsd += extra;
    this.explorations++;
    return true;
  }

  /** Spend predicted for plans and the extra spent exploring, USD (metrics, tests). */
  spend(): { plannedUsd: number; explorationUsd: number; plans: number; explorations: number } {
    return {
      plannedUsd: this.plannedUsd,
      explorationUsd: this.explorationUsd,
      plans: this.plans,
      explorations: this.explorations,
    };
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
