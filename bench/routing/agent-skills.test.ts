import { describe, expect, it } from 'vitest';
import { toolFailure } from '../../src/learning/tool-failure.js';
import {
  parseSkillTable,
  SKILL_LANGUAGES,
  skillOf,
  testOutput,
  turnPasses,
} from './agent-skills.js';
import { generateAgentTasks } from './agent-sessions.js';

// The shape of the shared data's quality-priors.md (figures made up for the test).
const TABLE = `# Published pass@1

| Model | Py | Java | C++ | TS | JS | Go | Rust |
|---|---|---|---|---|---|---|---|
| Small-Coder (Q) | 80.0 | 70.0 | 60.0 | 75.0 | 76.0 | – | – |
| Big-Model (D; Go from M) | 90.0 | 85.0 | 84.0 | 86.0 | 88.0 | 62 | 80.0 |

Notes after the table.
`;

describe('agent-session skills', () => {
  it('reads the published table per model and language, "–" as missing', () => {
    const table = parseSkillTable(TABLE);
    expect([...table.keys()]).toEqual(['Small-Coder', 'Big-Model']);
    expect(table.get('Small-Coder')).toEqual({
      python: 80,
      java: 70,
      cpp: 60,
      typescript: 75,
      javascript: 76,
    });
    expect(table.get('Big-Model')!.go).toBe(62);
    expect(() => parseSkillTable('no table here')).toThrow(/Model/);
  });

  it('falls back to the row mean for an unmeasured language, to the table minimum for an unlisted model', () => {
    const table = parseSkillTable(TABLE);
    expect(skillOf(table, 'Small-Coder', 'python')).toBe(80);
    expect(skillOf(table, 'Small-Coder', 'go')).toBeCloseTo((80 + 70 + 60 + 75 + 76) / 5);
    expect(skillOf(table, undefined, 'cpp')).toBe(60);
    expect(skillOf(table, 'Unknown', 'rust')).toBe(80);
  });

  it('draws passes from (skill/100)^hardness, seeded and repeatable', () => {
    const rate = (skill: number, hardness: number) => {
      let passed = 0;
      for (let index = 0; index < 4000; index++)
        if (turnPasses(skill, hardness, `s${index}`, 1, 'm', 1)) passed++;
      return passed / 4000;
    };
    expect(rate(90, 1)).toBeCloseTo(0.9, 1);
    expect(rate(90, 4)).toBeCloseTo(0.9 ** 4, 1);
    expect(rate(60, 4)).toBeLessThan(rate(90, 4) / 3);
    expect(turnPasses(75, 3, 's', 2, 'm', 7)).toBe(turnPasses(75, 3, 's', 2, 'm', 7));
  });

  it('writes failing runs the gateway recognises as failures, and passing runs it does not', () => {
    for (const language of SKILL_LANGUAGES) {
      expect(toolFailure(testOutput(language, false)), language).toBeDefined();
      expect(toolFailure(testOutput(language, true)), language).toBeUndefined();
    }
  });

  it('generates tasks over every language, the language named in the prompt', () => {
    const tasks = generateAgentTasks(14, 3);
    expect(new Set(tasks.map((task) => task.language)).size).toBe(7);
    expect(tasks.every((task) => task.hardness >= 2 && task.hardness <= 6)).toBe(true);
    expect(tasks.find((task) => task.language === 'rust')!.prompt).toContain('in Rust');
    expect(generateAgentTasks(14, 3)).toEqual(tasks);
  });
});

describe('an agent session through the gateway', () => {
  it('a failing tool result raises the cascade for the next turn; the session ends on a pass', async () => {
    const { startGateway } = await import('../../src/app/start-gateway.js');
    const { embeddedConfigFile, parseConfigText } = await import('../../src/config/load-config.js');
    const { resolveConfig } = await import('../../src/config/resolve-config.js');
    const { runAgentSession } = await import('./agent-sessions.js');
    const base = embeddedConfigFile();
    const file = {
      ...base,
      server: { port: 0, host: '127.0.0.1', access_log: false },
      simulator: { enabled: true, time_scale: 0 },
      ledger: { enabled: false },
      cache: { enabled: false },
      routing: {
        ...base.routing,
        policies: {
          cascade: {
            type: 'cascade',
            rungs: [['qwen2.5-coder-7b-instruct'], ['deepseek-chat'], ['claude-sonnet-4-20250514']],
          },
        },
      },
    };
    const parsed = parseConfigText(JSON.stringify(file), 'test');
    const gateway = await startGateway(resolveConfig(parsed, 'test', {}), { log: () => {} });
    try {
      // The 7B never passes, DeepSeek always does.
      const skills = parseSkillTable(`| Model | Py |
|---|---|
| Qwen2.5-Coder-7B-Instruct | 0 |
| DeepSeek-Coder-V2-Instruct | 100 |
`);
      const [task] = generateAgentTasks(1, 1);
      const result = await runAgentSession(task!, {
        baseUrl: gateway.url,
        model: 'cascade',
        skills,
        maxTurns: 4,
        seed: 1,
      });
      // The passing run goes back for the closing answer, on the rung that passed.
      expect(result.served).toEqual([
        'qwen2.5-coder-7b-instruct',
        'deepseek-chat',
        'deepseek-chat',
      ]);
      expect(result).toMatchObject({ passed: true, turns: 2, escalations: 1 });
      expect(result.costUsd).toBeGreaterThan(0);
    } finally {
      await gateway.close(1000);
    }
  });
});
