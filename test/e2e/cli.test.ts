import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/sim/start-simulator.js';
import type { RunningSimulator } from '../../src/sim/sim-types.js';

/** These tests run the built CLI (`npm test` builds first), exactly as `npm start` does. */
const BIN = resolve(import.meta.dirname, '../../bin/switchyard.js');
const running: ChildProcess[] = [];

interface Launched {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function launch(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Launched {
  const environment: Record<string, string | undefined> = {
    ...process.env,
    PORT: undefined,
    HOST: undefined,
    REDIS_URL: undefined,
    SWITCHYARD_CONFIG: undefined,
    DATABASE_URL: undefined,
    SWITCHYARD_DATA_DIR: undefined,
    ...options.env,
  };
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? mkdtempSync(join(tmpdir(), 'switchyard-cli-')),
    env: environment as NodeJS.ProcessEnv,
  });
  running.push(child);
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, output: () => text, exited };
}

async function waitForOutput(
  launched: Launched,
  pattern: RegExp,
  timeoutMs = 15_000,
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = launched.output().match(pattern);
    if (match) return match;
    if (launched.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`no ${pattern} in output:\n${launched.output()}`);
    await new Promise((done) => setTimeout(done, 25));
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

async function chat(
  baseUrl: string,
  model: string,
): Promise<{
  status: number;
  provider: string | null;
  body: { choices?: Array<{ message: { content: string } }> };
}> {
  const response = await fetch(`${baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello' }] }),
  });
  return {
    status: response.status,
    provider: response.headers.get('x-switchyard-provider'),
    body: (await response.json()) as never,
  };
}

let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startSimulator({ timeScale: 0 });
});
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(() => simulator.close());

describe('switchyard serve', () => {
  it('with no config serves the simulated fleet, says so, and stops cleanly on SIGTERM', async () => {
    const launched = launch(['serve', '--port', '0']);
    const [, url] = await waitForOutput(launched, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    await waitForOutput(launched, /Try: curl/);
    const banner = launched.output();
    expect(banner).toContain('SIMULATED');
    expect(banner).toContain('sim-deepseek');
    expect(banner).toContain('claude-3-5-haiku-20241022');
    expect(banner).toContain(`OPENAI_BASE_URL=${url}/v1`);
    expect(banner).toContain(`ANTHROPIC_BASE_URL=${url}`);
    expect(banner).toContain('Routing: auto (cost-optimal), auto:cheap (cost-optimal)');
    expect(banner).toMatch(
      /Alias patterns \(the model names Claude Code, Codex CLI and opencode send by default are routed by auto\): .*claude-sonnet-\* → auto/,
    );
    expect(banner).toMatch(/Auth: OPEN/);
    expect(banner).toMatch(
      /POST \/v1\/embeddings\s+mistral-embed, text-embedding-3-small, text-embedding-3-large\n/,
    );
    expect(banner).toMatch(
      /POST \/v1\/completions\s+deepseek-chat, deepseek-reasoner, qwen2\.5-coder-7b-instruct, qwen3-coder-plus, codestral-latest, auto/,
    );
    expect(banner).toMatch(
      /POST \/v1\/responses\s+deepseek-chat, .*claude-sonnet-4-20250514, auto/,
    );
    const answer = await chat(url!, 'auto');
    expect(answer.status).toBe(200);
    expect(answer.body.choices![0]!.message.content).toContain('[simulated');
    launched.child.kill('SIGTERM');
    expect(await launched.exited).toBe(0);
  });

  it('takes the port from PORT, and --port over PORT', async () => {
    const port = await freePort();
    const fromEnv = launch(['serve'], { env: { PORT: String(port) } });
    await waitForOutput(fromEnv, new RegExp(`listening on http://127\\.0\\.0\\.1:${port}`));
    fromEnv.child.kill('SIGTERM');
    await fromEnv.exited;
    const other = await freePort();
    const fromFlag = launch(['serve', '--port', String(other)], { env: { PORT: String(port) } });
    await waitForOutput(fromFlag, new RegExp(`listening on http://127\\.0\\.0\\.1:${other}`));
  });

  it('serves configured providers from --config, SWITCHYARD_CONFIG or ./switchyard.yaml', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-config-'));
    const yaml = [
      'server: { port: 0 }',
      'providers:',
      `  local-vllm: { type: openai-compatible, base_url: "${simulator.baseUrlFor('sim-qwen')}" }`,
      'models:',
      '  coder: { deployments: [{ provider: local-vllm, model: qwen2.5-coder-7b-instruct }] }',
      '',
    ].join('\n');
    writeFileSync(join(directory, 'switchyard.yaml'), yaml);
    writeFileSync(join(directory, 'other.yaml'), yaml);
    // One after another: started together, they migrate one SQLite file at once ("database is locked").
    for (const start of [
      () => launch(['serve'], { cwd: directory }),
      () => launch(['serve', '--config', 'other.yaml'], { cwd: directory }),
      () => launch(['serve'], { env: { SWITCHYARD_CONFIG: join(directory, 'other.yaml') } }),
    ]) {
      const launched = start();
      const [, url] = await waitForOutput(launched, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
      await waitForOutput(launched, /Try: curl/);
      expect(launched.output()).not.toContain('SIMULATED');
      expect(launched.output()).toContain('local-vllm');
      const answer = await chat(url!, 'coder');
      expect(answer.status).toBe(200);
      expect(answer.provider).toBe('local-vllm');
      expect(answer.body.choices![0]!.message.content).toContain('qwen2.5-coder-7b-instruct');
    }
  });

  it('refuses an invalid config with every problem named, exit code 1', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-bad-'));
    writeFileSync(
      join(directory, 'switchyard.yaml'),
      [
        'server: { port: "eighty" }',
        'providers:',
        '  ds: { preset: deepseek }',
        'models:',
        '  m: { deployments: [{ provider: nowhere }] }',
      ].join('\n'),
    );
    const launched = launch(['serve'], { cwd: directory });
    expect(await launched.exited).toBe(1);
    expect(launched.output()).toContain('server.port');

    writeFileSync(
      join(directory, 'switchyard.yaml'),
      [
        'providers:',
        '  ds: { preset: deepseek }',
        'models:',
        '  m: { deployments: [{ provider: nowhere }] }',
      ].join('\n'),
    );
    const second = launch(['serve'], { cwd: directory, env: { DEEPSEEK_API_KEY: '' } });
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('DEEPSEEK_API_KEY');
    expect(second.output()).toContain(
      'models.m.deployments[0].provider: no provider named "nowhere"',
    );
  });

  it('refuses to serve open (no keys) on a non-loopback address', async () => {
    const launched = launch(['serve', '--host', '0.0.0.0', '--port', '0']);
    expect(await launched.exited).toBe(1);
    expect(launched.output()).toContain('Refusing to serve without API keys');
  });
});

describe('switchyard config check and sim', () => {
  it('prints the resolved config with secrets redacted', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-check-'));
    writeFileSync(
      join(directory, 'switchyard.yaml'),
      [
        'providers:',
        '  ds: { preset: deepseek }',
        'models:',
        '  deepseek-chat: { deployments: [{ provider: ds }] }',
      ].join('\n'),
    );
    const launched = launch(['config', 'check'], {
      cwd: directory,
      env: { DEEPSEEK_API_KEY: 'sk-very-secret-value' },
    });
    expect(await launched.exited).toBe(0);
    expect(launched.output()).toContain('Configuration OK');
    expect(launched.output()).toContain('"apiKey": "***"');
    expect(launched.output()).not.toContain('sk-very-secret-value');
  });

  it('manages virtual keys and reports costs from the ledger of a served request', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-keys-'));
    const created = launch(
      ['keys', 'create', '--name', 'ide', '--daily-budget', '5', '--models', 'auto,gpt-4o-mini'],
      { cwd: directory },
    );
    expect(await created.exited).toBe(0);
    const [, secret] = created.output().match(/\n {2}(sy-[A-Za-z0-9_-]+)\n/) ?? [];
    const [, id] = created.output().match(/Created (key_[0-9a-f]+)/) ?? [];
    expect(secret).toBeTruthy();

    const served = launch(['serve', '--port', '0'], { cwd: directory });
    const [, url] = await waitForOutput(served, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi [[sim:tokens=10]]' }],
      }),
    });
    expect(response.status).toBe(200);
    served.child.kill('SIGTERM');
    expect(await served.exited).toBe(0);

    const costs = launch(['costs', '--group-by', 'key,model', '--json'], { cwd: directory });
    expect(await costs.exited).toBe(0);
    const report = JSON.parse(costs.output()) as {
      rows: Array<{
        group: { key: string; model: string };
        requests: number;
        outputTokens: number;
        costUsd: number;
      }>;
    };
    expect(report.rows).toEqual([
      expect.objectContaining({
        group: { key: id, model: 'gpt-4o-mini' },
        requests: 1,
        outputTokens: 10,
      }),
    ]);
    expect(report.rows[0]!.costUsd).toBeGreaterThan(0);

    const listed = launch(['keys', 'list'], { cwd: directory });
    expect(await listed.exited).toBe(0);
    expect(listed.output()).toContain(`${id}`);
    expect(listed.output()).not.toContain(secret!);
    const revoked = launch(['keys', 'revoke', id!], { cwd: directory });
    expect(await revoked.exited).toBe(0);
    expect(revoked.output()).toContain(`Revoked ${id}`);
  });

  it('runs the simulator fleet alone', async () => {
    const launched = launch(['sim', '--port', '0', '--time-scale', '0']);
    const [, url] = await waitForOutput(launched, /simulator fleet on (http:\/\/127\.0\.0\.1:\d+)/);
    await waitForOutput(launched, /sim-anthropic/);
    const response = await fetch(`${url}/sim-openai/v1/models`);
    expect(response.status).toBe(200);
  });
});
