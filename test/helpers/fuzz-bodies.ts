/**
 * Seeded generators of hostile request bodies for the fuzz suite: a valid body for the endpoint,
 * then one to three mutations (a value replaced by a wrong type, a huge or deeply nested value, a
 * prototype key; a key deleted or added), and sometimes a mutation of the bytes themselves
 * (truncated, invalid UTF-8, not JSON at all). Same seed, same bodies.
 */

export type Random = () => number;

/** Deterministic PRNG (mulberry32). */
export function seeded(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;

export type FuzzEndpoint = 'chat' | 'messages' | 'responses' | 'count_tokens' | 'embeddings';

export const FUZZ_PATHS: Record<FuzzEndpoint, string> = {
  chat: '/v1/chat/completions',
  messages: '/v1/messages',
  responses: '/v1/responses',
  count_tokens: '/v1/messages/count_tokens',
  embeddings: '/v1/embeddings',
};

const TOOL = {
  type: 'function',
  function: {
    name: 'lookup',
    description: 'Look something up',
    parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
  },
};

function validBody(endpoint: FuzzEndpoint, random: Random): Record<string, unknown> {
  const stream = random() < 0.3;
  switch (endpoint) {
    case 'chat':
      return {
        model: pick(random, ['auto', 'deepseek-chat', 'gpt-4o-mini', 'claude-3-5-haiku-20241022']),
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'text', text: 'Say hi' }] },
        ],
        max_tokens: 16,
        temperature: 0.2,
        stream,
        tools: [TOOL],
        response_format: { type: 'text' },
        metadata: { tag: 'fuzz' },
      };
    case 'messages':
      return {
        model: pick(random, ['auto', 'claude-3-5-haiku-20241022', 'deepseek-chat']),
        max_tokens: 16,
        system: [{ type: 'text', text: 'Be brief.' }],
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Say hi' }] },
          {
            role: 'assistant',
            content: [{ type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { q: 'x' } }],
          },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'found' }],
          },
        ],
        tools: [{ name: 'lookup', input_schema: TOOL.function.parameters }],
        stream,
      };
    case 'responses':
      return {
        model: pick(random, ['auto', 'deepseek-chat', 'gpt-4o-mini']),
        input: [{ role: 'user', content: [{ type: 'input_text', text: 'Say hi' }] }],
        instructions: 'Be brief.',
        max_output_tokens: 16,
        tools: [{ type: 'function', name: 'lookup', parameters: TOOL.function.parameters }],
        store: false,
        stream,
      };
    case 'count_tokens':
      return {
        model: 'claude-3-5-haiku-20241022',
        system: 'Be brief.',
        messages: [{ role: 'user', content: 'Say hi' }],
        tools: [{ name: 'lookup', input_schema: TOOL.function.parameters }],
      };
    case 'embeddings':
      return {
        model: 'text-embedding-3-small',
        input: pick(random, ['hello', ['a', 'b'], [[1, 2, 3]]]),
        encoding_format: pick(random, ['float', 'base64']),
      };
  }
}

const DEEP_MARKER = '\u0000deep:';

/** `levels` nested containers as JSON text, built without recursion. */
function deepText(levels: number): string {
  let open = '';
  let close = '';
  for (let level = 0; level < levels; level++) {
    open += level % 2 ? '[' : '{"a":';
    close = (level % 2 ? ']' : '}') + close;
  }
  return `${open}"deep"${close}`;
}

function nested(levels: number, leaf: unknown): unknown {
  let value = leaf;
  for (let level = 0; level < levels; level++) value = level % 2 ? [value] : { a: value };
  return value;
}

/** A hostile value: wrong types, extremes, prototype keys, deep nesting, huge containers. */
function hostileValue(random: Random): unknown {
  switch (Math.floor(random() * 16)) {
    case 0:
      return null;
    case 1:
      return pick(random, [true, false]);
    case 2:
      return pick(random, [0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.5, -0]);
    case 3:
      return pick(random, ['', ' ', 'x'.repeat(20_000), '\u0000', '\u202e\ufeff', '🙂'.repeat(50)]);
    case 4:
      return [];
    case 5:
      return {};
    case 6:
      // Past the 64-level limit, and sometimes as deep as overflowed the stack before it (3,000+:
      // spliced in as text after JSON.stringify, which would overflow on it too).
      return random() < 0.3
        ? `${DEEP_MARKER}${3000 + Math.floor(random() * 3000)}`
        : nested(20 + Math.floor(random() * 200), 'deep');
    case 7:
      return Array.from({ length: 1_000 + Math.floor(random() * 4_000) }, (_, index) => index);
    case 8:
      return JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}');
    case 9:
      return { toString: 'x', valueOf: 1, hasOwnProperty: null, prototype: {} };
    case 10:
      return pick(random, ['__proto__', 'constructor', 'toString', 'hasOwnProperty']);
    case 11:
      return [{ type: pick(random, ['text', 'image', 'tool_use', 'nope', '__proto__']) }];
    case 12:
      return { role: pick(random, ['user', 'tool', 'developer', 'constructor']), content: 1 };
    case 13:
      return Array.from({ length: 200 }, () => ({ role: 'user', content: 'x' }));
    case 14:
      return { type: 'json_schema', json_schema: { name: 'x', schema: nested(60, {}) } };
    default:
      return 'string';
  }
}

type Container = Record<string, unknown> | unknown[];

/** Every container in the value with the key or index of each child (iterative walk). */
function slots(root: Container): Array<{ parent: Container; key: string | number }> {
  const found: Array<{ parent: Container; key: string | number }> = [];
  const stack: Container[] = [root];
  while (stack.length > 0 && found.length < 500) {
    const parent = stack.pop()!;
    const keys: Array<string | number> = Array.isArray(parent)
      ? parent.map((_, index) => index)
      : Object.keys(parent);
    for (const key of keys) {
      found.push({ parent, key });
      const child = (parent as Record<string | number, unknown>)[key];
      // Not into huge arrays: a mutation there would compound one huge value into another.
      const huge = Array.isArray(child) && child.length > 100;
      if (child !== null && typeof child === 'object' && !huge) stack.push(child as Container);
    }
  }
  return found;
}

function mutate(body: Record<string, unknown>, random: Random): void {
  const targets = slots(body);
  const { parent, key } = pick(random, targets);
  const choice = random();
  if (choice < 0.6) (parent as Record<string | number, unknown>)[key] = hostileValue(random);
  else if (choice < 0.75 && !Array.isArray(parent)) delete parent[key as string];
  else if (!Array.isArray(parent)) {
    const name = pick(random, ['__proto__', 'constructor', 'prototype', 'extra_field', '']);
    Object.defineProperty(parent, name, {
      value: hostileValue(random),
      enumerable: true,
      configurable: true,
      writable: true,
    });
  } else parent.push(hostileValue(random));
}

/** One fuzz body as bytes (a Buffer: some are not valid UTF-8). */
export function fuzzBody(endpoint: FuzzEndpoint, random: Random): Buffer {
  // A copy: the templates share objects (TOOL), which a mutation must not change for later bodies.
  const body = structuredClone(validBody(endpoint, random));
  // Some bodies stay valid, so the happy path (upstream call, stream) is fuzzed alongside.
  const mutations = random() < 0.15 ? 0 : 1 + Math.floor(random() * 3);
  for (let index = 0; index < mutations; index++) mutate(body, random);
  let text = JSON.stringify(body).replace(/"\\u0000deep:(\d+)"/g, (_, levels: string) =>
    deepText(Number(levels)),
  );
  const framing = random();
  if (framing < 0.05) text = text.slice(0, Math.floor(random() * text.length));
  else if (framing < 0.08)
    text = pick(random, ['', 'null', '[]', '"x"', '1', 'true', '{', 'garbage']);
  else if (framing < 0.1) text = `\ufeff${text}`;
  else if (framing < 0.12) text = text.replace('Say hi', 'Say \\ud800 hi'); // lone surrogate escape
  const bytes = Buffer.from(text, 'utf8');
  if (framing >= 0.12 && framing < 0.16) {
    // Invalid UTF-8 inside a string value.
    const at = bytes.indexOf('Say');
    if (at !== -1)
      return Buffer.concat([
        bytes.subarray(0, at),
        Buffer.from([0xff, 0xfe, 0xc3]),
        bytes.subarray(at),
      ]);
  }
  return bytes;
}
