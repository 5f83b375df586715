import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { handCheckedEntries } from '../../../test/contracts/ledger-contract.js';
import { DAY, FIXTURE_EPOCH } from '../ledger/ledger-fixtures.js';
import { openSqliteLedger } from '../ledger/sqlite-ledger.js';
import { formatCostsTable, runCosts, usd } from './format-costs.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

async function ledgerDirectory(): Promise<string> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-costs-'));
  directories.push(dataDir);
  const ledger = await openSqliteLedger({ dataDir });
  for (const entry of handCheckedEntries()) ledger.record(entry);
  await ledger.close();
  return dataDir;
}

async function run(options: Omit<Parameters<typeof runCosts>[0], 'write' | 'writeError' | 'now'>) {
  const output: string[] = [];
  const errors: string[] = [];
  const code = await runCosts({
    ...options,
    write: (text) => output.push(text),
    writeError: (text) => errors.push(text),
    now: () => FIXTURE_EPOCH + 2 * DAY + 3_600_000,
  });
  return { code, output: output.join(''), errors: errors.join('') };
}

describe('runCosts', () => {
  it('prints a table grouped by model with totals, tokens and savings', async () => {
    const dataDir = await ledgerDirectory();
    const { code, output } = await run({ dataDir, from: '2026-03-01', to: '2026-03-03' });
    expect(code).toBe(0);
    expect(output).toBe(
      [
        'Usage 2026-03-01 00:00 → 2026-03-03 00:00 UTC, by model',
        '',
        'Model          Requests  Errors  Cache hits  Input tok  Cached in  Output tok        Cost  Saved cache  Saved routing',
        '─────────────  ────────  ──────  ──────────  ─────────  ─────────  ──────────  ──────────  ───────────  ─────────────',
        '(none)                1       1           0          0          0           0       $0.00        $0.00          $0.00',
        'deepseek-chat         3       1           1         2k        200         600   $0.002100    $0.002100        $0.0558',
        'gpt-4o-mini           1       0           0        500          0         100  ~$0.000300        $0.00          $0.00',
        '─────────────  ────────  ──────  ──────────  ─────────  ─────────  ──────────  ──────────  ───────────  ─────────────',
        'Total                 5       2           1       2.5k        200         700  ~$0.002400    $0.002100        $0.0558',
        '',
        'Spent $0.002400 on 5 requests (2 errors). Saved $0.0579 (96.0% of $0.0603): $0.002100 by the cache, $0.0558 by routing.',
        '~ 1 request is priced on estimated token counts (the provider reported no usage).',
        '',
      ].join('\n'),
    );
  });

  it('prints JSON with any grouping', async () => {
    const dataDir = await ledgerDirectory();
    const { code, output } = await run({
      dataDir,
      from: '2026-03-01',
      to: '2026-03-03',
      groupBy: 'day,provider',
      json: true,
    });
    expect(code).toBe(0);
    const report = JSON.parse(output);
    expect(report.from).toBe('2026-03-01T00:00:00.000Z');
    expect(report.groupBy).toEqual(['day', 'provider']);
    expect(report.rows[0]).toMatchObject({
      group: { day: '2026-03-01', provider: 'deepseek' },
      requests: 1,
      costUsd: 0.0021,
    });
    expect(report.totals).toMatchObject({ requests: 5, savedByRoutingUsd: 0.0558 });
  });

  it('defaults to the last 7 days, grouped by model', async () => {
    const dataDir = await ledgerDirectory();
    const { output } = await run({ dataDir });
    expect(output.split('\n')[0]).toBe('Usage 2026-02-25 00:00 → 2026-03-03 01:00 UTC, by model');
    expect(output).toContain('Spent $0.002400 on 5 requests');
  });

  it('does not create a database to report on nothing', async () => {
    const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'switchyard-costs-')), 'absent');
    directories.push(path.dirname(dataDir));
    const { code, output, errors } = await run({ dataDir, groupBy: [] });
    expect(code).toBe(0);
    expect(output).toContain('No requests in this period.');
    expect(errors).toContain('No ledger at');
  });

  it('exits 2 with a message on bad options', async () => {
    expect(await run({ dataDir: '/unused', from: 'last tuesday' })).toMatchObject({
      code: 2,
      errors: expect.stringContaining('invalid time "last tuesday"'),
    });
    expect(await run({ dataDir: '/unused', groupBy: 'region' })).toMatchObject({ code: 2 });
    expect(await run({ dataDir: '/unused', from: '2026-03-05', to: '2026-03-01' })).toMatchObject({
      code: 2,
      errors: expect.stringContaining('before'),
    });
  });
});

describe('formatCostsTable', () => {
  it('without grouping prints the totals line only', async () => {
    const dataDir = await ledgerDirectory();
    const ledger = await openSqliteLedger({ dataDir });
    const report = await ledger.report({
      from: FIXTURE_EPOCH,
      to: FIXTURE_EPOCH + 2 * DAY,
      groupBy: [],
    });
    await ledger.close();
    const lines = formatCostsTable(report).split('\n');
    expect(lines[0]).toBe('Usage 2026-03-01 00:00 → 2026-03-03 00:00 UTC');
    expect(lines[2]).toMatch(/^Requests {2}Errors/);
    expect(lines[4]).toMatch(/^ +5 +2 +1 +2\.5k +200 +700 +~\$0\.002400/);
  });

  it('formats money for per-request and monthly amounts', () => {
    expect([usd(0), usd(0.000014), usd(0.0558), usd(12.5), usd(1234.567), usd(-0.02)]).toEqual([
      '$0.00',
      '$0.000014',
      '$0.0558',
      '$12.50',
      '$1,234.57',
      '-$0.0200',
    ]);
  });
});
