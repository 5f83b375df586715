import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/test-gateway.js';
import {
  CLI_TIMEOUT_MS,
  clientBinary,
  clientVersion,
  cliEnvironment,
  runCli,
  scratchDirectories,
  whenClientsInstalled,
} from './test-clients.js';

/**
 * Claude Code (`claude -p`, no --model flag) against the gateway on its defaults, as a new user
 * runs it: no aliases and no output-limit setting in this test. Its default model names
 * (claude-opus-4-8 in 2.1.197, claude-opus-5-5 in 2.1.332, and its small fast model) match the
 * embedded `claude-*` patterns and are routed by `auto`; its 32k / 128k `max_tokens` is clamped
 * to the chosen model's output limit (docs/routing.md).
 */
let gateway: TestGateway;

function claudeEnvironment(home: string): Record<string, string> {
  return cliEnvironment(home, {
    ANTHROPIC_BASE_URL: gateway.url,
    ANTHROPIC_API_KEY: 'sk-ant-switchyard-test',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_BUG_COMMAND: '1',
  });
}

describe(`Claude Code ${clientVersion('@anthropic-ai/claude-code')} (claude -p)`, () => {
  whenClientsInstalled(() => {
    beforeAll(async () => {
      gateway = await startTestGateway();
    });
    afterAll(() => gateway?.close());

    it(
      'runs a tool-use loop: the model asks for Bash, Claude Code runs it, the model finishes with text',
      async () => {
        const { home, work } = scratchDirectories('claude');
        const prompt =
          'Write the proof file [[sim:tool=Bash]] [[sim:args={"command":"echo switchyard-ok > proof.txt","description":"write proof"}]]';
        const result = await runCli(
          clientBinary('claude'),
          ['-p', prompt, '--allowedTools', 'Bash', '--output-format', 'json'],
          { cwd: work, env: claudeEnvironment(home), timeoutMs: 120_000 },
        );
        expect(result.code, result.stderr + result.stdout).toBe(0);
        const outcome = JSON.parse(result.stdout) as {
          is_error: boolean;
          num_turns: number;
          result: string;
        };
        expect(outcome.is_error, result.stdout).toBe(false);
        expect(outcome.num_turns).toBeGreaterThanOrEqual(2);
        expect(outcome.result).toMatch(/\[simulated [^\]]+ via sim-[a-z]+\]/);
        expect(readFileSync(join(work, 'proof.txt'), 'utf8').trim()).toBe('switchyard-ok');
        const messages = gateway.records.filter((record) => record.path === '/v1/messages');
        expect(messages.length).toBeGreaterThanOrEqual(2);
        expect(
          messages.every((record) => record.status === 200),
          JSON.stringify(
            messages.map((record) => [record.modelAsked, record.status, record.errorCode]),
          ),
        ).toBe(true);
        expect(messages.map((record) => record.modelAsked)).toEqual(
          expect.arrayContaining([expect.stringMatching(/^claude-/)]),
        );
        // Routed by `auto` (the embedded claude-* patterns), whatever it chose.
        expect(
          messages.every((record) => / = auto [a-z-]+ -> /.test(record.route ?? '')),
          JSON.stringify(messages.map((record) => record.route)),
        ).toBe(true);
        const toolResult = gateway
          .simulator!.recentRequests()
          .find((request) => /tool_result|"role":"tool"/.test(JSON.stringify(request.body)));
        expect(toolResult, 'the second turn carries the Bash result').toBeDefined();
      },
      CLI_TIMEOUT_MS,
    );

    it(
      'answers /context with count_tokens calls (no generation for them)',
      async () => {
        const { home, work } = scratchDirectories('claude-context');
        const before = gateway.records.length;
        const result = await runCli(
          clientBinary('claude'),
          ['-p', '/context', '--output-format', 'json'],
          { cwd: work, env: claudeEnvironment(home), timeoutMs: 120_000 },
        );
        expect(result.code, result.stderr + result.stdout).toBe(0);
        const outcome = JSON.parse(result.stdout) as { is_error: boolean; result: string };
        expect(outcome.is_error, result.stdout).toBe(false);
        expect(outcome.result).toContain('Context Usage');
        const records = gateway.records.slice(before);
        const counts = records.filter((record) => record.path === '/v1/messages/count_tokens');
        expect(counts.length).toBeGreaterThan(0);
        expect(counts.every((record) => record.status === 200 && record.costUsd === 0)).toBe(true);
        expect(records.filter((record) => record.path === '/v1/messages')).toHaveLength(0);
        expect(existsSync(join(home, '.claude'))).toBe(true);
      },
      CLI_TIMEOUT_MS,
    );
  });
});
