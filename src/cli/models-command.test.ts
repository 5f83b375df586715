import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runModels } from './models-command.js';

const fixture = fileURLToPath(
  new URL('../registry/import/fixtures/openrouter-models.json', import.meta.url),
);

function capture() {
  let text = '';
  return { stdout: { write: (chunk: string) => (text += chunk) }, text: () => text };
}

/** An empty directory so no ./switchyard.yaml is picked up: the embedded (simulated) config. */
const cwd = mkdtempSync(join(tmpdir(), 'switchyard-models-'));

describe('runModels', () => {
  it('prints the catalog with the embedded demo deployments marked and no warnings', async () => {
    const out = capture();
    expect(await runModels({ cwd, environment: {}, stdout: out.stdout })).toBe(0);
    const text = out.text();
    expect(text.split('\n')[0]).toMatch(
      /^\s+model\s+provider\s+upstream\s+\$\/M in\s+cached\s+out\s+context\s+capabilities\s+tier\s+price date$/,
    );
    expect(text).toMatch(
      /\*\s+deepseek-chat\s+sim-deepseek\s+deepseek-chat\s+0\.28\s+0\.028\s+0\.42\s+128,000\s+tools,json,fim,stream\s+3\s+2025-12-09/,
    );
    expect(text).toMatch(
      / llama-3\.3-70b-instruct\s+together\s+meta-llama\/Llama-3\.3-70B-Instruct-Turbo\s+\?\s+\?\s+\?/,
    );
    expect(text).not.toContain('warning:');
  });

  it('prints JSON with the configured deployments matched to the catalog', async () => {
    const out = capture();
    await runModels({ cwd, environment: {}, json: true, stdout: out.stdout });
    const parsed = JSON.parse(out.text()) as {
      configured: Array<{ catalog: unknown }>;
      models: unknown[];
      warnings: string[];
    };
    expect(parsed.configured).toHaveLength(9);
    expect(parsed.configured.every((entry) => entry.catalog !== null)).toBe(true);
    expect(parsed.warnings).toEqual([]);
  });

  it('warns about configured deployments the catalog cannot price', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-models-'));
    writeFileSync(
      join(dir, 'switchyard.yaml'),
      'providers:\n  local:\n    preset: ollama\nmodels:\n  my-coder:\n    deployments:\n      - provider: local\n        model: "qwen2.5-coder:7b"\n',
    );
    const out = capture();
    await runModels({ cwd: dir, environment: {}, stdout: out.stdout });
    expect(out.text()).toContain(
      'warning: models.my-coder.deployments[0] (local): not in the catalog',
    );
    expect(out.text()).toMatch(/\*\s+my-coder\s+local\s+qwen2\.5-coder:7b .*not in catalog/);
  });

  it('reports a price import and prints the overrides to save', async () => {
    const out = capture();
    await runModels({ cwd, environment: {}, importPrices: fixture, stdout: out.stdout });
    const text = out.text();
    expect(text).toContain('into provider "openrouter"');
    expect(text).toContain(
      'claude-sonnet-4-20250514 @ openrouter as anthropic/claude-sonnet-4: input 3, cached_input 0.3, cache_write 3.75, output 15',
    );
    expect(text).toContain(
      'Document entries matching no catalog model (1, not imported): mistralai/mistral-nemo',
    );
    expect(text).toContain('Nothing was saved.');
    expect(text).toMatch(
      /^models:\n[\s\S]*\n  deepseek-chat:\n    deployments:\n      openrouter:\n        price:\n          input: 0.3\n/m,
    );
  });
});
