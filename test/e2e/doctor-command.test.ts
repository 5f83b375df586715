import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DoctorRow } from '../../src/app/run-doctor.js';
import { runDoctor } from '../../src/cli/doctor-command.js';
import { startSimulator } from '../../src/sim/start-simulator.js';

/** `switchyard doctor` against the simulator: real 1-token requests, one deployment unreachable. */
const simulator = await startSimulator({ host: '127.0.0.1', port: 0, timeScale: 0 });
afterAll(() => simulator.close());

describe('switchyard doctor', () => {
  it('sends one 1-token request per deployment and prints status, latency and price source', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-doctor-'));
    const file = join(directory, 'switchyard.yaml');
    writeFileSync(
      file,
      [
        `data_dir: ${join(directory, 'data')}`,
        'providers:',
        `  sim-deepseek: { type: simulated, base_url: ${simulator.url}/sim-deepseek/v1 }`,
        `  sim-anthropic: { type: simulated, base_url: ${simulator.url}/sim-anthropic/v1 }`,
        // Nothing listens on port 9: a connection refused.
        '  gone: { type: openai-compatible, base_url: "http://127.0.0.1:9/v1" }',
        'models:',
        '  deepseek-chat: { deployments: [{ provider: sim-deepseek }] }',
        '  claude-3-5-haiku-20241022: { deployments: [{ provider: sim-anthropic }] }',
        '  house-model: { deployments: [{ provider: gone }] }',
        '',
      ].join('\n'),
    );
    let text = '';
    const code = await runDoctor({ config: file, write: (chunk) => (text += chunk) });
    expect(code).toBe(1);
    expect(text).toMatch(/sim-deepseek\/deepseek-chat\s+ok\s+\d+ ms\s+\S/);
    expect(text).toMatch(/sim-anthropic\/claude-3-5-haiku-20241022\s+ok\s+\d+ ms/);
    expect(text).toMatch(/gone\/house-model\s+upstream_\w+/);
    expect(text).toContain('none: the catalog has no price');
    expect(text).toContain('1 of 3 failed');

    let json = '';
    await runDoctor({ config: file, json: true, write: (chunk) => (json += chunk) });
    const rows = JSON.parse(json) as DoctorRow[];
    const deepseek = rows.find((row) => row.model === 'deepseek-chat')!;
    expect(deepseek.status).toBe('ok');
    // max_tokens 1: the simulator answers one token.
    expect(deepseek.detail).toMatch(/ in \/ 1 out$/);
    expect(deepseek.priceSource).not.toContain('none');
  }, 60_000);
});
