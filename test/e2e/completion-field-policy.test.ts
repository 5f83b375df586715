import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusedEverywhere, wireAction } from '../../src/dialects/field-policy.js';
import {
  COMPLETION_FIELD_POLICY,
  COMPLETION_NESTED_POLICY,
} from '../../src/dialects/openai/completion-field-policy.js';
import { decodeCompletionRequest } from '../../src/dialects/openai/decode-completion-request.js';
import { docTable, ruleText } from '../helpers/compatibility-doc.js';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

/**
 * `POST /v1/completions` has a field policy like the other dialects: docs/compatibility.md's
 * table and the data agree, the decoder knows exactly the policy's fields, and requests through
 * the simulator are passed, translated or refused as the policy says.
 */
const MODEL = 'qwen2.5-coder-7b-instruct';

const SAMPLES: Record<string, Record<string, unknown>> = {
  suffix: { suffix: '\n    return x' },
  echo: { echo: false },
  max_tokens: { max_tokens: 8 },
  temperature: { temperature: 0.5 },
  top_p: { top_p: 0.9 },
  stop: { stop: ['ZZZ'] },
  stream: { stream: false },
  stream_options: { stream_options: { include_usage: true }, stream: true },
  user: { user: 'u-1' },
  n: { n: 2 },
  seed: { seed: 7 },
  presence_penalty: { presence_penalty: 0.5 },
  frequency_penalty: { frequency_penalty: 0.5 },
  best_of: { best_of: 3 },
  logprobs: { logprobs: 2 },
  logit_bias: { logit_bias: { '50256': -100 } },
};

function thrown(run: () => unknown): { code?: string; param?: string } {
  try {
    run();
  } catch (error) {
    return error as { code?: string; param?: string };
  }
  return {};
}

let gateway: TestGateway;
let client: OpenAI;
beforeAll(async () => {
  gateway = await startTestGateway({ cache: { enabled: false } });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
});
afterAll(() => gateway?.close());

describe('/v1/completions field policy', () => {
  it('docs/compatibility.md has the same fields and rules', () => {
    const rows = docTable('Completions fields');
    const policy = { ...COMPLETION_FIELD_POLICY, ...COMPLETION_NESTED_POLICY };
    expect([...rows.keys()].sort()).toEqual(Object.keys(policy).sort());
    for (const [field, rule] of Object.entries(policy))
      expect(rows.get(field), field).toEqual({
        openai: ruleText(rule['openai-compatible']),
        anthropic: ruleText(rule.anthropic),
      });
  });

  it('the decoder knows exactly the policy fields and refuses the refused ones by name', () => {
    const decode = (body: Record<string, unknown>) =>
      decodeCompletionRequest({ model: 'm', prompt: 'x', ...body });
    for (const [field, rule] of Object.entries(COMPLETION_FIELD_POLICY)) {
      if (field !== 'model' && field !== 'prompt')
        expect(
          thrown(() => decode({ [field]: null })),
          field,
        ).toEqual({});
      if (refusedEverywhere(rule))
        expect(
          thrown(() => decode(SAMPLES[field]!)),
          field,
        ).toMatchObject({
          code: 'unsupported',
          param: field,
        });
    }
    expect(thrown(() => decode({ best_of: 1 }))).toEqual({});
    expect(thrown(() => decode({ top_k: 5 }))).toMatchObject({
      code: 'invalid_request',
      param: 'top_k',
    });
    expect(thrown(() => decode({ stream_options: { colour: 1 } }))).toMatchObject({
      code: 'invalid_request',
      param: 'stream_options.colour',
    });
  });

  it('every optional field has a sample', () => {
    for (const field of Object.keys(COMPLETION_FIELD_POLICY))
      if (field !== 'model' && field !== 'prompt') expect(SAMPLES[field], field).toBeDefined();
  });

  it('requests through the simulator behave as the policy says', async () => {
    const entry = gateway.config.models.get(MODEL)!;
    const quirks = gateway.config.providers.get(entry.deployments[0]!.provider)!.settings.quirks;
    for (const [field, sample] of Object.entries(SAMPLES)) {
      const action = wireAction(COMPLETION_FIELD_POLICY[field]!, 'openai-compatible', quirks);
      const response = await fetch(`${gateway.url}/v1/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: MODEL, prompt: 'def f(x):', max_tokens: 8, ...sample }),
      });
      const text = await response.text();
      const what = `${field}: ${action} (${response.status} ${text.slice(0, 300)})`;
      if (action === 'refuse') {
        expect(response.status, what).toBe(400);
        expect(text, what).toContain(`\`${field}\``);
        continue;
      }
      expect(response.status, what).toBe(200);
      if (action !== 'pass') continue;
      const sent = gateway.simulator!.recentRequests().at(-1)!.body as Record<string, unknown>;
      expect(sent[field], what).toEqual(sample[field]);
    }
  });

  it('the openai SDK gets the refusal as a 400 naming the field', async () => {
    await expect(
      client.completions.create({ model: MODEL, prompt: 'def f(x):', best_of: 2 }),
    ).rejects.toMatchObject({ status: 400, code: 'unsupported', param: 'best_of' });
    await expect(
      client.completions.create({ model: MODEL, prompt: 'def f(x):', logprobs: 1 }),
    ).rejects.toMatchObject({ status: 400, param: 'logprobs' });
  });
});
