import type { RequestFeatures } from '../features/extract-features.js';

/** Prompt-size classes of a bucket, by estimated prompt tokens. */
export const BUCKET_SIZES = [
  { name: 's', below: 1_000 },
  { name: 'm', below: 8_000 },
  { name: 'l', below: Number.POSITIVE_INFINITY },
] as const;

/**
 * The request bucket the quality model learns in: `language/task/size` — the strongest detected
 * language (`text` when none), the task kind, and the prompt size class (`s` under 1,000
 * estimated prompt tokens, `m` under 8,000, `l` above). Outcomes count fully in their bucket and
 * at a lower weight everywhere else for the same deployment (quality-model.ts).
 */
export function requestBucket(features: RequestFeatures): string {
  const size = BUCKET_SIZES.find((entry) => features.promptTokens < entry.below)!.name;
  return `${features.languages[0] ?? 'text'}/${features.task}/${size}`;
}
