import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/** `switchyard route --explain` from the built CLI (`npm test` builds first). */
const BIN = resolve(import.meta.dirname, '../../bin/switchyard.js');
const run = promisify(execFile);

async function cli(
  args: string[],
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-route-'));
  const child = run(process.execPath, [BIN, ...args], {
    cwd: directory,
    env: { PATH: process.env.PATH ?? '' },
    timeout: 20_000,
  });
  if (input !== undefined) {
    child.child.stdin!.end(input);
  }
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('switchyard route --explain', () => {
  it('prints the features, the ranked candidates and why, for --prompt', async () => {
    const { code, stdout } = await cli([
      'route',
      '--explain',
      '--prompt',
      'Suggest a better name for this variable: x = 1',
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Route: auto cost-optimal -> sim-qwen\/qwen2\.5-coder-7b-instruct/);
    expect(stdout).toMatch(/task\s+naming/);
    expect(stdout).toMatch(
      /1\s+sim-qwen\/qwen2\.5-coder-7b-instruct\s+[\d.]+\s+0\+0\s+[\d.e-]+\s+\d+ ms \(0\)\s+won: within 10 points of the best posterior/,
    );
  });

  it('reads a chat body from stdin, honours --config and prints JSON with --json', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-route-config-'));
    const config = join(directory, 'switchyard.yaml');
    writeFileSync(
      config,
      [
        'providers: { sim-qwen: { type: simulated }, sim-deepseek: { type: simulated } }',
        'models:',
        '  small: { deployments: [{ provider: sim-qwen, model: qwen2.5-coder-7b-instruct }] }',
        '  big: { deployments: [{ provider: sim-deepseek, model: deepseek-chat }] }',
        'routing:',
        '  policies:',
        '    auto: { type: tiers, tiers: { s: [small], b: [big] }, rules: [{ when: { task: system-level }, tier: b }] }',
      ].join('\n'),
    );
    const body = JSON.stringify({
      model: 'auto',
      messages: [{ role: 'user', content: 'Resolve the dependency conflict in go.mod' }],
    });
    const { code, stdout } = await cli(['route', '--explain', '--json', '--config', config], body);
    expect(code).toBe(0);
    const explanation = JSON.parse(stdout) as { policy: string; tier: string; attempts: string[] };
    expect(explanation).toMatchObject({
      policy: 'tiers',
      tier: 'b',
      attempts: ['sim-deepseek/big', 'sim-qwen/small'],
    });
  });

  it('ranks the deployments whose wire refuses a field of the body last and names the field', async () => {
    const body = JSON.stringify({
      model: 'auto',
      verbosity: 'low',
      messages: [{ role: 'user', content: 'Write a Python function that parses ISO dates' }],
    });
    const { code, stdout } = await cli(['route', '--explain', '--json'], body);
    expect(code).toBe(0);
    const { candidates } = JSON.parse(stdout) as {
      candidates: Array<{ provider: string; rank: number | null; refused_fields?: string[] }>;
    };
    // Only the simulated OpenAI takes `verbosity` on chat: its deployments rank first.
    const ranked = candidates.filter((candidate) => candidate.rank !== null);
    const taking = ranked.filter((candidate) => candidate.provider === 'sim-openai');
    expect(taking.length).toBeGreaterThan(0);
    expect(ranked.slice(0, taking.length)).toEqual(taking);
    expect(ranked.slice(taking.length).every((c) => c.refused_fields?.[0] === 'verbosity')).toBe(
      true,
    );
  });

  it('fails clearly on an unknown model and without --explain', async () => {
    const unknown = await cli(['route', '--explain', '--prompt', 'hi', '--model', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('model_not_found');
    expect((await cli(['route', '--prompt', 'hi'])).code).toBe(2);
  });
});
