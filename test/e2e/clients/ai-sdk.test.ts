import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/test-gateway.js';
import { clientVersion, loadClient, whenClientsInstalled } from './test-clients.js';

/** What the tests use of the Vercel AI SDK (typed packages outside this project's tsconfig). */
type LanguageModel = object;
interface GenerateTextResult {
  text: string;
  steps: unknown[];
  toolResults: Array<{ toolName: string; output: unknown }>;
}
interface AiModule {
  generateText(options: object): Promise<GenerateTextResult>;
  streamText(options: object): { textStream: AsyncIterable<string>; text: PromiseLike<string> };
  generateObject(options: object): Promise<{ object: Record<string, unknown> }>;
  tool(definition: object): object;
  stepCountIs(count: number): unknown;
}
interface Zod {
  object(shape: object): object;
  string(): object;
  number(): object;
}

const ai = (): AiModule => loadClient<AiModule>('ai');
const zod = (): Zod => loadClient<{ z: Zod }>('zod').z;

let gateway: TestGateway;
const providers: Array<{
  name: string;
  model: () => LanguageModel;
  expected: string;
  objectModel?: () => LanguageModel;
}> = [
  {
    name: `@ai-sdk/openai ${clientVersion('@ai-sdk/openai')} default provider (Responses API)`,
    model: () =>
      loadClient<{ createOpenAI(options: object): (model: string) => LanguageModel }>(
        '@ai-sdk/openai',
      ).createOpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-switchyard-test' })('gpt-4.1'),
    expected: '[simulated gpt-4.1 via sim-openai]',
  },
  {
    name: `@ai-sdk/openai-compatible ${clientVersion('@ai-sdk/openai-compatible')} (chat completions)`,
    model: () =>
      loadClient<{ createOpenAICompatible(options: object): (model: string) => LanguageModel }>(
        '@ai-sdk/openai-compatible',
      ).createOpenAICompatible({
        name: 'switchyard',
        baseURL: `${gateway.url}/v1`,
        apiKey: 'sk-switchyard-test',
      })('gpt-4o-mini'),
    expected: '[simulated gpt-4o-mini via sim-openai]',
    // With default settings this provider sends response_format json_object and no schema at all
    // (the SDK warns), so no model can know the fields; supportsStructuredOutputs sends the schema.
    objectModel: () =>
      loadClient<{ createOpenAICompatible(options: object): (model: string) => LanguageModel }>(
        '@ai-sdk/openai-compatible',
      ).createOpenAICompatible({
        name: 'switchyard',
        baseURL: `${gateway.url}/v1`,
        apiKey: 'sk-switchyard-test',
        supportsStructuredOutputs: true,
      })('gpt-4o-mini'),
  },
  {
    name: `@ai-sdk/anthropic ${clientVersion('@ai-sdk/anthropic')} (Messages API)`,
    model: () =>
      loadClient<{ createAnthropic(options: object): (model: string) => LanguageModel }>(
        '@ai-sdk/anthropic',
      ).createAnthropic({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-ant-switchyard-test' })(
        'claude-sonnet-4-20250514',
      ),
    expected: '[simulated claude-sonnet-4-20250514 via sim-anthropic]',
  },
];

describe(`Vercel AI SDK ai ${clientVersion('ai')}`, () => {
  whenClientsInstalled(() => {
    beforeAll(async () => {
      gateway = await startTestGateway();
    });
    afterAll(() => gateway?.close());

    for (const provider of providers) {
      describe(provider.name, () => {
        it('generateText', async () => {
          const result = await ai().generateText({
            model: provider.model(),
            prompt: 'Write a TypeScript hello world',
            maxRetries: 0,
          });
          expect(result.text).toContain(provider.expected);
        });

        it('streamText', async () => {
          const result = ai().streamText({
            model: provider.model(),
            prompt: 'Explain closures [[sim:tokens=20]]',
            maxRetries: 0,
          });
          let streamed = '';
          for await (const delta of result.textStream) streamed += delta;
          expect(streamed).toContain(provider.expected);
          expect(await result.text).toBe(streamed);
        });

        it('generateObject', async () => {
          const z = zod();
          const result = await ai().generateObject({
            model: (provider.objectModel ?? provider.model)(),
            schema: z.object({ name: z.string(), count: z.number() }),
            prompt: 'Name a fruit and a count, as JSON',
            maxRetries: 0,
          });
          expect(typeof result.object.name).toBe('string');
          expect(typeof result.object.count).toBe('number');
        });

        it('a tool loop: the model calls the tool, gets its result, answers with text', async () => {
          const z = zod();
          const weather = ai().tool({
            description: 'Current weather for a city',
            inputSchema: z.object({ city: z.string() }),
            execute: async ({ city }: { city: string }) => `sunny in ${city}`,
          });
          const result = await ai().generateText({
            model: provider.model(),
            tools: { get_weather: weather },
            stopWhen: ai().stepCountIs(4),
            prompt: 'What is the weather? [[sim:tool=get_weather]] [[sim:args={"city":"Paris"}]]',
            maxRetries: 0,
          });
          expect(result.steps).toHaveLength(2);
          expect(result.steps.flatMap((step) => (step as GenerateTextResult).toolResults)).toEqual([
            expect.objectContaining({ toolName: 'get_weather', output: 'sunny in Paris' }),
          ]);
          expect(result.text).toContain(provider.expected);
        });
      });
    }
  });
});
