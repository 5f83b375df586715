import { describe, expect, it } from 'vitest';
import type { ChatRequest, CompletionRequest } from '../core/request.js';
import { decodeMessagesRequest } from '../dialects/anthropic/decode-messages-request.js';
import { decodeChatRequest } from '../dialects/openai/decode-chat-request.js';
import { stableStringify } from '../core/stable-stringify.js';
import { cacheKey, normalizeText } from './cache-key.js';

const chat: ChatRequest = {
  kind: 'chat',
  model: 'auto',
  stream: false,
  messages: [
    { role: 'system', content: 'You write tests.' },
    { role: 'user', content: [{ type: 'text', text: 'def add(a, b):\n    return a + b' }] },
  ],
};

const completion: CompletionRequest = {
  kind: 'completion',
  model: 'coder',
  stream: false,
  prompt: ['def fib(n):'],
};

describe('normalizeText', () => {
  it('drops trailing whitespace per line and at the end, turns CRLF and CR into LF', () => {
    expect(normalizeText('a  \r\nb\t\rc \n\n')).toBe('a\nb\nc');
  });
  it('keeps indentation and runs of spaces inside a line', () => {
    expect(normalizeText('  x =  1\n    y')).toBe('  x =  1\n    y');
  });
});

describe('stableStringify', () => {
  it('writes keys in sorted order at every depth and leaves undefined out', () => {
    expect(stableStringify({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });
});

describe('cacheKey', () => {
  it('is equal for requests that differ only in key order, trailing whitespace, CRLF, stream, stream usage or user', () => {
    const reordered = JSON.parse(
      JSON.stringify({ messages: chat.messages, stream: true, model: 'auto', kind: 'chat' }),
    ) as ChatRequest;
    reordered.messages[1] = {
      role: 'user',
      content: [{ type: 'text', text: 'def add(a, b):  \r\n    return a + b \n' }],
    };
    reordered.streamUsage = true;
    reordered.user = 'someone';
    expect(cacheKey(reordered)).toBe(cacheKey(chat));
  });

  it('is equal for wire requests whose JSON lists keys in another order at every depth (both dialects)', () => {
    const tool = {
      type: 'function',
      function: {
        name: 'run',
        parameters: { type: 'object', properties: { a: { type: 'string' } } },
      },
    };
    const one = decodeChatRequest({
      model: 'auto',
      temperature: 0,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      tools: [tool],
      response_format: { type: 'json_object' },
    });
    const two = decodeChatRequest({
      response_format: { type: 'json_object' },
      tools: [
        {
          function: {
            parameters: { properties: { a: { type: 'string' } }, type: 'object' },
            name: 'run',
          },
          type: 'function',
        },
      ],
      messages: [
        { content: 'Be brief.', role: 'system' },
        { content: 'Hi ', role: 'user' },
      ],
      temperature: 0,
      model: 'auto',
    });
    expect(cacheKey(two)).toBe(cacheKey(one));
    const three = decodeMessagesRequest({
      model: 'auto',
      max_tokens: 50,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    });
    const four = decodeMessagesRequest({
      messages: [{ content: [{ text: 'Hi\n', type: 'text' }], role: 'user' }],
      system: 'Be brief.',
      max_tokens: 50,
      model: 'auto',
    });
    expect(cacheKey(four)).toBe(cacheKey(three));
  });

  it('is equal when tool schemas list their keys in another order', () => {
    const tools = [
      {
        name: 'run',
        parameters: {
          type: 'object',
          properties: { a: { type: 'string' }, b: { type: 'number' } },
        },
      },
    ];
    const reordered = [
      {
        parameters: {
          properties: { b: { type: 'number' }, a: { type: 'string' } },
          type: 'object',
        },
        name: 'run',
      },
    ];
    expect(cacheKey({ ...chat, tools })).toBe(cacheKey({ ...chat, tools: reordered }));
  });

  const chatVariants: Record<string, Partial<ChatRequest>> = {
    model: { model: 'deepseek-chat' },
    temperature: { temperature: 0.5 },
    topP: { topP: 0.9 },
    maxTokens: { maxTokens: 64 },
    stop: { stop: ['\n\n'] },
    seed: { seed: 7 },
    n: { n: 2 },
    presencePenalty: { presencePenalty: 0.5 },
    frequencyPenalty: { frequencyPenalty: 0.5 },
    tools: { tools: [{ name: 'run', parameters: { type: 'object' } }] },
    toolChoice: { toolChoice: 'required' },
    parallelToolCalls: { parallelToolCalls: false },
    responseFormat: { responseFormat: { type: 'json_object' } },
    reasoningEffort: { reasoningEffort: 'high' },
    messages: {
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'def add(a, b):\n  return a + b' }] },
      ],
    },
    system: { messages: [{ role: 'system', content: 'You write docs.' }, chat.messages[1]!] },
  };
  for (const [parameter, change] of Object.entries(chatVariants)) {
    it(`differs when ${parameter} differs (chat)`, () => {
      expect(cacheKey({ ...chat, ...change })).not.toBe(cacheKey(chat));
    });
  }

  it('differs for every value of each numeric parameter tried (property check)', () => {
    for (const field of [
      'temperature',
      'topP',
      'maxTokens',
      'seed',
      'n',
      'presencePenalty',
      'frequencyPenalty',
    ] as const) {
      const keys = new Set<string>();
      for (const value of [0, 0.1, 0.2, 1, 2, 3, 100])
        keys.add(cacheKey({ ...chat, [field]: value }));
      keys.add(cacheKey(chat));
      expect(keys.size, field).toBe(8);
    }
  });

  const completionVariants: Record<string, Partial<CompletionRequest>> = {
    prompt: { prompt: ['def fib(m):'] },
    promptArray: { prompt: ['def fib(n):', 'def fact(n):'] },
    suffix: { suffix: '\n    return n' },
    echo: { echo: true },
    maxTokens: { maxTokens: 16 },
    temperature: { temperature: 0 },
    stop: { stop: ['\n'] },
  };
  for (const [parameter, change] of Object.entries(completionVariants)) {
    it(`differs when ${parameter} differs (completion)`, () => {
      expect(cacheKey({ ...completion, ...change })).not.toBe(cacheKey(completion));
    });
  }

  it('separates chat from completions and one scope from another', () => {
    const asChat: ChatRequest = {
      kind: 'chat',
      model: 'coder',
      stream: false,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'def fib(n):' }] }],
    };
    expect(cacheKey(asChat)).not.toBe(cacheKey(completion));
    expect(cacheKey(chat, 'key_a')).not.toBe(cacheKey(chat, 'key_b'));
    expect(cacheKey(chat, 'key_a')).not.toBe(cacheKey(chat));
  });

  it('keeps tool results and tool-call arguments verbatim', () => {
    const withTool = (content: string): ChatRequest => ({
      ...chat,
      messages: [...chat.messages, { role: 'tool', toolCallId: 'c1', content }],
    });
    expect(cacheKey(withTool('out '))).not.toBe(cacheKey(withTool('out')));
  });
});

describe('cacheKey and provider cache marks', () => {
  it('is equal for requests that differ only in cache_control marks', () => {
    const mark = { type: 'ephemeral' } as const;
    const marked: ChatRequest = {
      ...chat,
      messages: [
        { role: 'system', content: 'You write tests.', cacheControl: mark },
        {
          role: 'user',
          content: [{ type: 'text', text: 'def add(a, b):\n    return a + b', cacheControl: mark }],
        },
      ],
      tools: [{ name: 't', parameters: { type: 'object' }, cacheControl: mark }],
    };
    const plain: ChatRequest = { ...chat, tools: [{ name: 't', parameters: { type: 'object' } }] };
    expect(cacheKey(marked)).toBe(cacheKey(plain));
    expect(cacheKey(plain)).not.toBe(cacheKey(chat));
  });
});
