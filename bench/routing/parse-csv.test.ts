import { describe, expect, it } from 'vitest';
import { benchModel } from './bench-fleet.js';
import { csvRecords, parseCsv, parsePythonStringList } from './parse-csv.js';
import { parseRouterBench, tokensForCost } from './routerbench-workload.js';

describe('parseCsv', () => {
  it('reads quoted fields with commas, newlines and doubled quotes, LF and CRLF rows', () => {
    const text = 'a,b,c\r\n1,"two, three","line one\nline ""two"""\n,,"x"\n';
    expect(parseCsv(text)).toEqual([
      ['a', 'b', 'c'],
      ['1', 'two, three', 'line one\nline "two"'],
      ['', '', 'x'],
    ]);
  });

  it('keeps a last row without a newline, and rejects an unclosed quote', () => {
    expect(parseCsv('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(() => parseCsv('a\n"open')).toThrow(/not closed/);
  });

  it('maps rows to the header and rejects rows of another width', () => {
    expect(csvRecords('x,y\n1,2\n')).toEqual([{ x: '1', y: '2' }]);
    expect(() => csvRecords('x,y\n1\n')).toThrow(/row 2 has 1 fields/);
  });
});

describe('parsePythonStringList', () => {
  it('reads single- and double-quoted literals with escapes', () => {
    expect(parsePythonStringList(`['Write a function.']`)).toEqual(['Write a function.']);
    expect(
      parsePythonStringList(
        `["Here's one:\\n\\n\`\`\`python\\nprint('a\\\\b')\\n\`\`\`", 'it\\'s \\x41\\u00e9']`,
      ),
    ).toEqual(["Here's one:\n\n```python\nprint('a\\b')\n```", "it's Aé"]);
    expect(parsePythonStringList('[]')).toEqual([]);
  });

  it('rejects what is not a list of strings', () => {
    expect(() => parsePythonStringList('hello')).toThrow(/not a Python list/);
    expect(() => parsePythonStringList('[1, 2]')).toThrow(/string literal/);
    expect(() => parsePythonStringList("['a' 'b']")).toThrow(/expected/);
  });
});

describe('RouterBench rows', () => {
  const models = [
    'WizardLM/WizardLM-13B-V1.2',
    'claude-instant-v1',
    'claude-v1',
    'claude-v2',
    'gpt-3.5-turbo-1106',
    'gpt-4-1106-preview',
    'meta/code-llama-instruct-34b-chat',
    'meta/llama-2-70b-chat',
    'mistralai/mistral-7b-chat',
    'mistralai/mixtral-8x7b-chat',
    'zero-one-ai/Yi-34B-Chat',
  ];
  const quote = (text: string): string => `"${text.replaceAll('"', '""')}"`;
  const header = [
    ',sample_id,prompt,eval_name',
    ...models,
    ...models.map((model) => `${model}|model_response`),
    ...models.map((model) => `${model}|total_cost`),
    'oracle_model_to_route_to',
  ].join(',');
  const row = [
    '0,mbpp.dev.1',
    quote('[\'Write a function, with "quotes".\']'),
    'mbpp',
    ...models.map((model) => (model.startsWith('gpt-4') ? '1.0' : '0.0')),
    ...models.map((model) => quote(`["answer of ${model}:\\n\`\`\`python\\npass\\n\`\`\`"]`)),
    ...models.map(() => '0.001'),
    'gpt-4-1106-preview',
  ].join(',');

  it('parses prompts, answers, outcomes and costs of the 11 models', () => {
    const workload = parseRouterBench(`${header}\n${row}\n`);
    const task = workload.tasks[0]!;
    expect(task.id).toBe('mbpp.dev.1');
    expect(task.prompt).toBe('Write a function, with "quotes".');
    expect(task.outcomes['gpt-4-1106-preview']).toMatchObject({
      passed: true,
      costUsd: 0.001,
      answer: 'answer of gpt-4-1106-preview:\n```python\npass\n```',
    });
    expect(task.outcomes['claude-v2']?.passed).toBe(false);
    expect(Object.keys(task.outcomes)).toHaveLength(11);
  });

  it('turns a recorded cost into token counts that cost the same at the list price', () => {
    const gpt4 = benchModel('gpt-4-1106-preview');
    const prompt = 'x'.repeat(400);
    const tokens = tokensForCost(gpt4, prompt, 0.0061);
    expect(tokens.promptTokens).toBe(100);
    expect((tokens.promptTokens * 10 + tokens.completionTokens * 30) / 1e6).toBeCloseTo(0.0061, 5);
    const tiny = tokensForCost(gpt4, prompt, 0.0005);
    expect(tiny.completionTokens).toBe(1);
    expect((tiny.promptTokens * 10 + 30) / 1e6).toBeCloseTo(0.0005, 5);
  });
});
