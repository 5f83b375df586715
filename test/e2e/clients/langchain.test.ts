import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/test-gateway.js';
import { clientVersion, loadClient, whenClientsInstalled } from './test-clients.js';

/** What the tests use of LangChain (typed packages outside this project's tsconfig). */
interface AIMessage {
  content: unknown;
  text?: string;
  tool_calls?: Array<{ name: string; args: Record<string, unknown> }>;
}
interface ChatModel {
  invoke(input: string): Promise<AIMessage>;
  stream(input: string): Promise<AsyncIterable<AIMessage>>;
  withStructuredOutput(
    schema: object,
    options?: object,
  ): { invoke(input: string): Promise<Record<string, unknown>> };
  bindTools(tools: object[]): { invoke(input: string): Promise<AIMessage> };
}
interface Zod {
  object(shape: object): object;
  string(): object;
  number(): object;
}

const zod = (): Zod => loadClient<{ z: Zod }>('zod').z;
const textOf = (message: AIMessage): string =>
  typeof message.content === 'string' ? message.content : JSON.stringify(message.content);

let gateway: TestGateway;

function chatOpenAI(options: object = {}): ChatModel {
  const { ChatOpenAI } = loadClient<{ ChatOpenAI: new (options: object) => ChatModel }>(
    '@langchain/openai',
  );
  return new ChatOpenAI({
    model: 'gpt-4.1',
    apiKey: 'sk-switchyard-test',
    maxRetries: 0,
    configuration: { baseURL: `${gateway.url}/v1` },
    ...options,
  });
}

function chatAnthropic(): ChatModel {
  const { ChatAnthropic } = loadClient<{ ChatAnthropic: new (options: object) => ChatModel }>(
    '@langchain/anthropic',
  );
  return new ChatAnthropic({
    model: 'claude-sonnet-4-20250514',
    apiKey: 'sk-ant-switchyard-test',
    maxRetries: 0,
    anthropicApiUrl: gateway.url,
  });
}

describe(`LangChain (@langchain/core ${clientVersion('@langchain/core')})`, () => {
  whenClientsInstalled(() => {
    beforeAll(async () => {
      gateway = await startTestGateway();
    });
    afterAll(() => gateway?.close());

    describe(`ChatOpenAI (@langchain/openai ${clientVersion('@langchain/openai')})`, () => {
      it('withStructuredOutput with its default method', async () => {
        const z = zod();
        const structured = await chatOpenAI()
          .withStructuredOutput(z.object({ name: z.string(), count: z.number() }))
          .invoke('Name a fruit and a count');
        expect(typeof structured.name).toBe('string');
        expect(typeof structured.count).toBe('number');
      });

      it('useResponsesApi: true', async () => {
        const answer = await chatOpenAI({ useResponsesApi: true }).invoke(
          'Write a Rust hello world',
        );
        expect(textOf(answer)).toContain('[simulated gpt-4.1 via sim-openai]');
        expect(gateway.records.at(-1)!.path).toBe('/v1/responses');
      });

      it('bindTools', async () => {
        const z = zod();
        const bound = chatOpenAI().bindTools([
          {
            name: 'get_weather',
            description: 'Current weather for a city',
            schema: z.object({ city: z.string() }),
          },
        ]);
        const answer = await bound.invoke(
          'Weather? [[sim:tool=get_weather]] [[sim:args={"city":"Oslo"}]]',
        );
        expect(answer.tool_calls).toEqual([
          expect.objectContaining({ name: 'get_weather', args: { city: 'Oslo' } }),
        ]);
      });
    });

    describe(`ChatAnthropic (@langchain/anthropic ${clientVersion('@langchain/anthropic')})`, () => {
      it('invoke', async () => {
        const answer = await chatAnthropic().invoke('Write a Go hello world');
        expect(textOf(answer)).toContain('[simulated claude-sonnet-4-20250514 via sim-anthropic]');
      });

      it('stream', async () => {
        let streamed = '';
        let chunks = 0;
        for await (const chunk of await chatAnthropic().stream(
          'Explain closures [[sim:tokens=20]]',
        )) {
          chunks += 1;
          if (typeof chunk.content === 'string') streamed += chunk.content;
        }
        expect(chunks).toBeGreaterThan(1);
        expect(streamed).toContain('[simulated claude-sonnet-4-20250514 via sim-anthropic]');
      });

      it('withStructuredOutput, method jsonMode', async () => {
        const z = zod();
        const structured = await chatAnthropic()
          .withStructuredOutput(z.object({ name: z.string(), count: z.number() }), {
            method: 'jsonMode',
          })
          .invoke('Name a fruit and a count');
        expect(typeof structured.name).toBe('string');
        expect(typeof structured.count).toBe('number');
      });
    });
  });
});
