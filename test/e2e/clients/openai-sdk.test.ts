import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/test-gateway.js';
import { clientVersion, loadClient, whenClientsInstalled } from './test-clients.js';

/** What the tests use of the openai SDK (the package is typed, but lives outside this project's tsconfig). */
interface OpenAIClient {
  chat: {
    completions: {
      create(body: object): Promise<{ choices: Array<{ message: { content: string | null } }> }>;
    };
  };
  responses: {
    create(
      body: object,
    ): Promise<{ status: string; output_text: string; usage?: { input_tokens: number } }>;
  };
  embeddings: {
    create(body: object): Promise<{ data: Array<{ embedding: number[] }>; model: string }>;
  };
}

let gateway: TestGateway;
let client: OpenAIClient;

describe(`openai SDK ${clientVersion('openai')} (test-clients set)`, () => {
  whenClientsInstalled(() => {
    beforeAll(async () => {
      gateway = await startTestGateway();
      const { OpenAI } = loadClient<{ OpenAI: new (options: object) => OpenAIClient }>('openai');
      client = new OpenAI({
        baseURL: `${gateway.url}/v1`,
        apiKey: 'sk-switchyard-test',
        maxRetries: 0,
      });
    });
    afterAll(() => gateway?.close());

    it('chat.completions.create', async () => {
      const completion = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Write a Go hello world' }],
      });
      expect(completion.choices[0]!.message.content).toContain(
        '[simulated gpt-4o-mini via sim-openai]',
      );
    });

    it('responses.create (smoke: the Responses engineer covers the rest)', async () => {
      const response = await client.responses.create({
        model: 'gpt-4.1',
        input: 'Write a Python hello world',
      });
      expect(response.status).toBe('completed');
      expect(response.output_text).toContain('[simulated gpt-4.1 via sim-openai]');
      expect(response.usage?.input_tokens).toBeGreaterThan(0);
    });

    it('embeddings.create (its default base64 encoding, decoded by the SDK)', async () => {
      const embedded = await client.embeddings.create({
        model: 'text-embedding-3-small',
        input: ['one', 'two'],
      });
      expect(embedded.model).toBe('text-embedding-3-small');
      expect(embedded.data.map((entry) => entry.embedding.length)).toEqual([1536, 1536]);
      expect(Math.hypot(...embedded.data[0]!.embedding)).toBeCloseTo(1, 4);
    });
  });
});
