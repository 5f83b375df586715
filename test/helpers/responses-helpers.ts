import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';

/**
 * What the Responses API e2e tests share (test/e2e/responses-api.test.ts, a Responses client over
 * chat and Anthropic upstreams; test/e2e/responses-upstream.test.ts, over a Responses upstream).
 */

/** The openai SDK pointed at a gateway, no retries. */
export function responsesClient(gatewayUrl: string): OpenAI {
  return new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: 'sk-test', maxRetries: 0 });
}

/** A prompt no other test sends, so the exact cache never answers it. */
export const fresh = (text: string): string => `${text} (${randomUUID()})`;

export const weatherTool: OpenAI.Responses.FunctionTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
  strict: true,
};

/** Output items passed back as input, as clients do (the SDK types the two lists apart). */
export const asInput = (items: readonly unknown[]): OpenAI.Responses.ResponseInputItem[] =>
  items as OpenAI.Responses.ResponseInputItem[];

/** The response's `store` field (the API sends it; the SDK's Response type leaves it out). */
export const storeFlag = (response: OpenAI.Responses.Response): unknown =>
  (response as unknown as Record<string, unknown>).store;
