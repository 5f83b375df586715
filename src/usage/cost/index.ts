export { costOfUsage } from './cost-of-usage.js';
export type { CostBreakdown, CostOptions, UnpricedPart, UsageCost } from './cost-of-usage.js';
export { estimateUsage, TOKENS_PER_MESSAGE, TOKENS_PER_REPLY } from './estimate-usage.js';
export type { EstimateOptions, EstimatedUsage } from './estimate-usage.js';
export {
  CHARACTERS_PER_TOKEN,
  DEFAULT_MAX_TOKENIZED_CHARACTERS,
  preloadTokenizer,
  TokenCounter,
} from './count-tokens.js';
export type { CountingMethod } from './count-tokens.js';
