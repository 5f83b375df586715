import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** With JSON logs (the default), standard output carries JSON lines only: the banner is one of them. */
describe('switchyard serve with JSON logs', () => {
  it('logs the startup banner as one JSON line on stdout and writes the text for people to stderr', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-banner-'));
    const config = join(directory, 'switchyard.yaml');
    writeFileSync(
      config,
      `server: { host: 127.0.0.1, port: 0 }\ndata_dir: ${join(directory, 'data')}\nledger: { enabled: false }\nlogging: { format: json }\nsimulator: { enabled: true }\nproviders: { sim-deepseek: { type: simulated } }\nmodels: { deepseek-chat: { deployments: [{ provider: sim-deepseek }] } }\n`,
    );
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
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const started = Date.now();
      while (!/"msg":"Switchyard [^"]* listening on /.test(stdout) && Date.now() - started < 20_000)
        await new Promise((done) => setTimeout(done, 50));
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      expect(url, `${stdout}\n${stderr}`).toBeDefined();
      await fetch(`${url}/v1/models`).then((response) => response.arrayBuffer());
      await new Promise((done) => setTimeout(done, 300));
      const lines = stdout.trim().split('\n');
      const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      const banner = parsed.find((line) => String(line.msg).includes('listening on'))!;
      expect(banner).toMatchObject({ url, auth: 'open' });
      expect(String(banner.msg)).toContain('SIMULATED');
      expect(JSON.stringify(banner.providers)).toContain('sim-deepseek');
      expect(stderr).toContain('Point your SDK at it');
    } finally {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((done) => child.once('exit', done));
      }
    }
  }, 40_000);
});
