import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInit } from '../../src/cli/init-command.js';
import { loadConfig } from '../../src/config/load-config.js';

function run(environment: Record<string, string>, path: string, force = false) {
  let out = '';
  let err = '';
  const code = runInit({
    path,
    force,
    environment,
    write: (text) => (out += text),
    writeError: (text) => (err += text),
  });
  return { code, out, err };
}

describe('switchyard init', () => {
  it('writes a commented config for the providers whose key variables are set, which loads as it is', () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-init-'));
    const file = join(directory, 'switchyard.yaml');
    const environment = {
      DEEPSEEK_API_KEY: 'sk-deepseek-secret',
      ANTHROPIC_API_KEY: 'sk-ant-secret',
    };
    const { code, out } = run(environment, file);
    expect(code).toBe(0);
    expect(out).toContain('2 provider(s) (deepseek, anthropic)');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# /m);
    expect(text).toContain('# key from $DEEPSEEK_API_KEY');
    expect(text).not.toContain('sk-deepseek-secret');
    expect(text).not.toContain('mistral');
    const config = loadConfig({ path: file, environment });
    expect([...config.providers.keys()]).toEqual(['deepseek', 'anthropic']);
    expect(config.models.get('deepseek-chat')?.deployments.map((d) => d.provider)).toEqual([
      'deepseek',
    ]);
    expect([...config.models.keys()].some((name) => name.startsWith('claude-'))).toBe(true);
    // Every model has a catalog price.
    for (const model of config.models.values())
      for (const deployment of model.deployments)
        expect(deployment.price?.source, model.name).toBeTruthy();
  });

  it('refuses to overwrite without --force, and says which variables it looked for when none is set', () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-init-'));
    const file = join(directory, 'switchyard.yaml');
    writeFileSync(file, 'server: { port: 1234 }\n');
    expect(run({ OPENAI_API_KEY: 'k' }, file).code).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe('server: { port: 1234 }\n');
    expect(run({ OPENAI_API_KEY: 'k' }, file, true).code).toBe(0);
    const empty = join(directory, 'none.yaml');
    const refused = run({}, empty);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('DEEPSEEK_API_KEY');
    expect(existsSync(empty)).toBe(false);
  });
});
