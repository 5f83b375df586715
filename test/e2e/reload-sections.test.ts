import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/app/start-gateway.js';
import type { GatewayConfig } from '../../src/config/gateway-config.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { RequestRecord } from '../../src/pipeline/request-record.js';
import { startSimulator } from '../../src/sim/start-simulator.js';

/**
 * A reload re-applies every section (server limits, shutdown grace, logging, resilience, cache,
 * embeddings, admin token, provider pools) or refuses a non-reloadable change by name, keeping the
 * running config; SIGHUP does the same for `switchyard serve`.
 */
const directory = mkdtempSync(join(tmpdir(), 'switchyard-reload-sections-'));
const file = join(directory, 'switchyard.yaml');
const environment = {
  FIRST_ADMIN: 'first-admin-token-0123456789',
  SECOND_ADMIN: 'second-admin-token-0123456789',
};
const simA = await startSimulator({ host: '127.0.0.1', port: 0, timeScale: 0 });
const simB = await startSimulator({ host: '127.0.0.1', port: 0, timeScale: 0 });
let gateway: RunningGateway | undefined;
afterAll(async () => {
  await gateway?.close(1000);
  await simA.close().catch(() => {});
  await simB.close();
});

function writeConfig(sections: {
  sim: string;
  extra?: string;
  admin?: string;
  port?: number;
}): void {
  writeFileSync(
    file,
    [
      `server: { host: 127.0.0.1, port: ${sections.port ?? 0}, body_limit: 64kb, shutdown_grace_ms: 3000 }`,
      `data_dir: ${join(directory, 'data')}`,
      'ledger: { database_url_env: RELOAD_SECTIONS_NO_DATABASE }',
      `admin: { token_env: ${sections.admin ?? 'FIRST_ADMIN'} }`,
      `providers: { sim-deepseek: { type: simulated, base_url: ${sections.sim}/sim-deepseek/v1 }, sim-openai: { type: simulated, base_url: ${sections.sim}/sim-openai/v1 } }`,
      'models:',
      '  deepseek-chat: { deployments: [{ provider: sim-deepseek }] }',
      sections.extra ?? '',
      '',
    ].join('\n'),
  );
}

const post = (path: string, body: unknown, token?: string) =>
  fetch(`${gateway!.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
const chat = (content: string) =>
  post('/v1/chat/completions', { model: 'deepseek-chat', messages: [{ role: 'user', content }] });
const reload = (token = environment.FIRST_ADMIN) => post('/admin/reload', {}, token);

describe('reload applies every section or refuses by name', () => {
  it('re-applies server, resilience, cache, embeddings, logging, the admin token and provider pools', async () => {
    writeConfig({ sim: simA.url });
    const records: RequestRecord[] = [];
    const loggingChanges: GatewayConfig['logging'][] = [];
    gateway = await startGateway(loadConfig({ path: file, environment }), {
      loadConfig: () => loadConfig({ path: file, environment }),
      observer: (record) => records.push(record),
      onLoggingChange: (next) => {
        loggingChanges.push(next.logging);
        return { traceRequests: false, captureBodies: true };
      },
      log: () => {},
    });
    const big = 'x'.repeat(40_000);
    expect((await chat(`${big} [[sim:tokens=2]]`)).status).toBe(200);
    expect((await chat('slow [[sim:ttft=700]] [[sim:tokens=2]]')).status).toBe(200);
    const uncached = await chat('same [[sim:tokens=2]]');
    expect(uncached.headers.get('x-switchyard-cache')).toBe('miss');
    await chat('same [[sim:tokens=2]]');
    expect(
      (await post('/v1/embeddings', { model: 'text-embedding-3-small', input: 'hi' })).status,
    ).toBe(404);

    // One reload: a smaller body limit and grace, a 300 ms attempt timeout without retries, the
    // cache off, an embedding model, a new logging level, another admin token and the other simulator.
    writeConfig({
      sim: simB.url,
      admin: 'SECOND_ADMIN',
      extra: [
        '  text-embedding-3-small: { deployments: [{ provider: sim-openai }] }',
        'cache: { enabled: false }',
        'logging: { level: debug }',
        'resilience: { timeouts: { total_ms: 300 }, retries: { max_per_deployment: 0 } }',
      ].join('\n'),
    });
    writeFileSync(
      file,
      (await import('node:fs'))
        .readFileSync(file, 'utf8')
        .replace('body_limit: 64kb', 'body_limit: 16kb')
        .replace('shutdown_grace_ms: 3000', 'shutdown_grace_ms: 1500'),
    );
    const applied = await reload();
    expect(applied.status).toBe(200);
    expect(((await applied.json()) as { changed: string[] }).changed).toEqual(
      expect.arrayContaining([
        'server',
        'logging',
        'admin',
        'providers',
        'models',
        'cache',
        'resilience',
      ]),
    );
    await simA.close(); // the old pools are gone with it: the new generation calls simulator B

    expect((await chat(`${big} [[sim:tokens=2]]`)).status).toBe(413);
    expect(gateway.config.server.shutdownGraceMs).toBe(1500);
    const timedOut = await chat('slow [[sim:ttft=700]] [[sim:tokens=2]]');
    expect(timedOut.status).toBe(504);
    const again = await chat('same [[sim:tokens=2]]');
    expect(again.status).toBe(200);
    expect(again.headers.get('x-switchyard-cache')).toBe('none');
    expect(
      (await post('/v1/embeddings', { model: 'text-embedding-3-small', input: 'hi' })).status,
    ).toBe(200);
    expect(loggingChanges.map((logging) => logging.level)).toEqual(['debug']);
    // Body logging switched on by the new logging section: the new generation keeps bodies.
    const lastChat = records.filter((record) => record.path === '/v1/chat/completions').at(-1);
    expect(lastChat?.requestBody).toMatchObject({ model: 'deepseek-chat' });
    expect((await reload(environment.FIRST_ADMIN)).status).toBe(401);
    expect((await reload(environment.SECOND_ADMIN)).status).toBe(200);
  }, 60_000);

  it('refuses a change to a setting that needs a restart, by name, and keeps the running config', async () => {
    const before = gateway!.config;
    const text = (await import('node:fs')).readFileSync(file, 'utf8');
    writeFileSync(
      file,
      text
        .replace('port: 0', 'port: 1')
        .replace(
          'database_url_env: RELOAD_SECTIONS_NO_DATABASE',
          'database_url_env: RELOAD_SECTIONS_NO_DATABASE, batch_size: 10',
        ),
    );
    const refused = await reload(environment.SECOND_ADMIN);
    expect(refused.status).toBe(400);
    const message = JSON.stringify(await refused.json());
    expect(message).toContain('server.port, ledger.batch_size cannot change without a restart');
    expect(gateway!.config).toBe(before);
    expect((await chat('still served [[sim:tokens=2]]')).status).toBe(200);
  });
});

describe('SIGHUP', () => {
  it('makes switchyard serve re-read its config and keep running', async () => {
    const hupDir = mkdtempSync(join(tmpdir(), 'switchyard-sighup-'));
    const config = join(hupDir, 'switchyard.yaml');
    const models = (names: string[]) =>
      writeFileSync(
        config,
        [
          'server: { host: 127.0.0.1, port: 0 }',
          `data_dir: ${join(hupDir, 'data')}`,
          'ledger: { enabled: false }',
          'logging: { format: text }',
          `providers: { sim-deepseek: { type: simulated, base_url: ${simB.url}/sim-deepseek/v1 } }`,
          'models:',
          ...names.map((name) => `  ${name}: { deployments: [{ provider: sim-deepseek }] }`),
          '',
        ].join('\n'),
      );
    models(['deepseek-chat']);
    const child = spawn(
      process.execPath,
      [resolve(import.meta.dirname, '../../bin/switchyard.js'), 'serve', '--config', config],
      {
        env: {
          ...process.env,
          PORT: undefined,
          DATABASE_URL: undefined,
          REDIS_URL: undefined,
        } as NodeJS.ProcessEnv,
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const started = Date.now();
      let url: string | undefined;
      while (!url && Date.now() - started < 20_000) {
        url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
        await new Promise((done) => setTimeout(done, 50));
      }
      expect(url, output).toBeDefined();
      const ask = (model: string) =>
        fetch(`${url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            model,
            messages: [{ role: 'user', content: 'hi [[sim:tokens=2]]' }],
          }),
        }).then((response) => response.status);
      expect(await ask('deepseek-reasoner')).toBe(404);
      models(['deepseek-chat', 'deepseek-reasoner']);
      child.kill('SIGHUP');
      await expect.poll(() => ask('deepseek-reasoner'), { timeout: 10_000 }).toBe(200);
      expect(child.exitCode).toBeNull();
      expect(output).toContain('config reloaded');
    } finally {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((done) => child.once('exit', done));
      }
    }
  }, 60_000);
});
