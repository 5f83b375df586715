/**
 * Where each built-in price comes from. `asOf` is the source's own date where it has one; for
 * undated sources it is the day the source was read (READ_DATE). docs/registry.md lists them all.
 */
export const READ_DATE = '2026-11-28';

const LITELLM = 'LiteLLM model_prices_and_context_window.json (BerriAI/litellm @00035b69)';

export const PRICE_SOURCES = {
  deepseek: {
    source:
      'https://api-docs.deepseek.com/quick_start/pricing (DeepSeek-V3.2 list price); cross-checked: ' +
      `${LITELLM}; Roo-Code deepseek.ts "Updated Dec 9, 2025"`,
    asOf: '2025-12-09',
  },
  openaiGpt41: {
    source:
      'https://platform.openai.com/docs/pricing; input/output cross-checked in undetermini PRICING.md (verified 2026-05-07); ' +
      `cached input from ${LITELLM}`,
    asOf: '2026-05-07',
  },
  openaiGpt4o: {
    source: `https://openai.com/api/pricing as quoted in CommitBrief wiki "Provider OpenAI" (edited 2026-05-27); ${LITELLM}`,
    asOf: '2026-05-27',
  },
  openaiGpt5: {
    source: `https://platform.openai.com/docs/pricing; deploybase.ai "OpenAI API Pricing 2026" (as of 2026-03-21); cached input from ${LITELLM}`,
    asOf: '2026-03-21',
  },
  openaiGpt5Mini: {
    source:
      'nicolalazzari.ai "OpenAI API Pricing Explained (2026)" (undated; cached = 10% of input as for the GPT-5 family, ' +
      'adk-model 0.6.0 pricing.rs "March 2026")',
    asOf: READ_DATE,
  },
  anthropic: {
    source:
      'https://platform.claude.com/docs/en/about-claude/pricing (5m cache writes 1.25x, 1h cache writes 2x, cache hits 0.1x input); cross-checked: synaps 0.10.2 ' +
      `pricing table "verified 2026-10-10"; ${LITELLM}`,
    asOf: '2026-10-10',
  },
  mistralCodestral: {
    source: `https://mistral.ai/news/codestral-25-08 via ${LITELLM} (codestral-2508); models.dev via mastra.ai/models/providers/mistral (codestral-latest)`,
    asOf: READ_DATE,
  },
  mistralDevstral: {
    source: `https://mistral.ai/news/devstral via ${LITELLM}; models.dev via mastra.ai/models/providers/mistral`,
    asOf: READ_DATE,
  },
  qwenModelStudio: {
    source: `https://www.alibabacloud.com/help/en/model-studio/models (international, tiered by prompt size) via ${LITELLM} dashscope/qwen3-coder-plus`,
    asOf: READ_DATE,
  },
  fireworks: {
    source: `https://fireworks.ai/pricing via ${LITELLM} fireworks_ai entries`,
    asOf: READ_DATE,
  },
  fireworksDeepseek: {
    source:
      'https://docs.fireworks.ai/serverless/pricing ("DeepSeek V3 family": input / cached input / output)',
    asOf: READ_DATE,
  },
  openaiEmbeddings: {
    source: `https://platform.openai.com/docs/pricing (Embeddings); cross-checked: https://platform.openai.com/docs/guides/embeddings ("pages per dollar"); ${LITELLM}`,
    asOf: READ_DATE,
  },
  mistralEmbed: {
    source: `https://mistral.ai/pricing via ${LITELLM} (mistral/mistral-embed input_cost_per_token 1e-7)`,
    asOf: READ_DATE,
  },
  togetherEmbeddings: {
    source: `https://www.together.ai/pricing (embeddings by model size) via ${LITELLM} (together-ai-embedding-up-to-150m 8e-9, together-ai-embedding-151m-to-350m 1.6e-8 per token)`,
    asOf: READ_DATE,
  },
  groq: {
    source: `https://groq.com/pricing via ${LITELLM} (input, 8B output) and groq-cost-tuning skill (smithery.ai, tessl.io) quoting groq.com/pricing (70B output)`,
    asOf: READ_DATE,
  },
} as const satisfies Record<string, { source: string; asOf: string }>;
