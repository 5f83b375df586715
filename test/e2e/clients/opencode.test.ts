import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opencodeConfig } from './client-configs.js';
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

describe(`opencode ${clientVersion('opencode-ai')} (opencode run, openai-compatible provider)`, () => {
  whenClientsInstalled(() => {
    beforeAll(async () => {
      gateway = await startTestGateway();
    });
    afterAll(() => gateway?.close());

    it(
      'runs the bash tool the model asks for and finishes with text',
      async () => {
        const { home, work } = scratchDirectories('opencode');
        writeFileSync(
          join(work, 'opencode.json'),
          JSON.stringify(opencodeConfig(gateway.url), null, 2),
        );
        // opencode escapes the quotes of the prompt it sends, so the arguments go base64-encoded.
        const args = Buffer.from(
          JSON.stringify({ command: 'echo opencode-ok > proof.txt', description: 'write proof' }),
        ).toString('base64');
        const env = cliEnvironment(home, {
          OPENCODE_DISABLE_MODELS_FETCH: '1',
          OPENCODE_DISABLE_AUTOUPDATE: '1',
          OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
          OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
        });
        const result = await runCli(
          clientBinary('opencode'),
          ['run', `Write the proof file [[sim:tool=bash]] [[sim:args64=${args}]]`],
          { cwd: work, env, timeoutMs: 120_000 },
        );
        expect(result.code, result.stderr + result.stdout).toBe(0);
        expect(readFileSync(join(work, 'proof.txt'), 'utf8').trim()).toBe('opencode-ok');
        expect(result.stdout).toContain('[simulated gpt-4.1 via sim-openai]');
        const chats = gateway.records.filter((record) => record.path === '/v1/chat/completions');
        expect(chats.length).toBeGreaterThanOrEqual(2);
        expect(
          chats.every((record) => record.status === 200 && record.stream),
          JSON.stringify(chats.map((record) => [record.status, record.errorCode])),
        ).toBe(true);
        const afterTool = gateway
          .simulator!.recentRequests()
          .find((request) => JSON.stringify(request.body).includes('"role":"tool"'));
        expect(afterTool, 'the second turn carries the tool result').toBeDefined();
      },
      CLI_TIMEOUT_MS,
    );
  });
});
