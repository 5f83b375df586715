import { createSeededRandom } from '../../src/sim/hash-text.js';
import {
  SKILL_LANGUAGES,
  skillOf,
  testOutput,
  turnPasses,
  type SkillLanguage,
  type SkillTable,
} from './agent-skills.js';

/**
 * Which row of the published table stands for each simulated model (docs/benchmarks.md): the
 * same model where the table has it, else the nearest published sibling. A model without a row
 * gets the table's lowest figure per language (agent-skills.ts).
 */
export const MODEL_ROWS: Readonly<Record<string, string>> = {
  'qwen2.5-coder-7b-instruct': 'Qwen2.5-Coder-7B-Instruct',
  'qwen3-coder-plus': 'Qwen2.5-Coder-32B-Instruct',
  'codestral-latest': 'Codestral-22B',
  'deepseek-chat': 'DeepSeek-Coder-V2-Instruct',
  'deepseek-reasoner': 'DeepSeek-Coder-V2-Instruct',
  'gpt-4o-mini': 'GPT-4o-mini',
  'gpt-4.1': 'GPT-4o-2024-08-06',
  'claude-sonnet-4-20250514': 'Claude-3.5-Sonnet-2024-10-22',
};

/** One generated agent task: a language, a hardness, the conversation's fixed prefix. */
export interface AgentTask {
  id: string;
  language: SkillLanguage;
  hardness: number;
  prompt: string;
}

const LANGUAGE_NAMES: Record<SkillLanguage, string> = {
  python: 'Python',
  java: 'Java',
  cpp: 'C++',
  typescript: 'TypeScript',
  javascript: 'JavaScript',
  go: 'Go',
  rust: 'Rust',
};

/** `count` tasks over the seven languages, hardness 2–6 (seeded). */
export function generateAgentTasks(count: number, seed: number): AgentTask[] {
  const random = createSeededRandom(seed);
  return Array.from({ length: count }, (_, index) => {
    const language = SKILL_LANGUAGES[index % SKILL_LANGUAGES.length]!;
    const hardness = random.integer(2, 6);
    return {
      id: `agent-${seed}-${index}`,
      language,
      hardness,
      prompt: `Task ${index}: in ${LANGUAGE_NAMES[language]}, the test suite of the core module fails on an edge case. Find the bug in the ${LANGUAGE_NAMES[language]} code, fix it, and run the tests.`,
    };
  });
}

export interface SessionResult {
  taskId: string;
  passed: boolean;
  turns: number;
  costUsd: number;
  /** Turns served by a different model than the turn before. */
  switches: number;
  /** Turns the gateway routed one rung higher than the turn before (cascade). */
  escalations: number;
  inputTokens: number;
  cacheReadTokens: number;
  served: string[];
}

const SYSTEM =
  'You are a coding agent in a repository. Keep answers short, follow the conventions, run the tests with the Bash tool after every change, and report what you changed. '.repeat(
    30,
  );
const TOOLS = [
  {
    name: 'Bash',
    description: 'Runs a shell command in the repository and returns its output.',
    input_schema: {
      type: 'object',
      properties: { command: { type: 'string' } },
      required: ['command'],
    },
  },
];

interface SessionOptions {
  baseUrl: string;
  model: string;
  skills: SkillTable;
  maxTurns: number;
  seed: number;
}

/**
 * One agent session over the Anthropic Messages API: each turn the model answers, the agent
 * runs the tests (a `Bash` tool call in the history), and the tool result reports a failure or a
 * pass according to the serving model's skill in the task's language. A failure is the next turn's
 * tool result — the in-conversation signal the gateway reads; a pass is sent back too, for the
 * model's closing answer, and ends the session.
 */
export async function runAgentSession(
  task: AgentTask,
  options: SessionOptions,
): Promise<SessionResult> {
  const messages: unknown[] = [{ role: 'user', content: [{ type: 'text', text: task.prompt }] }];
  const result: SessionResult = {
    taskId: task.id,
    passed: false,
    turns: 0,
    costUsd: 0,
    switches: 0,
    escalations: 0,
    inputTokens: 0,
    cacheReadTokens: 0,
    served: [],
  };
  let previousRung: number | undefined;
  /** One request with the conversation so far; its cost, cache reads and model counted. */
  const send = async (): Promise<{ model: string; said: string; rung: string | undefined }> => {
    const response = await fetch(`${options.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'anthropic-version': '2023-06-01',
        'x-api-key': 'sk-bench',
      },
      body: JSON.stringify({
        model: options.model,
        max_tokens: 400,
        system: [{ type: 'text', text: SYSTEM, cache_control: { type: 'ephemeral' } }],
        tools: TOOLS,
        messages,
      }),
    });
    const text = await response.text();
    if (response.status !== 200)
      throw new Error(`agent session: HTTP ${response.status}: ${text.slice(0, 300)}`);
    const answer = JSON.parse(text) as {
      content: Array<{ type: string; text?: string }>;
      usage: {
        input_tokens?: number;
        cache_read_input_tokens?: number;
        cache_creation_input_tokens?: number;
      };
    };
    const model = response.headers.get('x-switchyard-model') ?? '';
    result.costUsd += Number(response.headers.get('x-switchyard-cost-usd') ?? 0) || 0;
    const read = answer.usage.cache_read_input_tokens ?? 0;
    result.inputTokens +=
      (answer.usage.input_tokens ?? 0) + read + (answer.usage.cache_creation_input_tokens ?? 0);
    result.cacheReadTokens += read;
    if (result.served.length > 0 && result.served.at(-1) !== model) result.switches++;
    result.served.push(model);
    return {
      model,
      said: answer.content.find((block) => block.type === 'text')?.text ?? 'Fixed it.',
      rung: /rung-(\d+)/.exec(response.headers.get('x-switchyard-route') ?? '')?.[1],
    };
  };
  for (let turn = 1; turn <= options.maxTurns; turn++) {
    const { model, said, rung } = await send();
    result.turns = turn;
    if (rung !== undefined) {
      if (previousRung !== undefined && Number(rung) > previousRung) result.escalations++;
      previousRung = Number(rung);
    }
    const skill = skillOf(options.skills, MODEL_ROWS[model], task.language);
    const passed = turnPasses(skill, task.hardness, task.id, turn, model, options.seed);
    const callId = `toolu_${task.id}_${turn}`;
    messages.push({
      role: 'assistant',
      content: [
        { type: 'text', text: said.slice(0, 400) },
        { type: 'tool_use', id: callId, name: 'Bash', input: { command: 'run the tests' } },
      ],
    });
    messages.push({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: callId, content: testOutput(task.language, passed) },
      ],
    });
    if (passed) {
      result.passed = true;
      // The agent sends the passing run back and the model closes the task: one more request,
      // its cost counted (not a turn: nothing is tested after it).
      await send();
      break;
    }
  }
  return result;
}

/** Every task through one strategy (the `model` sent), `concurrency` sessions at a time, in task order. */
export async function runAgentSessions(
  tasks: readonly AgentTask[],
  options: SessionOptions & { concurrency: number },
): Promise<SessionResult[]> {
  const results: SessionResult[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < tasks.length; index = next++)
      results[index] = await runAgentSession(tasks[index]!, options);
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return results;
}
