import { describe, expect, it } from 'vitest';
import { BENCH_MODELS } from './bench-fleet.js';
import { difficultyOf, generateWorkload, passProbability } from './generated-workload.js';
import { LANGUAGES, TASK_KINDS } from './generated-prompts.js';

describe('generated workload', () => {
  const workload = generateWorkload(400, 3);

  it('is deterministic in (count, seed) and changes with the seed', () => {
    expect(generateWorkload(400, 3)).toEqual(workload);
    expect(generateWorkload(400, 4).tasks.map((task) => task.prompt)).not.toEqual(
      workload.tasks.map((task) => task.prompt),
    );
  });

  it('covers every language and task kind, with prompts that look like requests', () => {
    const groups = new Set(workload.tasks.map((task) => task.group));
    for (const language of LANGUAGES)
      for (const kind of TASK_KINDS)
        expect(groups.has(`${language}/${kind}`), `${language}/${kind}`).toBe(true);
    const python = workload.tasks.find((task) => task.group === 'python/system-level')!;
    expect(python.prompt).toMatch(/```python\n/);
    expect(python.prompt).toMatch(/^(import|from) /m);
    const go = workload.tasks.find((task) => task.group === 'go/bug-fix')!;
    expect(go.prompt).toMatch(/func \w+\(/);
  });

  it('never writes the difficulty or the outcome into the prompt', () => {
    for (const task of workload.tasks)
      expect(task.prompt).not.toMatch(/difficult|hard|easy|\[\[sim:|pass/i);
  });

  it('makes strong models pass more than weak ones, and hard kinds fail more than easy ones', () => {
    const rate = (model: string, kinds: readonly string[]): number => {
      const tasks = workload.tasks.filter((task) => kinds.includes(task.group.split('/')[1]!));
      return tasks.filter((task) => task.outcomes[model]!.passed).length / tasks.length;
    };
    expect(rate('gpt-4-1106-preview', TASK_KINDS)).toBeGreaterThan(
      rate('mistralai/mistral-7b-chat', TASK_KINDS) + 0.2,
    );
    expect(rate('mistralai/mistral-7b-chat', ['naming', 'docstring'])).toBeGreaterThan(
      rate('mistralai/mistral-7b-chat', ['algorithm', 'system-level']) + 0.3,
    );
    for (const task of workload.tasks)
      expect(Object.keys(task.outcomes)).toHaveLength(BENCH_MODELS.length);
  });

  it('rises with imports and nesting, and falls with skill', () => {
    const base = {
      language: 'python',
      kind: 'refactor',
      standardImports: 0,
      externalImports: 0,
      nesting: 1,
      width: 2,
      topic: 'orders',
    } as const;
    expect(difficultyOf({ ...base, externalImports: 2 }, 0)).toBeGreaterThan(difficultyOf(base, 0));
    expect(difficultyOf({ ...base, nesting: 4 }, 0)).toBeGreaterThan(difficultyOf(base, 0));
    expect(passProbability('gpt-4-1106-preview', 'rust', 1)).toBeGreaterThan(
      passProbability('mistralai/mistral-7b-chat', 'rust', 1),
    );
  });
});
