import { describe, expect, it } from 'vitest';
import type { ChatRequest, CompletionRequest, Message } from '../../core/request.js';
import { extractFeatures } from './extract-features.js';

const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });
const chat = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  kind: 'chat',
  model: 'auto',
  stream: false,
  messages: [user(text)],
  ...extra,
});

describe('extractFeatures', () => {
  it('estimates prompt tokens from characters and expected output from the task, max_tokens, n and history', () => {
    const features = extractFeatures(chat('x'.repeat(4000)));
    expect(features.promptTokens).toBe(1000 + 2 * 3);
    expect(features.expectedOutputTokens).toBe(400);
    expect(
      extractFeatures(chat('Write unit tests for parse()', { maxTokens: 100, n: 2 }))
        .expectedOutputTokens,
    ).toBe(200);
    const history: Message[] = [
      user('hi'),
      { role: 'assistant', content: 'y'.repeat(4000) },
      user('and again'),
    ];
    const withHistory = extractFeatures({
      kind: 'chat',
      model: 'auto',
      stream: false,
      messages: history,
    });
    expect(withHistory.expectedOutputTokens).toBe(Math.round((400 + 1000) / 2));
    expect(withHistory.historyTurns).toBe(1);
    expect(withHistory.cacheablePromptTokens).toBe(Math.ceil(4002 / 4));
  });

  it('detects languages from fences, wording and syntax', () => {
    expect(extractFeatures(chat('```rust\nfn main() { let mut x = 1; }\n```')).languages[0]).toBe(
      'rust',
    );
    expect(extractFeatures(chat('Write this in Go please')).languages).toEqual(['go']);
    expect(
      extractFeatures(
        chat(
          'def add(a, b):\n    return a + b\n\nif __name__ == "__main__":\n    print(add(1, 2))',
        ),
      ).languages[0],
    ).toBe('python');
    expect(
      extractFeatures(
        chat(
          'interface User { name: string; age: number }\nconst f = (u: User): string => u.name;',
        ),
      ).languages[0],
    ).toBe('typescript');
    expect(
      extractFeatures(
        chat(
          'public class Main { public static void main(String[] a) { System.out.println(1); } }',
        ),
      ).languages[0],
    ).toBe('java');
    expect(extractFeatures(chat('hello there')).languages).toEqual([]);
  });

  it('tells standard-library imports from third-party ones, and counts external API calls', () => {
    const standard = extractFeatures(
      chat('import os\nfrom collections import Counter\nimport json\n'),
    );
    expect(standard).toMatchObject({ imports: 'standard-library', importCount: 3 });
    const third = extractFeatures(
      chat('import numpy as np\nimport requests\nr = requests.get("https://api.example.com/x")'),
    );
    expect(third.imports).toBe('third-party');
    expect(third.thirdPartyModules).toEqual(['numpy', 'requests']);
    expect(third.externalApiCalls).toBeGreaterThanOrEqual(1);
    expect(
      extractFeatures(chat('package main\nimport (\n  "fmt"\n  "net/http"\n)\n')).imports,
    ).toBe('standard-library');
    expect(
      extractFeatures(chat('package main\nimport (\n  "fmt"\n  "github.com/gin-gonic/gin"\n)\n'))
        .imports,
    ).toBe('third-party');
    expect(
      extractFeatures(chat("import { readFile } from 'node:fs';\nimport express from 'express';"))
        .thirdPartyModules,
    ).toEqual(['express']);
    expect(
      extractFeatures(chat('use std::collections::HashMap;\nuse serde::Deserialize;'))
        .thirdPartyModules,
    ).toEqual(['serde::Deserialize']);
    expect(extractFeatures(chat('just words')).imports).toBe('none');
  });

  it('measures nesting depth by brackets and by indentation', () => {
    expect(extractFeatures(chat('f(a[b{c}])')).nestingDepth).toBe(3);
    expect(
      extractFeatures(chat('if a:\n    if b:\n        if c:\n            x = 1')).nestingDepth,
    ).toBe(3);
  });

  it('sees FIM, tools and JSON', () => {
    const fim: CompletionRequest = {
      kind: 'completion',
      model: 'auto',
      stream: false,
      prompt: ['def f(x):\n    '],
      suffix: '\n    return y',
    };
    expect(extractFeatures(fim)).toMatchObject({ fim: true, task: 'completion' });
    const tools = chat('weather?', { tools: [{ name: 'get_weather', parameters: {} }] });
    expect(extractFeatures(tools)).toMatchObject({ tools: true, json: false });
    expect(extractFeatures({ ...tools, toolChoice: 'none' }).tools).toBe(false);
    expect(extractFeatures(chat('list', { responseFormat: { type: 'json_object' } })).json).toBe(
      true,
    );
  });

  it.each([
    ['Suggest a better name for this variable', 'naming'],
    ['Add a docstring to this function', 'docstring'],
    ['Write unit tests for the parser', 'test-stub'],
    ['Complete this function body', 'completion'],
    ['Refactor this class to be more readable', 'refactor'],
    ['This throws a TypeError, please fix it', 'bug-fix'],
    ['Find the longest palindromic subsequence with dynamic programming', 'algorithm'],
    ['Resolve the dependency version conflict in package.json', 'system-level'],
    ['Tell me about your day', 'general'],
  ])('classifies "%s" as %s', (text, task) => {
    expect(extractFeatures(chat(text)).task).toBe(task);
  });

  it('rates a system-level task with third-party imports harder than a naming task', () => {
    const easy = extractFeatures(chat('Rename x'));
    const hard = extractFeatures(
      chat('Fix the deadlock between these threads\nimport redis\nimport threading\n'),
    );
    expect(easy.difficulty).toBeLessThan(0.2);
    expect(hard.difficulty).toBeGreaterThan(0.8);
  });

  it('reads only a bounded sample of a huge prompt: sizes stay exact, imports in the middle go unseen', () => {
    const middle = `${'a = 1\n'.repeat(50_000)}import numpy\n${'b = 2\n'.repeat(50_000)}`;
    const features = extractFeatures(chat(`Refactor this Python:\n${middle}`));
    expect(features.promptTokens).toBe(Math.ceil((21 + middle.length) / 4) + 6);
    expect(features.imports).toBe('none');
    expect(features.task).toBe('refactor');
  });
});
