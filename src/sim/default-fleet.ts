import type { SimFleet } from './sim-types.js';

/**
 * The fleet used by the no-config demo, tests and benchmarks. Timings are realistic but modest;
 * no random faults. Context windows and output limits are the providers' published figures
 * except where marked "plausible".
 */
export const DEFAULT_FLEET: SimFleet = {
  providers: [
    {
      id: 'sim-deepseek',
      wire: 'openai-compatible',
      flavor: 'deepseek',
      models: [
        // DeepSeek API docs (V3.x aliases): 128K context; deepseek-chat max output 8K.
        {
          name: 'deepseek-chat',
          ttftMs: 250,
          tokensPerSecond: 60,
          contextWindow: 128_000,
          maxOutputTokens: 8_192,
          completions: true,
        },
        // deepseek-reasoner: 128K context, max output 64K (chain of thought included).
        {
          name: 'deepseek-reasoner',
          ttftMs: 600,
          tokensPerSecond: 40,
          contextWindow: 128_000,
          maxOutputTokens: 65_536,
          reasoning: true,
        },
      ],
    },
    {
      id: 'sim-qwen',
      wire: 'openai-compatible',
      models: [
        // Qwen2.5-Coder-7B-Instruct model card: 131,072 context; 8,192 output (Model Studio limit).
        {
          name: 'qwen2.5-coder-7b-instruct',
          ttftMs: 80,
          tokensPerSecond: 150,
          contextWindow: 131_072,
          maxOutputTokens: 8_192,
          completions: true,
        },
        // Qwen3-Coder-Plus on Model Studio: 1M context, 65,536 output.
        {
          name: 'qwen3-coder-plus',
          ttftMs: 300,
          tokensPerSecond: 70,
          contextWindow: 1_048_576,
          maxOutputTokens: 65_536,
        },
      ],
    },
    {
      id: 'sim-mistral',
      wire: 'openai-compatible',
      models: [
        // Codestral (25.x): 256K context. Max output is not published: 32,768 is a plausible value.
        {
          name: 'codestral-latest',
          ttftMs: 150,
          tokensPerSecond: 100,
          contextWindow: 256_000,
          maxOutputTokens: 32_768,
          completions: true,
        },
      ],
      // Mistral docs (embeddings): mistral-embed returns 1024-dimensional vectors.
      embeddingModels: [{ name: 'mistral-embed', dimensions: 1024 }],
    },
    {
      id: 'sim-openai',
      wire: 'openai-compatible',
      flavor: 'openai',
      // OpenAI serves Chat Completions and the Responses API from the same base URL.
      responsesApi: true,
      models: [
        // OpenAI model pages: gpt-4o-mini 128,000 / 16,384; gpt-4.1 1,047,576 / 32,768.
        {
          name: 'gpt-4o-mini',
          ttftMs: 300,
          tokensPerSecond: 80,
          contextWindow: 128_000,
          maxOutputTokens: 16_384,
        },
        {
          name: 'gpt-4.1',
          ttftMs: 500,
          tokensPerSecond: 60,
          contextWindow: 1_047_576,
          maxOutputTokens: 32_768,
        },
      ],
      // OpenAI embeddings guide: text-embedding-3-small 1536 dimensions, -large 3072; both take `dimensions`.
      embeddingModels: [
        { name: 'text-embedding-3-small', dimensions: 1536, shortenable: true },
        { name: 'text-embedding-3-large', dimensions: 3072, shortenable: true },
      ],
    },
    {
      id: 'sim-anthropic',
      wire: 'anthropic',
      models: [
        // Anthropic models overview: Claude 3.5 Haiku 200K / 8,192; Claude Sonnet 4 200K / 64,000.
        {
          name: 'claude-3-5-haiku-20241022',
          ttftMs: 400,
          tokensPerSecond: 70,
          contextWindow: 200_000,
          maxOutputTokens: 8_192,
        },
        {
          name: 'claude-sonnet-4-20250514',
          ttftMs: 700,
          tokensPerSecond: 55,
          contextWindow: 200_000,
          maxOutputTokens: 64_000,
          // Extended thinking (when the request enables it): signed thinking blocks.
          reasoning: true,
        },
      ],
    },
  ],
};
