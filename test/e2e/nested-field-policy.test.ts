import { describe, expect, it } from 'vitest';
import { decodeMessagesRequest } from '../../src/dialects/anthropic/decode-messages-request.js';
import { MESSAGES_NESTED_POLICY } from '../../src/dialects/anthropic/messages-nested-field-policy.js';
import { refusedEverywhere } from '../../src/dialects/field-policy.js';
import type { NestedPolicy } from '../../src/dialects/nested-field-policy.js';
import { CHAT_NESTED_POLICY } from '../../src/dialects/openai/chat-nested-field-policy.js';
import { decodeChatRequest } from '../../src/dialects/openai/decode-chat-request.js';
import { decodeResponsesRequest } from '../../src/dialects/openai-responses/decode-responses-request.js';
import { RESPONSES_NESTED_POLICY } from '../../src/dialects/openai-responses/responses-nested-field-policy.js';
import { docTable, ruleText } from '../helpers/compatibility-doc.js';

/**
 * The nested field policies (src/dialects/nested-field-policy.ts) and docs/compatibility.md's
 * nested tables are one thing, and the decoders follow them: for every row a request is built
 * with a value at that path, and the decoder must refuse it by path (refused rows), or show that
 * it reads the field by refusing some wrong value there by path (the other rows) — a field the
 * decoder ignores fails. Every object shape also refuses an unknown key by path.
 */
type Json = Record<string, unknown>;

interface Dialect {
  heading: string;
  policy: NestedPolicy;
  /** A valid request with `top` replaced by `value` (`top` is the path's first field). */
  request: (top: string, value: unknown) => Json;
  decode: (body: Json) => unknown;
  /** Minimal valid objects per path prefix (a prefix with `[kind]` is a list item). */
  minimal: Record<string, Json>;
  /** The discriminator of items at a list path (default `type`). */
  discriminator?: (list: string) => 'type' | 'role';
}

const DIALECTS: Dialect[] = [
  {
    heading: 'Chat Completions nested fields',
    policy: CHAT_NESTED_POLICY,
    request: (top, value) => ({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      [top]: value,
    }),
    decode: (body) => decodeChatRequest(body),
    discriminator: (list) => (list === 'messages' ? 'role' : 'type'),
    minimal: {
      'messages[system]': { role: 'system', content: 'x' },
      'messages[developer]': { role: 'developer', content: 'x' },
      'messages[user]': { role: 'user', content: 'x' },
      'messages[assistant]': { role: 'assistant', content: 'x' },
      'messages[tool]': { role: 'tool', tool_call_id: 'c1', content: 'x' },
      'messages[function]': { role: 'function', name: 'f', content: 'x' },
      'messages[system].content[text]': { type: 'text', text: 'x' },
      'messages[developer].content[text]': { type: 'text', text: 'x' },
      'messages[user].content[text]': { type: 'text', text: 'x' },
      'messages[assistant].content[text]': { type: 'text', text: 'x' },
      'messages[tool].content[text]': { type: 'text', text: 'x' },
      'messages[assistant].content[refusal]': { type: 'refusal', refusal: 'x' },
      'messages[user].content[image_url]': {
        type: 'image_url',
        image_url: { url: 'https://x.test/a.png' },
      },
      'messages[user].content[image_url].image_url': { url: 'https://x.test/a.png' },
      'messages[assistant].tool_calls[function]': {
        id: 'c1',
        type: 'function',
        function: { name: 'f', arguments: '{}' },
      },
      'messages[assistant].tool_calls[function].function': { name: 'f', arguments: '{}' },
      'tools[function]': { type: 'function', function: { name: 'f' } },
      'tools[function].function': { name: 'f' },
      'tool_choice[function]': { type: 'function', function: { name: 'f' } },
      'tool_choice[function].function': { name: 'f' },
      'response_format[json_schema]': { type: 'json_schema', json_schema: { name: 'r' } },
      'response_format[json_schema].json_schema': { name: 'r' },
      thinking: { type: 'enabled' },
    },
  },
  {
    heading: 'Messages nested fields',
    policy: MESSAGES_NESTED_POLICY,
    request: (top, value) => ({
      model: 'm',
      max_tokens: 4096,
      messages: [{ role: 'user', content: 'hi' }],
      [top]: value,
    }),
    decode: (body) => decodeMessagesRequest(body),
    minimal: {
      'messages[]': { role: 'user', content: 'x' },
      'messages[user]': { role: 'user', content: 'x' },
      'messages[assistant]': { role: 'assistant', content: 'x' },
      'messages[system]': { role: 'system', content: 'x' },
      'messages[user].content[text]': { type: 'text', text: 'x' },
      'messages[assistant].content[text]': { type: 'text', text: 'x' },
      'messages[system].content[text]': { type: 'text', text: 'x' },
      'system[text]': { type: 'text', text: 'x' },
      'messages[user].content[tool_result].content[text]': { type: 'text', text: 'x' },
      'messages[user].content[image]': {
        type: 'image',
        source: { type: 'url', url: 'https://x.test/a.png' },
      },
      'messages[user].content[tool_result].content[image]': {
        type: 'image',
        source: { type: 'url', url: 'https://x.test/a.png' },
      },
      'messages[user].content[image].source[base64]': {
        type: 'base64',
        media_type: 'image/png',
        data: 'AAAA',
      },
      'messages[user].content[tool_result].content[image].source[base64]': {
        type: 'base64',
        media_type: 'image/png',
        data: 'AAAA',
      },
      'messages[user].content[image].source[url]': { type: 'url', url: 'https://x.test/a.png' },
      'messages[user].content[tool_result].content[image].source[url]': {
        type: 'url',
        url: 'https://x.test/a.png',
      },
      'messages[user].content[tool_result]': { type: 'tool_result', tool_use_id: 't1' },
      'messages[assistant].content[tool_use]': {
        type: 'tool_use',
        id: 't1',
        name: 'f',
        input: {},
      },
      'messages[assistant].content[thinking]': { type: 'thinking', thinking: 'x', signature: 's' },
      'messages[assistant].content[redacted_thinking]': { type: 'redacted_thinking', data: 'd' },
      'tools[custom]': { name: 'f', input_schema: { type: 'object' } },
      'tools[server tool]': { type: 'web_search_20250305', name: 'web_search' },
      'tool_choice[tool]': { type: 'tool', name: 'f' },
      'thinking[enabled]': { type: 'enabled', budget_tokens: 1024 },
      'output_config.format[json_schema]': { type: 'json_schema', schema: { type: 'object' } },
    },
  },
  {
    heading: 'Responses nested fields',
    policy: RESPONSES_NESTED_POLICY,
    request: (top, value) => ({
      model: 'm',
      input: 'hi',
      tools: [
        { type: 'function', name: 'f' },
        { type: 'custom', name: 'c' },
      ],
      [top]: value,
    }),
    decode: (body) =>
      decodeResponsesRequest(body, { storing: true, newResponseId: () => 'resp_1' }),
    minimal: {
      'input[message]': { type: 'message', role: 'user', content: 'x' },
      'input[message] for content[output_text]': {
        type: 'message',
        role: 'assistant',
        content: 'x',
      },
      'input[message] for content[refusal]': { type: 'message', role: 'assistant', content: 'x' },
      'input[message].content[input_text]': { type: 'input_text', text: 'x' },
      'input[message].content[input_image]': {
        type: 'input_image',
        image_url: 'https://x.test/a.png',
      },
      'input[message].content[output_text]': { type: 'output_text', text: 'x' },
      'input[message].content[refusal]': { type: 'refusal', refusal: 'x' },
      'input[function_call]': { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
      'input[custom_tool_call]': { type: 'custom_tool_call', call_id: 'c1', name: 'c', input: 'x' },
      'input[function_call_output]': { type: 'function_call_output', call_id: 'c1', output: 'x' },
      'input[custom_tool_call_output]': {
        type: 'custom_tool_call_output',
        call_id: 'c1',
        output: 'x',
      },
      'input[function_call_output].output[input_text]': { type: 'input_text', text: 'x' },
      'input[custom_tool_call_output].output[input_text]': { type: 'input_text', text: 'x' },
      'input[reasoning]': { type: 'reasoning', summary: [] },
      'input[reasoning].summary[summary_text]': { type: 'summary_text', text: 'x' },
      'input[reasoning].content[reasoning_text]': { type: 'reasoning_text', text: 'x' },
      'tools[function]': { type: 'function', name: 'f' },
      'tools[custom]': { type: 'custom', name: 'c' },
      'tools[custom].format[grammar]': { type: 'grammar', syntax: 'regex', definition: 'x+' },
      'tool_choice[function]': { type: 'function', name: 'f' },
      'tool_choice[custom]': { type: 'custom', name: 'c' },
      'text.format[json_schema]': { type: 'json_schema', name: 'r', schema: {} },
    },
  },
];

/** `a[kind].b.c` → [{name: 'a', kind: 'kind'}, {name: 'b'}, {name: 'c'}]. */
function segments(pattern: string): Array<{ name: string; kind?: string }> {
  return [...pattern.matchAll(/([^.[\]]+)(?:\[([^\]]*)\])?/g)].map((match) =>
    match[2] === undefined ? { name: match[1]! } : { name: match[1]!, kind: match[2] },
  );
}

/**
 * A request with `value` at the row's path (`undefined`: the item the row names, as a whole),
 * and that path in the request (`messages[0].content[0].image_url.detail`).
 */
/** Path segments that are lists (the others with a `[kind]` are one object of that kind). */
const LISTS = new Set([
  'messages',
  'content',
  'tool_calls',
  'tools',
  'input',
  'output',
  'summary',
  'system',
]);
const isList = (part: { name: string; kind?: string }): boolean =>
  part.kind !== undefined && LISTS.has(part.name);

function build(dialect: Dialect, row: string, value: unknown, extra?: Json) {
  const parts = segments(row);
  const leaf = value === undefined ? undefined : parts.pop()!;
  const concrete = parts.map((part) => (isList(part) ? `${part.name}[0]` : part.name));
  const path = [...concrete, ...(leaf === undefined ? [] : [leaf.name])].join('.');
  const names = row.split('.');
  // Innermost first: each container holds the next one.
  let inner: unknown;
  for (let index = parts.length - 1; index >= 0; index--) {
    const part = parts[index]!;
    const prefix = names.slice(0, index + 1).join('.');
    const discriminator = dialect.discriminator?.(part.name) ?? 'type';
    const base =
      dialect.minimal[`${prefix} for ${names[index + 1]}`] ??
      dialect.minimal[prefix] ??
      (part.kind === undefined || part.kind === '' ? {} : { [discriminator]: part.kind });
    const object: Json = { ...base };
    if (index === parts.length - 1) {
      if (leaf !== undefined) object[leaf.name] = value;
      if (extra !== undefined) Object.assign(object, extra);
    } else {
      const child = parts[index + 1]!;
      object[child.name] = isList(child) ? [inner] : inner;
    }
    inner = object;
  }
  const top = parts[0]!;
  return { body: dialect.request(top.name, isList(top) ? [inner] : inner), path };
}

function thrown(run: () => unknown): { code?: string; param?: string; message?: string } {
  try {
    run();
  } catch (error) {
    return error as { code?: string; param?: string; message?: string };
  }
  return {};
}

/** Wrong values for any field: a decoder that reads the field refuses one of them by its path. */
const PROBES: unknown[] = [12345, 'probe-value', { probe: true }, [{ probe: true }], true];

const names = (path: string, param: string | undefined): boolean =>
  param !== undefined &&
  (param === path || param.startsWith(`${path}.`) || param.startsWith(`${path}[`));

describe.each(DIALECTS)('$heading', (dialect) => {
  const rows = Object.entries(dialect.policy);

  it('docs/compatibility.md has the same rows and rules', () => {
    const doc = docTable(dialect.heading);
    expect([...doc.keys()].sort()).toEqual(rows.map(([row]) => row).sort());
    for (const [row, rule] of rows)
      expect(doc.get(row), row).toEqual({
        openai: ruleText(rule['openai-compatible']),
        anthropic: ruleText(rule.anthropic),
      });
  });

  it('a refused row is refused by its path; its accepted defaults are not', () => {
    for (const [row, rule] of rows) {
      if (!refusedEverywhere(rule)) continue;
      const variant = row.endsWith(']');
      const { body, path } = build(dialect, row, variant ? undefined : 'probe-value');
      const error = thrown(() => dialect.decode(body));
      expect(error.code, `${row}: ${error.message}`).toBe('unsupported');
      if (variant) expect(names(path, error.param), `${row}: ${error.param}`).toBe(true);
      else expect(error.param, row).toBe(path);
      for (const value of rule.absent ?? []) {
        const accepted = build(dialect, row, value);
        expect(
          thrown(() => dialect.decode(accepted.body)),
          `${row}: ${JSON.stringify(value)}`,
        ).toEqual({});
      }
    }
  });

  it('every other row is read: some wrong value there is refused by its path', () => {
    for (const [row, rule] of rows) {
      if (refusedEverywhere(rule)) continue;
      const params = PROBES.map((probe) => {
        const { body, path } = build(dialect, row, probe);
        return { path, error: thrown(() => dialect.decode(body)) };
      });
      expect(
        params.some(({ path, error }) => names(path, error.param)),
        `${row} is ignored by the decoder: ${JSON.stringify(params.map(({ error }) => error.param))}`,
      ).toBe(true);
    }
  });

  it('every object shape refuses an unknown key by its path, and takes a null one', () => {
    const shapes = new Set(
      rows.filter(([row]) => !row.endsWith(']')).map(([row]) => row.slice(0, row.lastIndexOf('.'))),
    );
    for (const shape of shapes) {
      const { body, path } = build(dialect, `${shape}.surely_not_a_field`, 1);
      const error = thrown(() => dialect.decode(body));
      expect(error, shape).toMatchObject({ code: 'invalid_request', param: path });
      expect(error.message, shape).toBe(`Unknown field \`${path}\``);
      const nullKey = build(dialect, `${shape}.surely_not_a_field`, null);
      expect(
        thrown(() => dialect.decode(nullKey.body)),
        shape,
      ).toEqual({});
    }
  });
});
