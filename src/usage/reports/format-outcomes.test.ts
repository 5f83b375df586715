import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../ledger/sqlite-ledger.js';
import { runCosts } from './format-costs.js';

describe('switchyard costs --outcomes', () => {
  it('reports outcomes per model, bucket and signal, as a table or JSON', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'switchyard-outcomes-'));
    const ledger = await openSqliteLedger({ dataDir });
    const now = Date.now();
    const base = {
      provider: 'sim-deepseek',
      model: 'deepseek-chat',
      bucket: 'python/bug-fix/s',
      recordedAt: now,
    };
    await ledger.recordOutcome({ ...base, requestId: 'a', signal: 'feedback', score: 1 });
    await ledger.recordOutcome({ ...base, requestId: 'b', signal: 'feedback', score: 0 });
    await ledger.recordOutcome({ ...base, requestId: 'c', signal: 'tool-result', score: 0 });
    await ledger.close();
    let text = '';
    expect(
      await runCosts({ dataDir, outcomes: true, from: '1d', write: (chunk) => (text += chunk) }),
    ).toBe(0);
    expect(text).toMatch(
      /deepseek-chat\s+sim-deepseek\s+python\/bug-fix\/s\s+feedback\s+2\s+50\.0%/,
    );
    expect(text).toMatch(/tool-result\s+1\s+0\.0%/);
    let json = '';
    await runCosts({ dataDir, outcomes: true, json: true, write: (chunk) => (json += chunk) });
    expect((JSON.parse(json) as { rows: unknown[] }).rows).toHaveLength(2);
  });
});
