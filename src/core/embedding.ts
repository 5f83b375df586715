/**
 * Canonical embedding request and response. The OpenAI dialect decodes `POST /v1/embeddings`
 * into an EmbeddingRequest; adapters with the embedding capability (ProviderAdapter.embed)
 * encode it for their upstream and decode the vectors back.
 */

/** One input to embed: a text, or a text already tokenized (an array of token ids). */
export type EmbeddingInput = string | number[];

export interface EmbeddingRequest {
  kind: 'embedding';
  /** The model the client asked for (an embedding model name or an alias of one). */
  model: string;
  /** One entry per vector wanted; a single string input becomes a one-element array. */
  input: EmbeddingInput[];
  /** Vector length wanted, for models that can shorten their vectors (OpenAI text-embedding-3). */
  dimensions?: number;
  /** How the client wants vectors on the wire; the gateway always fetches floats upstream. */
  encodingFormat: 'float' | 'base64';
  /** End-user identifier for abuse tracking. */
  user?: string;
}

export interface EmbeddingResponse {
  /** The upstream model name that answered. */
  model: string;
  /** One vector per input, in input order. */
  vectors: number[][];
  /** Prompt tokens as the provider reported them; undefined when it reported none. */
  inputTokens?: number;
}
