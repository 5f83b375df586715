import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codexConfig } from './client-configs.js';
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

let gateway: TestGateway;

describe(`Codex CLI ${clientVersion('@openai/codex')} (codex exec, wire_api = "responses")`, () => {
  whenClientsInstalled(() => {
    beforeAll(async () => {
      gateway = await startTestGateway();
    });
    afterAll(() => gateway?.close());

    it(
      'calls the shell tool (exec_command) the model asks for, sends its output back, and finishes with text',
      async () => {
        const { home, work } = scratchDirectories('codex');
        const codexHome = join(home, '.codex');
        mkdirSync(codexHome, { recursive: true });
        writeFileSync(join(codexHome, 'config.toml'), codexConfig(gateway.url));
        const env = cliEnvironment(home, {
          CODEX_HOME: codexHome,
          SWITCHYARD_API_KEY: 'sk-switchyard-test',
        });
        const prompt =
          'Write the proof file [[sim:tool=exec_command]] [[sim:args={"cmd":"echo codex-ok > proof.txt"}]]';
        const result = await runCli(
          clientBinary('codex'),
          ['exec', '--skip-git-repo-check', prompt],
          { cwd: work, env, timeoutMs: 120_000 },
        );
        expect(result.code, result.stderr + result.stdout).toBe(0);
        expect(readFileSync(join(work, 'proof.txt'), 'utf8').trim()).toBe('codex-ok');
        expect(result.stdout + result.stderr).toContain('[simulated gpt-4.1 via sim-openai]');
        const turns = gateway.records.filter((record) => record.path === '/v1/responses');
        expect(turns.length).toBeGreaterThanOrEqual(2);
        expect(
          turns.every((record) => record.status === 200 && record.stream),
          JSON.stringify(turns.map((record) => [record.status, record.errorCode])),
        ).toBe(true);
        const followUp = gateway
          .simulator!.recentRequests()
          .find((request) => JSON.stringify(request.body).includes('"role":"tool"'));
        expect(
          followUp,
          'the second turn carries the command output as a tool result',
        ).toBeDefined();
      },
      CLI_TIMEOUT_MS,
    );
  });
});
