import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { embeddedConfigFile } from '../../src/config/load-config.js';

/** The built CLI (`npm test` builds first): signals go to a real `switchyard serve` process. */
const BIN = resolve(import.meta.dirname, '../../bin/switchyard.js');

export interface ChildGateway {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * `switchyard serve` in a child process on a loopback port, with the embedded simulator fleet and
 * the config `overrides` merged over the embedded defaults; resolves once it listens.
 */
export async function startChildGateway(
  dataDir: string,
  overrides: Record<string, unknown>,
): Promise<ChildGateway> {
  const base = embeddedConfigFile() as Record<string, unknown>;
  const file = {
    ...base,
    data_dir: dataDir,
    ...overrides,
    server: { host: '127.0.0.1', port: 0, ...(overrides.server as object | undefined) },
    simulator: { enabled: true, time_scale: 0, ...(overrides.simulator as object | undefined) },
  };
  const configPath = join(dataDir, 'switchyard.json');
  writeFileSync(configPath, JSON.stringify(file));
  const environment: Record<string, string | undefined> = {
    ...process.env,
    PORT: undefined,
    HOST: undefined,
    DATABASE_URL: undefined,
    SWITCHYARD_DATA_DIR: undefined,
  };
  const child = spawn(process.execPath, [BIN, 'serve', '--config', configPath], {
    env: environment as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const deadline = Date.now() + 20_000;
  for (;;) {
    const match = /listening on (http:\/\/[^\s]+)/.exec(text);
    if (match) return { child, url: match[1]!, output: () => text, exited };
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`gateway did not start:\n${text}`);
    }
    await new Promise((done) => setTimeout(done, 25));
  }
}
