import type { SimModelStats, SimOutcome, SimProviderStats, SimStats } from './sim-types.js';

export const UNKNOWN_MODEL = '(unknown)';

function bump(outcomes: Partial<Record<SimOutcome, number>>, outcome: SimOutcome): void {
  outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
}

/**
 * Request counters per provider, model and outcome. Keys are bounded: providers come from the
 * fleet and unknown model names are folded into `(unknown)`.
 */
export class StatsRecorder {
  private stats: SimStats = StatsRecorder.empty();
  private inFlight = 0;

  private static empty(): SimStats {
    return { requests: 0, inFlight: 0, providers: {}, outcomes: {} };
  }

  private provider(providerId: string): SimProviderStats {
    let entry = this.stats.providers[providerId];
    if (entry === undefined) {
      entry = { requests: 0, models: {}, outcomes: {} };
      this.stats.providers[providerId] = entry;
    }
    return entry;
  }

  private model(providerId: string, modelName: string): SimModelStats {
    const provider = this.provider(providerId);
    let entry = provider.models[modelName];
    if (entry === undefined) {
      entry = { requests: 0, streamed: 0, outcomes: {} };
      provider.models[modelName] = entry;
    }
    return entry;
  }

  /** A generation request arrived (counted once, before its outcome is known). */
  request(providerId: string, modelName: string, streamed: boolean): void {
    this.stats.requests++;
    this.provider(providerId).requests++;
    const model = this.model(providerId, modelName);
    model.requests++;
    if (streamed) model.streamed++;
  }

  outcome(providerId: string, modelName: string, outcome: SimOutcome): void {
    bump(this.stats.outcomes, outcome);
    bump(this.provider(providerId).outcomes, outcome);
    bump(this.model(providerId, modelName).outcomes, outcome);
  }

  started(): void {
    this.inFlight++;
  }

  ended(): void {
    this.inFlight--;
  }

  snapshot(): SimStats {
    const copy = structuredClone(this.stats);
    copy.inFlight = this.inFlight;
    return copy;
  }

  reset(): void {
    this.stats = StatsRecorder.empty();
  }
}
