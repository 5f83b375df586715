import type { ModelTier, QualityPrior } from '../registry/catalog-types.js';
import type { QualityOverride } from './policies/routing-settings.js';

/** Pass@1 percent assumed for a model without per-language priors, by catalog tier. */
const TIER_QUALITY: Readonly<Record<ModelTier, number>> = { 1: 78, 2: 82, 3: 88, 4: 92 };
/** How many points a model loses from an easy task (difficulty 0) to a hard one (difficulty 1), by tier. */
const TIER_DIFFICULTY_GAP: Readonly<Record<ModelTier, number>> = { 1: 40, 2: 30, 3: 18, 4: 12 };

/**
 * What the router knows about one deployment's model quality, precomputed at startup: a base
 * figure per language and a drop per unit of difficulty.
 */
export interface QualityProfile {
  byLanguage: ReadonlyMap<string, number>;
  /** For languages without a figure. */
  fallback: number;
  /** Points lost at difficulty 1. */
  gap: number;
  /** Where the figures come from, for explanations. */
  source: 'priors' | 'tier' | 'config';
}

/**
 * Builds a profile from the catalog's priors: per language the mean of that language's pass@1
 * figures; for other languages the mean over all per-language figures; with none, the tier's
 * figure. Aider polyglot (multi-turn edits, a far harder scale) is left out of the means.
 * Config overrides (`routing.quality`) replace any figure they name.
 */
export function qualityProfile(
  priors: readonly QualityPrior[],
  tier: ModelTier | undefined,
  override?: QualityOverride,
): QualityProfile {
  const sums = new Map<string, [number, number]>();
  let total = 0;
  let count = 0;
  for (const prior of priors) {
    if (prior.language === undefined || /aider/i.test(prior.benchmark)) continue;
    const entry = sums.get(prior.language) ?? [0, 0];
    entry[0] += prior.passAt1;
    entry[1]++;
    sums.set(prior.language, entry);
    total += prior.passAt1;
    count++;
  }
  const byLanguage = new Map<string, number>(
    [...sums].map(([language, [sum, n]]) => [language, sum / n]),
  );
  const tierKey = tier ?? 2;
  let fallback = count > 0 ? total / count : TIER_QUALITY[tierKey];
  let gap = TIER_DIFFICULTY_GAP[tierKey];
  let source: QualityProfile['source'] = count > 0 ? 'priors' : 'tier';
  if (override) {
    source = 'config';
    for (const [language, value] of Object.entries(override)) {
      if (value === undefined || language === 'default' || language === 'hard') continue;
      byLanguage.set(language, value);
    }
    if (override.default !== undefined) fallback = override.default;
    if (override.hard !== undefined) gap = Math.max(0, fallback - override.hard);
  }
  return { byLanguage, fallback, gap, source };
}

/** Expected pass@1 percent for a request in `language` at `difficulty` (0-1). */
export function expectedQuality(
  profile: QualityProfile,
  language: string | undefined,
  difficulty: number,
): number {
  const base =
    (language === undefined ? undefined : profile.byLanguage.get(language)) ?? profile.fallback;
  return base - profile.gap * difficulty;
}
