import { createRequire } from 'node:module';

/**
 * Token counting for usage estimates. Uses gpt-tokenizer's o200k_base encoding (GPT-4o and later;
 * other vendors' tokenizers differ, so counts are estimates for them). The encoding is loaded on
 * first use (100-140 ms, about 70 MB), so a gateway whose providers always report usage never pays
 * for it; `preloadTokenizer()` moves that cost to startup. Measured on the 2-core dev machine
 * (docs/registry.md): 122k tokens of source code in 83 ms on the first call, 11 ms after;
 * 615k tokens (2M characters) in 73 ms / 44 ms.
 */

/** Above this many characters in one estimate, count characters / 4 instead of tokenizing. */
export const DEFAULT_MAX_TOKENIZED_CHARACTERS = 2_000_000;

export const CHARACTERS_PER_TOKEN = 4;

type CountTokens = (text: string) => number;

let countWithTokenizer: CountTokens | undefined;

function tokenizer(): CountTokens {
  if (countWithTokenizer === undefined) {
    const require = createRequire(import.meta.url);
    const encoding = require('gpt-tokenizer/cjs/encoding/o200k_base') as {
      countTokens: CountTokens;
    };
    countWithTokenizer = (text) => encoding.countTokens(text);
  }
  return countWithTokenizer;
}

/** Loads the encoding now instead of on the first estimate. */
export function preloadTokenizer(): void {
  tokenizer();
}

export type CountingMethod = 'tokenizer' | 'characters';

/** Counts tokens of several texts with one method, chosen by their total size. */
export class TokenCounter {
  readonly method: CountingMethod;

  constructor(
    totalCharacters: number,
    maxTokenizedCharacters: number = DEFAULT_MAX_TOKENIZED_CHARACTERS,
  ) {
    this.method = totalCharacters > maxTokenizedCharacters ? 'characters' : 'tokenizer';
  }

  count(text: string): number {
    if (text.length === 0) return 0;
    if (this.method === 'characters') return Math.ceil(text.length / CHARACTERS_PER_TOKEN);
    return tokenizer()(text);
  }
}
