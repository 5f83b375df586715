import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBreakeven } from '../../src/cli/breakeven-command.js';
import { openSqliteLedger } from '../../src/usage/ledger/sqlite-ledger.js';
import { makeAttempt, makeEntry } from '../../src/usage/ledger/ledger-fixtures.js';

const DAY = 86_400_000;

/** A config on the simulator fleet whose ledger lives in a fresh directory. */
function configIn(directory: string): string {
  const file = join(directory, 'switchyard.yaml');
  // The SQLite ledger in data_dir, even when the environment has a DATABASE_URL (CI does).
  writeFileSync(
    file,
    `data_dir: ${join(directory, 'data')}\nledger: { database_url_env: SWITCHYARD_BREAKEVEN_TEST_NO_DATABASE }\nsimulator: { enabled: true }\nproviders: { sim-deepseek: { type: simulated }, sim-anthropic: { type: simulated } }\nmodels:\n  deepseek-chat: { deployments: [{ provider: sim-deepseek }] }\n  claude-sonnet-4-20250514: { deployments: [{ provider: sim-anthropic }] }\n`,
  );
  return file;
}

async function run(
  args: Parameters<typeof runBreakeven>[0],
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runBreakeven({
    ...args,
    write: (text) => (out += text),
    writeError: (text) => (err += text),
  });
  return { code, out, err };
}

describe('switchyard breakeven', () => {
  it('reads the traffic mix from the ledger and prices it at catalog prices against the GPU', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-breakeven-'));
    const config = configIn(directory);
    const now = Date.UTC(2026, 11, 2, 12);
    const ledger = await openSqliteLedger({ dataDir: join(directory, 'data'), flushIntervalMs: 5 });
    // 10 days of traffic inside the window: 100 requests of 800 in + 200 out on deepseek-chat, 10 of 3,000 + 1,000 on Claude Sonnet.
    for (let index = 0; index < 100; index++) {
      const usage = { inputTokens: 800, outputTokens: 200 };
      ledger.record(
        makeEntry(
          {
            startedAt: now - (index % 10) * DAY - 1000,
            model: 'deepseek-chat',
            provider: 'sim-deepseek',
            usage,
            costUsd: 0.001,
          },
          [makeAttempt({ startedAt: now - 1000, provider: 'sim-deepseek', usage })],
        ),
      );
    }
    for (let index = 0; index < 10; index++) {
      ledger.record(
        makeEntry({
          startedAt: now - index * DAY - 1000,
          model: 'claude-sonnet-4-20250514',
          provider: 'sim-anthropic',
          usage: { inputTokens: 3000, outputTokens: 1000 },
          costUsd: 0.024,
        }),
      );
    }
    // Outside the window, a cache hit and a failure: none of them counts.
    ledger.record(
      makeEntry({
        startedAt: now - 40 * DAY,
        model: 'deepseek-chat',
        provider: 'sim-deepseek',
        usage: { inputTokens: 1e6, outputTokens: 0 },
      }),
    );
    ledger.record(
      makeEntry({
        startedAt: now - 1000,
        model: 'deepseek-chat',
        provider: 'sim-deepseek',
        usage: { inputTokens: 1e6, outputTokens: 0 },
        cacheStatus: 'hit',
      }),
    );
    ledger.record(
      makeEntry({
        startedAt: now - 1000,
        model: 'deepseek-chat',
        provider: 'sim-deepseek',
        status: 503,
        errorCode: 'upstream_unavailable',
      }),
    );
    await ledger.close();

    const { code, out } = await run({
      config,
      from: '10d',
      json: true,
      gpu: 'rtx-6000-ada',
      quality: '90',
      now: () => now,
    });
    expect(code).toBe(0);
    const result = JSON.parse(out);
    const days = (now - Date.UTC(2026, 10, 23)) / DAY; // '10d' = the last 10 UTC days, today included
    expect(result.days).toBeCloseTo(days, 6);
    const deepseek = result.lines.find((line: { model: string }) => line.model === 'deepseek-chat');
    expect(deepseek).toMatchObject({ bucket: '<1k', priced: 'catalog' });
    expect(deepseek.tokensPerDay).toBeCloseTo((100 * 1000) / days, 6);
    expect(result.tokensPerDay).toBeCloseTo((100 * 1000 + 10 * 4000) / days, 6);
    expect(result.gpu).toMatchObject({
      name: 'rtx-6000-ada',
      hourlyUsd: 1.332,
      tokensPerSecond: 60,
      concurrency: 1,
    });
    expect(result.gpu.source).toContain('docs.runpod.io');
    expect(result.breakEvenTokensPerDay).toBeCloseTo(
      (1.332 * 24 * 1e6) / result.servableUsdPerMillion,
      3,
    );
    expect(result.recommendation.selfHost).toBe(false);

    const text = await run({
      config,
      from: '10d',
      gpu: 'rtx-6000-ada',
      quality: '90',
      now: () => now,
    });
    expect(text.out).toContain('Break-even:');
    expect(text.out).toContain('deepseek-chat');
    expect(text.out).toMatch(/Monthly: APIs only \$[\d.]+; with the GPU \$[\d.]+/);
    expect(text.out).toContain('Stay on the APIs');
  });

  it('refuses an unknown preset and bad numbers by flag name', async () => {
    const config = configIn(mkdtempSync(join(tmpdir(), 'switchyard-breakeven-')));
    expect((await run({ config, gpu: 'abacus' })).err).toMatch(
      /--gpu: unknown preset "abacus" \(known: rtx-6000-ada/,
    );
    expect((await run({ config, tokensPerSecond: '-3' })).err).toMatch(/--tokens-per-second/);
    expect((await run({ config, model: 'no-such-model' })).err).toMatch(
      /--model: the catalog has no quality figures/,
    );
    const custom = await run({ config, gpuHourly: '0.5', quality: '85', json: true });
    expect(custom.code).toBe(0);
    expect(JSON.parse(custom.out).gpu).toMatchObject({
      hourlyUsd: 0.5,
      source: 'given with --gpu-hourly',
    });
  });
});
