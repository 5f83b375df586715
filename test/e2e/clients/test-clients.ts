import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'vitest';

/**
 * The real clients of the e2e suite live in test-clients/ (their own package.json and lockfile,
 * so the gateway's `npm install` stays small): `node20` holds the newest releases whose engines
 * accept Node 20.19, `node24` the newest releases (several need Node >= 22). The set is chosen
 * by the running Node (or SWITCHYARD_TEST_CLIENTS=node20|node24). Install: `npm run
 * test:clients:install`.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

export const CLIENT_SET =
  process.env.SWITCHYARD_TEST_CLIENTS ?? (NODE_MAJOR >= 22 ? 'node24' : 'node20');
export const CLIENTS_DIR = join(ROOT, 'test-clients', CLIENT_SET);
export const CLIENTS_INSTALLED = existsSync(
  join(CLIENTS_DIR, 'node_modules', '.package-lock.json'),
);

const requireFromClients = createRequire(join(CLIENTS_DIR, 'package.json'));

/** A client package of the selected set, loaded from test-clients/<set>/node_modules. */
export function loadClient<T>(name: string): T {
  return requireFromClients(name) as T;
}

/** The installed version of a client package (for test names and failure messages). */
export function clientVersion(name: string): string {
  try {
    return (requireFromClients(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

/** A client CLI's executable in the selected set. */
export function clientBinary(name: string): string {
  return join(CLIENTS_DIR, 'node_modules', '.bin', name);
}

/**
 * Declares the suite's tests, or, when the client set is not installed, one test that fails under
 * CI=true (never a silent skip there) and a visibly skipped one elsewhere.
 */
export function whenClientsInstalled(suite: () => void): void {
  if (CLIENTS_INSTALLED) return suite();
  const message = `test-clients/${CLIENT_SET} is not installed: run \`npm run test:clients:install\``;
  if (process.env.CI === 'true') {
    it(`needs the real clients (${message})`, () => {
      throw new Error(message);
    });
  } else {
    it.skip(`real clients (${message})`, () => undefined);
  }
}

export interface ScratchDirectories {
  home: string;
  work: string;
}

/** A fresh HOME and working directory for one CLI run (no user config, no credentials). */
export function scratchDirectories(name: string): ScratchDirectories {
  const base = mkdtempSync(join(tmpdir(), `switchyard-${name}-`));
  const home = join(base, 'home');
  const work = join(base, 'work');
  mkdirSync(home, { recursive: true });
  mkdirSync(work, { recursive: true });
  return { home, work };
}

/**
 * The environment a CLI runs with: nothing inherited but a PATH whose first `node` is the one
 * running the suite (the CLIs' launchers are node scripts), a scratch HOME, and what is given.
 */
export function cliEnvironment(
  home: string,
  extra: Record<string, string>,
): Record<string, string> {
  return {
    PATH: [dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    TMPDIR: tmpdir(),
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    CI: 'true',
    ...extra,
  };
}

/** How long one agent CLI test may take (a run is bounded by its own timeout, below this). */
export const CLI_TIMEOUT_MS = 180_000;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a CLI to completion with stdin closed (the agents read a piped stdin as more prompt),
 * bounded by `timeoutMs` (then killed), and collects its output.
 */
export function runCli(
  file: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs: number },
): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${options.timeoutMs} ms]`;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error) => {
      stderr += `\n[${error.message}]`;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}
