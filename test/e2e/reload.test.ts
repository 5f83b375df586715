import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/app/start-gateway.js';
import { loadConfig } from '../../src/config/load-config.js';

const ADMIN_TOKEN = 'reload-admin-token-0123456789';
const directory = mkdtempSync(join(tmpdir(), 'switchyard-reload-'));
const file = join(directory, 'switchyard.yaml');

function writeConfig(models: string[], extra = ''): void {
  writeFileSync(
    file,
    [
      'server: { host: 127.0.0.1, port: 0 }',
      `data_dir: ${join(directory, 'data')}`,
      'admin: { token_env: RELOAD_ADMIN_TOKEN }',
      'simulator: { enabled: true, time_scale: 1 }',
      'providers: { sim-deepseek: { type: simulated }, sim-openai: { type: simulated } }',
      'models:',
      ...models.map(
        (model) =>
          `  ${model}: { deployments: [{ provider: ${model.startsWith('gpt') ? 'sim-openai' : 'sim-deepseek'} }] }`,
      ),
      extra,
      '',
    ].join('\n'),
  );
}

const environment = { RELOAD_ADMIN_TOKEN: ADMIN_TOKEN };
let gateway: RunningGateway | undefined;
afterAll(async () => {
  await gateway?.close(2000);
});

const chat = (model: string, content = 'hi [[sim:tokens=3]]', stream = false) =>
  fetch(`${gateway!.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, stream, messages: [{ role: 'user', content }] }),
  });
const reload = () =>
  fetch(`${gateway!.url}/admin/reload`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });

describe('config reload', () => {
  it('applies a valid config, keeps the running one on an invalid config, and lets in-flight requests finish on the old one', async () => {
    writeConfig(['deepseek-chat']);
    const logged: string[] = [];
    gateway = await startGateway(loadConfig({ path: file, environment }), {
      loadConfig: () => loadConfig({ path: file, environment }),
      log: (message, fields) => logged.push(`${message} ${JSON.stringify(fields ?? {})}`),
    });
    const before = await chat('deepseek-chat');
    expect(before.status).toBe(200);
    expect(before.headers.get('x-switchyard-model')).toBe('deepseek-chat');
    expect(gateway.config.models.has('gpt-4o-mini')).toBe(false);

    // A slow stream on the old config (about 1 s at time scale 1), still running during the reload.
    const inFlight = chat('deepseek-chat', 'count [[sim:tokens=60]]', true).then(
      async (response) => ({ status: response.status, text: await response.text() }),
    );
    await new Promise((resolve) => setTimeout(resolve, 150));

    // The new config drops deepseek-chat and adds gpt-4o-mini.
    writeConfig(['gpt-4o-mini'], 'cache: { enabled: false }');
    const applied = await reload();
    expect(applied.status).toBe(200);
    expect(await applied.json()).toEqual({
      reloaded: true,
      changed: ['models', 'routing', 'cache'],
    });
    const after = await chat('gpt-4o-mini');
    expect(after.status).toBe(200);
    expect(after.headers.get('x-switchyard-model')).toBe('gpt-4o-mini');
    expect(gateway.config.models.has('gpt-4o-mini')).toBe(true);
    expect(gateway.config.models.has('deepseek-chat')).toBe(false);

    const finished = await inFlight;
    expect(finished.status).toBe(200);
    expect(finished.text).toContain('data: [DONE]');

    // An invalid config is refused with the validation error; the running config stays.
    writeFileSync(file, 'models: { broken: { deployments: [{ provider: nowhere }] } }\n');
    const refused = await reload();
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('no provider named \\"nowhere\\"');
    expect((await chat('gpt-4o-mini')).status).toBe(200);
    expect(logged.some((line) => line.startsWith('config reload failed'))).toBe(true);
    expect(logged.some((line) => line.startsWith('config reloaded'))).toBe(true);
  });

  it('is behind the admin token and POST only', async () => {
    expect((await fetch(`${gateway!.url}/admin/reload`, { method: 'POST' })).status).toBe(401);
    expect(
      (
        await fetch(`${gateway!.url}/admin/reload`, {
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        })
      ).status,
    ).toBe(405);
  });
});
