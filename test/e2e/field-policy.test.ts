import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessagesRequest } from '../../src/dialects/anthropic/decode-messages-request.js';
import { MESSAGES_FIELD_POLICY } from '../../src/dialects/anthropic/messages-field-policy.js';
import {
  type FieldPolicy,
  refusedEverywhere,
  type UpstreamWire,
  wireAction,
} from '../../src/dialects/field-policy.js';
import { CHAT_FIELD_POLICY } from '../../src/dialects/openai/chat-field-policy.js';
import { decodeChatRequest } from '../../src/dialects/openai/decode-chat-request.js';
import { decodeResponsesRequest } from '../../src/dialects/openai-responses/decode-responses-request.js';
import { RESPONSES_FIELD_POLICY } from '../../src/dialects/openai-responses/responses-field-policy.js';
import { docTable, ruleText } from '../helpers/compatibility-doc.js';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

/**
 * docs/compatibility.md's field tables and the field policies are one thing: the tables are
 * parsed and compared with the data, the decoders are checked to know exactly the policy's fields,
 * and representative requests go through the gateway to the simulator to check that each field
 * is passed, translated or refused per upstream wire as the policy says. (Nested fields:
 * nested-field-policy.test.ts; /v1/completions: completion-field-policy.test.ts.)
 */
const TABLES: Array<[string, FieldPolicy]> = [
  ['Chat Completions fields', CHAT_FIELD_POLICY],
  ['Messages fields', MESSAGES_FIELD_POLICY],
  ['Responses fields (top level)', RESPONSES_FIELD_POLICY],
];

describe('docs/compatibility.md agrees with the field policies', () => {
  it.each(TABLES)('%s: same fields, same rule per wire', (heading, policy) => {
    const rows = docTable(heading);
    expect([...rows.keys()].sort()).toEqual(Object.keys(policy).sort());
    for (const [field, rule] of Object.entries(policy)) {
      expect(rows.get(field), field).toEqual({
        openai: ruleText(rule['openai-compatible']),
        anthropic: ruleText(rule.anthropic),
      });
    }
  });
});

function thrown(run: () => unknown): { code?: string; param?: string; message?: string } {
  try {
    run();
  } catch (error) {
    return error as { code?: string; param?: string };
  }
  return {};
}

describe('the decoders know exactly the policy fields', () => {
  const cases: Array<[string, FieldPolicy, (body: Record<string, unknown>) => unknown]> = [
    [
      'chat',
      CHAT_FIELD_POLICY,
      (body) =>
        decodeChatRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...body }),
    ],
    [
      'messages',
      MESSAGES_FIELD_POLICY,
      (body) =>
        decodeMessagesRequest({
          model: 'm',
          max_tokens: 64,
          messages: [{ role: 'user', content: 'hi' }],
          ...body,
        }),
    ],
    [
      'responses',
      RESPONSES_FIELD_POLICY,
      (body) =>
        decodeResponsesRequest(
          { model: 'm', input: 'hi', ...body },
          { storing: true, newResponseId: () => 'resp_1' },
        ),
    ],
  ];
  it.each(cases)(
    '%s: every field is known; refused-everywhere ones are refused by name; others are unknown',
    (_name, policy, decode) => {
      for (const [field, rule] of Object.entries(policy)) {
        if (rule.header === true) {
          expect(
            thrown(() => decode({ [field]: 'x' })).param,
            `${field} is a header, not a body field`,
          ).toBe(field);
          continue;
        }
        // null counts as absent: a known field is accepted.
        if (!['model', 'messages', 'input', 'max_tokens'].includes(field))
          expect(
            thrown(() => decode({ [field]: null })),
            field,
          ).toEqual({});
        if (refusedEverywhere(rule)) {
          const error = thrown(() =>
            decode({ [field]: field === 'function_call' ? 'auto' : [{}] }),
          );
          expect(error.param, field).toBe(field);
        }
      }
      const unknown = thrown(() => decode({ surely_not_a_field: 1 }));
      expect(unknown).toMatchObject({ code: 'invalid_request', param: 'surely_not_a_field' });
    },
  );
});

const TOOLS_CHAT = [
  { type: 'function', function: { name: 'get', parameters: { type: 'object' } } },
];
const TOOLS_MESSAGES = [{ name: 'get', input_schema: { type: 'object' } }];

/** A representative value per optional field (with the fields it needs); the first key is the field. */
const CHAT_SAMPLES: Record<string, Record<string, unknown>> = {
  max_tokens: { max_tokens: 100 },
  max_completion_tokens: { max_completion_tokens: 100 },
  temperature: { temperature: 0.5 },
  top_p: { top_p: 0.9 },
  stop: { stop: ['ZZZ'] },
  stream: { stream: false },
  stream_options: { stream_options: { include_usage: true }, stream: true },
  tools: { tools: TOOLS_CHAT },
  tool_choice: { tool_choice: 'none', tools: TOOLS_CHAT },
  parallel_tool_calls: { parallel_tool_calls: false, tools: TOOLS_CHAT },
  response_format: { response_format: { type: 'json_object' } },
  reasoning_effort: { reasoning_effort: 'low' },
  thinking: { thinking: { type: 'enabled', budget_tokens: 2048 } },
  user: { user: 'u-1' },
  safety_identifier: { safety_identifier: 'u-1' },
  store: { store: false },
  modalities: { modalities: ['text'] },
  n: { n: 2 },
  seed: { seed: 7 },
  presence_penalty: { presence_penalty: 0.5 },
  frequency_penalty: { frequency_penalty: 0.5 },
  logit_bias: { logit_bias: { '50256': -100 } },
  logprobs: { logprobs: true },
  top_logprobs: { top_logprobs: 2, logprobs: true },
  top_k: { top_k: 5 },
  service_tier: { service_tier: 'auto' },
  verbosity: { verbosity: 'low' },
  prompt_cache_key: { prompt_cache_key: 'k' },
  prompt_cache_retention: { prompt_cache_retention: '24h' },
  metadata: { metadata: { a: 'b' } },
  audio: { audio: { voice: 'alloy', format: 'mp3' } },
  prediction: { prediction: { type: 'content', content: 'x' } },
  web_search_options: { web_search_options: {} },
  functions: { functions: [{ name: 'f', parameters: {} }] },
  function_call: { function_call: 'auto' },
};

const MESSAGES_SAMPLES: Record<string, Record<string, unknown>> = {
  max_tokens: { max_tokens: 100 },
  system: { system: 'Be brief.' },
  metadata: { metadata: { user_id: 'u-1' } },
  stop_sequences: { stop_sequences: ['ZZZ'] },
  stream: { stream: false },
  temperature: { temperature: 0.5 },
  top_p: { top_p: 0.9 },
  tools: { tools: TOOLS_MESSAGES },
  tool_choice: { tool_choice: { type: 'none' }, tools: TOOLS_MESSAGES },
  thinking: { thinking: { type: 'enabled', budget_tokens: 1024 } },
  output_config: { output_config: { effort: 'low' } },
  top_k: { top_k: 5 },
  service_tier: { service_tier: 'auto' },
  context_management: {
    context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
  },
  'anthropic-beta': { 'anthropic-beta': 'context-management-2025-06-27' },
  container: { container: 'c-1' },
  mcp_servers: { mcp_servers: [{ type: 'url', url: 'https://x', name: 'x' }] },
  inference_geo: { inference_geo: 'us' },
};

/** One model per upstream wire of the simulated fleet (the generic OpenAI-compatible flavor and DeepSeek's). */
const MODELS: Array<[UpstreamWire, string]> = [
  ['openai-compatible', 'qwen3-coder-plus'],
  ['openai-compatible', 'deepseek-chat'],
  ['anthropic', 'claude-sonnet-4-20250514'],
];

let gateway: TestGateway;
beforeAll(async () => {
  // No response cache: each request must reach the simulator (the two dialects share entries).
  gateway = await startTestGateway({ cache: { enabled: false } });
});
afterAll(() => gateway?.close());

function quirksOf(model: string) {
  const entry = gateway.config.models.get(model)!;
  return gateway.config.providers.get(entry.deployments[0]!.provider)!.settings.quirks;
}

async function send(path: string, sample: Record<string, unknown>, base: Record<string, unknown>) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const body = { ...base, ...sample };
  if ('anthropic-beta' in body) {
    headers['anthropic-beta'] = String(body['anthropic-beta']);
    delete body['anthropic-beta'];
  }
  const response = await fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

const DIALECTS: Array<
  [
    string,
    string,
    FieldPolicy,
    Record<string, Record<string, unknown>>,
    (model: string) => Record<string, unknown>,
  ]
> = [
  [
    'chat',
    '/v1/chat/completions',
    CHAT_FIELD_POLICY,
    CHAT_SAMPLES,
    (model) => ({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 4096 }),
  ],
  [
    'messages',
    '/v1/messages',
    MESSAGES_FIELD_POLICY,
    MESSAGES_SAMPLES,
    (model) => ({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 4096 }),
  ],
];

describe.each(DIALECTS)(
  '%s requests through the simulator behave as the policy says',
  (_name, path, policy, samples, base) => {
    it('every optional field has a sample', () => {
      const required = new Set(['model', 'messages']);
      for (const field of Object.keys(policy))
        if (!required.has(field)) expect(samples[field], field).toBeDefined();
    });

    it.each(MODELS)('toward the %s wire (%s)', async (wire, model) => {
      const quirks = quirksOf(model);
      for (const [field, sample] of Object.entries(samples)) {
        const rule = policy[field]!;
        const action = wireAction(rule, wire, quirks);
        const reply = await send(path, sample, base(model));
        const what = `${field} toward ${model}: ${action} (${reply.status} ${reply.text.slice(0, 300)})`;
        if (action === 'refuse') {
          expect(reply.status, what).toBe(400);
          // The 400 names the field (or the field it needs, refused first: `logprobs` for `top_logprobs`).
          expect(
            Object.keys(sample).some((name) => reply.text.includes(`\`${name}\``)),
            what,
          ).toBe(true);
          continue;
        }
        expect(reply.status, what).toBe(200);
        if (action !== 'pass') continue;
        const sent = gateway.simulator!.recentRequests().at(-1);
        expect(sent, what).toBeDefined();
        if (rule.header === true)
          expect(sent!.headers[field], what).toContain(String(sample[field]));
        else expect((sent!.body as Record<string, unknown>)[field], what).toEqual(sample[field]);
      }
    });
  },
);
