import type { CacheStatus, LedgerAttempt, LedgerEntry, LedgerRequest } from './ledger.js';

/** Test and bench data: deterministic entries. */

export const DAY = 86_400_000;
/** 2026-03-01T00:00:00Z, a Sunday: fixtures sit on known UTC days. */
export const FIXTURE_EPOCH = Date.UTC(2026, 2, 1);

/** A small deterministic PRNG (mulberry32) so every store sees the same "random" data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function makeEntry(
  request: Partial<LedgerRequest> & Pick<LedgerRequest, 'startedAt'>,
  attempts: LedgerAttempt[] = [],
): LedgerEntry {
  return {
    request: {
      requestId: `request-${request.startedAt}`,
      costUsd: 0,
      latencyMs: 100,
      status: 200,
      cacheStatus: 'miss',
      stream: false,
      ...request,
    },
    attempts,
  };
}

export function makeAttempt(
  attempt: Partial<LedgerAttempt> & Pick<LedgerAttempt, 'startedAt'>,
): LedgerAttempt {
  return {
    provider: 'deepseek',
    model: 'deepseek-chat',
    upstreamModel: 'deepseek-chat',
    latencyMs: 90,
    costUsd: 0,
    status: 200,
    ...attempt,
  };
}

const MODELS = ['deepseek-chat', 'qwen-coder', 'gpt-4o-mini', 'claude-haiku', 'codestral'];
const PROVIDERS = ['deepseek', 'dashscope', 'openai', 'anthropic', 'mistral', 'together'];
const CACHE_STATUSES: CacheStatus[] = ['miss', 'miss', 'miss', 'hit', 'shared', 'bypass', 'none'];

/** `count` varied entries spread over `days` days from `start`: failures, rejections, cache hits, retries. */
export function randomEntries(
  seed: number,
  count: number,
  start = FIXTURE_EPOCH,
  days = 10,
): LedgerEntry[] {
  const random = seededRandom(seed);
  const pick = <Value>(values: readonly Value[]): Value =>
    values[Math.floor(random() * values.length)] as Value;
  const entries: LedgerEntry[] = [];
  for (let index = 0; index < count; index += 1) {
    const startedAt = start + Math.floor(random() * days * DAY);
    const rejected = random() < 0.05;
    const cacheStatus = rejected ? 'none' : pick(CACHE_STATUSES);
    const served = cacheStatus === 'hit' || cacheStatus === 'shared';
    const failed = !rejected && !served && random() < 0.08;
    const model = rejected ? null : pick(MODELS);
    const provider = rejected ? null : pick(PROVIDERS);
    const usage = {
      inputTokens: Math.floor(random() * 4000),
      cachedInputTokens: Math.floor(random() * 500),
      outputTokens: Math.floor(random() * 900),
      reasoningTokens: Math.floor(random() * 50),
    };
    const drawn = rejected || failed ? 0 : Number((random() * 0.01).toFixed(9));
    // A deployment with no price (a self-hosted box): its answers have an unknown cost.
    const cost = !rejected && !failed && !served && provider === 'together' ? null : drawn;
    const attemptCount = rejected || served ? 0 : 1 + Math.floor(random() * 2);
    const attempts = Array.from({ length: attemptCount }, (_, attempt) =>
      makeAttempt({
        startedAt: startedAt + attempt * 50,
        provider: provider ?? 'deepseek',
        model: model ?? 'deepseek-chat',
        costUsd: attempt === attemptCount - 1 ? cost : 0,
        status: attempt === attemptCount - 1 && !failed ? 200 : 503,
      }),
    );
    entries.push(
      makeEntry(
        {
          requestId: `random-${seed}-${index}`,
          startedAt,
          apiKeyId: rejected && random() < 0.5 ? null : `key-${Math.floor(random() * 7)}`,
          modelAsked: pick(['auto', 'auto:cheap', ...MODELS]),
          model,
          provider,
          ...(rejected ? {} : { usage }),
          costUsd: cost,
          costEstimated: random() < 0.1,
          savedUsd: served ? Number((random() * 0.01).toFixed(9)) : 0,
          referenceCostUsd: random() < 0.7 ? Number((random() * 0.05).toFixed(9)) : null,
          latencyMs: Math.floor(random() * 5000),
          firstTokenMs: random() < 0.5 ? Math.floor(random() * 800) : null,
          status: rejected ? pick([400, 401, 429]) : failed ? 503 : 200,
          errorCode: rejected ? 'unauthorized' : failed ? 'upstream_unavailable' : null,
          cacheStatus,
          routeReason: served ? null : 'tier-1: short prompt',
          stream: random() < 0.5,
        },
        attempts,
      ),
    );
  }
  return entries;
}
