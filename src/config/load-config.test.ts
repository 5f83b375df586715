import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/config-error.js';
import {
  EMBEDDED_SOURCE,
  embeddedConfigFile,
  loadConfig,
  parseConfigText,
  redactedConfig,
} from './load-config.js';
import { parseByteSize } from './resolve-config.js';

const KEYS = {
  DEEPSEEK_API_KEY: 'sk-ds',
  DASHSCOPE_API_KEY: 'sk-q',
  MISTRAL_API_KEY: 'sk-m',
  TOGETHER_API_KEY: 'sk-t',
  GROQ_API_KEY: 'sk-g',
  OPENAI_API_KEY: 'sk-o',
  ANTHROPIC_API_KEY: 'sk-a',
  SWITCHYARD_CLIENT_KEY: 'client-key-1',
};

function problemsOf(action: () => unknown): string[] {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('falls back to the embedded simulator fleet when no file exists', () => {
    const config = loadConfig({ cwd: mkdtempSync(join(tmpdir(), 'sy-')), environment: {} });
    expect(config.source).toBe(EMBEDDED_SOURCE);
    expect(config.simulator.enabled).toBe(true);
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 4000 });
    expect(config.aliases.get('auto')).toBe('deepseek-chat');
    expect(
      [...config.providers.values()].every(
        (provider) => provider.simulated && provider.embeddedSimulator,
      ),
    ).toBe(true);
    expect(config.models.get('claude-3-5-haiku-20241022')?.deployments).toEqual([
      {
        provider: 'sim-anthropic',
        upstreamModel: 'claude-3-5-haiku-20241022',
        price: expect.objectContaining({ inputPerMillion: 0.8, outputPerMillion: 4 }),
        maxOutputTokens: 8192,
      },
    ]);
    expect(config.catalogWarnings).toEqual([]);
  });

  it('accepts the README config example as written', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const example = /## Serving real providers[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const directory = mkdtempSync(join(tmpdir(), 'sy-readme-'));
    writeFileSync(join(directory, 'switchyard.yaml'), example!);
    const config = loadConfig({ path: join(directory, 'switchyard.yaml'), environment: KEYS });
    expect([...config.routing.policies.keys()]).toContain('auto');
    expect(config.auth.requireKeys).toBe(true);
  });

  it('loads the shipped example with its policies, resilience, cache and batching sections', () => {
    const config = loadConfig({
      path: resolve(import.meta.dirname, '../../switchyard.example.yaml'),
      environment: KEYS,
    });
    expect([...config.routing.policies.keys()].sort()).toEqual(['ab', 'auto', 'auto:cheap']);
    expect(config.batching.deployments.size).toBe(1);
    expect(config.cache.models.get('auto')).toMatchObject({ when: 'temperature_zero' });
  });

  it('loads the shipped example config', () => {
    const config = loadConfig({
      path: resolve(import.meta.dirname, '../../switchyard.example.yaml'),
      environment: KEYS,
    });
    expect(config.providers.get('deepseek')?.settings).toMatchObject({
      wire: 'openai-compatible',
      baseUrl: 'https://api.deepseek.com',
      apiKey: 'sk-ds',
    });
    expect(config.providers.get('anthropic')?.settings.wire).toBe('anthropic');
    expect(config.providers.get('local-vllm')?.settings).toMatchObject({
      headers: { 'x-team': 'platform' },
      quirks: { completions: true },
    });
    expect(config.providers.get('local-vllm')?.connections).toBe(64);
    expect(config.models.get('llama-3.3-70b')?.deployments).toHaveLength(2);
    expect(config.aliases.get('cheap')).toBe('qwen2.5-coder-7b');
    expect(config.auth.apiKeys).toEqual(['client-key-1']);
    expect(config.server.bodyLimitBytes).toBe(4 * 1024 * 1024);
  });

  it('PORT/HOST env override the file and flags override env', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sy-'));
    expect(loadConfig({ cwd, environment: { PORT: '5001', HOST: '::1' } }).server).toMatchObject({
      port: 5001,
      host: '::1',
    });
    expect(
      loadConfig({ cwd, environment: { PORT: '5001' }, overrides: { port: 5002 } }).server.port,
    ).toBe(5002);
    expect(problemsOf(() => loadConfig({ cwd, environment: { PORT: 'abc' } }))[0]).toContain(
      'PORT',
    );
  });

  it('finds SWITCHYARD_CONFIG and ./switchyard.yaml', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sy-'));
    const text =
      'providers: { p: { type: simulated, fleet_provider: sim-qwen } }\nmodels: { m: { deployments: [{ provider: p }] } }\n';
    writeFileSync(join(cwd, 'switchyard.yaml'), text);
    expect(loadConfig({ cwd, environment: {} }).source).toBe(join(cwd, 'switchyard.yaml'));
    writeFileSync(join(cwd, 'other.yml'), text);
    expect(loadConfig({ cwd, environment: { SWITCHYARD_CONFIG: 'other.yml' } }).source).toBe(
      join(cwd, 'other.yml'),
    );
    expect(problemsOf(() => loadConfig({ cwd, path: 'missing.yaml', environment: {} }))).toEqual([
      'the config file does not exist',
    ]);
  });
});

describe('config validation reports every problem with its path', () => {
  it('schema errors', () => {
    const problems = problemsOf(() =>
      parseConfigText(
        'server: { port: 99999, colour: blue }\nproviders: { BAD_ID: { preset: deepseek } }\n',
        'x.yaml',
      ),
    );
    expect(problems.some((problem) => problem.startsWith('server.port:'))).toBe(true);
    expect(problems.some((problem) => problem.includes('colour'))).toBe(true);
    expect(problems.some((problem) => problem.startsWith('providers.BAD_ID'))).toBe(true);
  });

  it('ledger durability and flush_ms (the older name flush_interval_ms too, never both)', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sy-'));
    const defaults = loadConfig({ cwd, environment: {} });
    expect(defaults.ledger).toMatchObject({ durability: 'batch' });
    writeFileSync(
      join(cwd, 'switchyard.yaml'),
      JSON.stringify({
        ...embeddedConfigFile(),
        ledger: { durability: 'journal', flush_ms: 100 },
      }),
    );
    expect(loadConfig({ cwd, environment: {} }).ledger).toMatchObject({
      durability: 'journal',
      flushIntervalMs: 100,
    });
    expect(
      problemsOf(() => parseConfigText('ledger: { durability: fsync }\n', 'x.yaml'))[0],
    ).toMatch(/^ledger\.durability/);
    expect(
      problemsOf(() =>
        parseConfigText('ledger: { flush_ms: 100, flush_interval_ms: 100 }\n', 'x.yaml'),
      )[0],
    ).toMatch(/not both/);
  });

  it('invalid YAML', () => {
    expect(problemsOf(() => parseConfigText('server: [unclosed', 'x.yaml'))[0]).toMatch(
      /not valid YAML/,
    );
  });

  it('cross-references, presets and missing keys', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sy-'));
    writeFileSync(
      join(cwd, 'switchyard.yaml'),
      [
        'providers:',
        '  a: { preset: nope }',
        '  b: { preset: groq }',
        '  c: { type: simulated, fleet_provider: sim-nowhere }',
        'models:',
        '  m: { deployments: [{ provider: zzz }] }',
        'routing: { default_model: other, aliases: { m: m, x: missing } }',
      ].join('\n'),
    );
    const problems = problemsOf(() => loadConfig({ cwd, environment: {} }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('providers.a.preset: unknown preset "nope"'),
        expect.stringContaining('providers.b: environment variable GROQ_API_KEY'),
        expect.stringContaining('providers.c.fleet_provider'),
        expect.stringContaining('models.m.deployments[0].provider: no provider named "zzz"'),
        expect.stringContaining('routing.default_model: no model named "other"'),
        expect.stringContaining('routing.aliases.m: "m" is already a model name'),
        expect.stringContaining('routing.aliases.x: no model or routing policy named "missing"'),
      ]),
    );
  });

  it('selects the Responses wire per provider: type, preset, or a simulated provider that serves it', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sy-'));
    writeFileSync(
      join(cwd, 'switchyard.yaml'),
      [
        'providers:',
        '  custom: { type: openai-responses, base_url: "https://api.example.com/v1" }',
        '  openai: { preset: openai-responses }',
        '  sim-responses: { type: simulated, fleet_provider: sim-openai, wire: openai-responses }',
        'models:',
        '  gpt-4.1: { deployments: [{ provider: custom }, { provider: openai }, { provider: sim-responses }] }',
      ].join('\n'),
    );
    const config = loadConfig({ cwd, environment: KEYS });
    const wires = Object.fromEntries(
      [...config.providers.values()].map((provider) => [
        provider.settings.id,
        provider.settings.wire,
      ]),
    );
    expect(wires).toEqual({
      custom: 'openai-responses',
      openai: 'openai-responses',
      'sim-responses': 'openai-responses',
    });
    writeFileSync(
      join(cwd, 'switchyard.yaml'),
      [
        'providers:',
        '  bad: { type: simulated, fleet_provider: sim-deepseek, wire: openai-responses }',
        'models:',
        '  deepseek-chat: { deployments: [{ provider: bad }] }',
      ].join('\n'),
    );
    expect(problemsOf(() => loadConfig({ cwd, environment: {} }))).toEqual([
      expect.stringContaining(
        'providers.bad.wire: the simulated provider "sim-deepseek" does not serve the Responses API (those that do: sim-openai)',
      ),
    ]);
  });

  it('never prints secrets', () => {
    const config = loadConfig({
      path: resolve(import.meta.dirname, '../../switchyard.example.yaml'),
      environment: KEYS,
    });
    const printed = JSON.stringify(redactedConfig(config));
    for (const secret of Object.values(KEYS)) expect(printed).not.toContain(`"${secret}"`);
    expect(printed).toContain('***');
  });
});

describe('parseByteSize', () => {
  it('reads binary units', () => {
    expect(parseByteSize('4mb')).toBe(4 * 1024 * 1024);
    expect(parseByteSize('512 KiB')).toBe(512 * 1024);
    expect(parseByteSize(1000)).toBe(1000);
    expect(parseByteSize('10')).toBe(10);
  });
});

describe('redaction of secrets in printed config', () => {
  const text = `
providers:
  custom:
    type: openai-compatible
    base_url: https://svc-user:hunter2-pass@llm.example.com/v1?api-key=sk-in-query&region=eu
    headers: { x-session: sess-value-1, x-tenant: tenant-value-2, x-region: eu-west }
    secret_headers: [x-tenant]
models:
  m: { deployments: [{ provider: custom }] }
`;

  it('config check and the startup banner show neither userinfo, secret query parameters nor secret headers', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sy-'));
    writeFileSync(join(directory, 'switchyard.yaml'), text);
    const config = loadConfig({
      cwd: directory,
      environment: { DATABASE_URL: 'postgres://app:db-password-3@db.example:5432/ledger' },
    });
    const printed = JSON.stringify(redactedConfig(config));
    const { startupBanner } = await import('../cli/serve-command.js');
    const banner = startupBanner({ config, url: 'http://127.0.0.1:4000' } as Parameters<
      typeof startupBanner
    >[0]);
    for (const output of [printed, banner]) {
      for (const secret of ['hunter2-pass', 'svc-user', 'sk-in-query', 'db-password-3'])
        expect(output).not.toContain(secret);
    }
    expect(banner).toContain('https://***@llm.example.com/v1?api-key=***&region=eu');
    for (const secret of ['sess-value-1', 'tenant-value-2']) expect(printed).not.toContain(secret);
    expect(printed).toContain('eu-west');
  });
});
