import { expect } from 'vitest';
import type { Ledger } from '../../src/usage/ledger/ledger.js';
import { FIXTURE_EPOCH, makeEntry } from '../../src/usage/ledger/ledger-fixtures.js';

/**
 * The outcomes part of the ledger contract: a stored outcome is summed per deployment and bucket,
 * a repeat of the same request, signal and deployment replaces it, client feedback hides the
 * implicit signals of its request, and a request row is found by id within a window.
 */
export async function checkOutcomes(ledger: Ledger): Promise<void> {
  const base = {
    provider: 'rb',
    model: 'm',
    bucket: 'python/algorithm/s',
    apiKeyId: 'key-a',
    recordedAt: FIXTURE_EPOCH,
  };
  await ledger.recordOutcome({ ...base, requestId: 'r1', signal: 'feedback', score: 1 });
  await ledger.recordOutcome({ ...base, requestId: 'r2', signal: 'feedback', score: 0 });
  // Replaced by the same request's second feedback.
  await ledger.recordOutcome({ ...base, requestId: 'r3', signal: 'feedback', score: 0 });
  await ledger.recordOutcome({
    ...base,
    requestId: 'r3',
    signal: 'feedback',
    score: 0.5,
    reason: "it's ok",
    source: 'pytest',
  });
  // An implicit failure hidden by the client's own pass for the same request.
  await ledger.recordOutcome({ ...base, requestId: 'r1', signal: 'retry', score: 0 });
  // Counted: no feedback for r4.
  await ledger.recordOutcome({ ...base, requestId: 'r4', signal: 'tool-result', score: 0 });
  await ledger.recordOutcome({
    ...base,
    requestId: 'r5',
    signal: 'feedback',
    score: 1,
    bucket: 'go/general/s',
  });
  const evidence = await ledger.outcomeEvidence(FIXTURE_EPOCH - 1);
  const sorted = evidence.sort((a, b) => a.bucket.localeCompare(b.bucket));
  expect(sorted).toEqual([
    { provider: 'rb', model: 'm', bucket: 'go/general/s', successes: 1, failures: 0 },
    { provider: 'rb', model: 'm', bucket: 'python/algorithm/s', successes: 1.5, failures: 2.5 },
  ]);
  expect(await ledger.outcomeEvidence(FIXTURE_EPOCH + 1)).toEqual([]);
  const report = await ledger.outcomeReport({ from: FIXTURE_EPOCH, to: FIXTURE_EPOCH + 1 });
  expect(report.map((row) => [row.bucket, row.signal, row.outcomes, row.passed])).toEqual([
    ['go/general/s', 'feedback', 1, 1],
    ['python/algorithm/s', 'feedback', 3, 1.5],
    ['python/algorithm/s', 'retry', 1, 0],
    ['python/algorithm/s', 'tool-result', 1, 0],
  ]);

  ledger.record(
    makeEntry({
      requestId: 'asked',
      startedAt: FIXTURE_EPOCH + 5,
      apiKeyId: 'key-b',
      model: 'm',
      provider: 'rb',
      bucket: 'python/general/s',
      costUsd: 0.001,
    }),
  );
  await ledger.flush();
  expect(await ledger.findRequest('asked', FIXTURE_EPOCH)).toEqual({
    requestId: 'asked',
    startedAt: FIXTURE_EPOCH + 5,
    apiKeyId: 'key-b',
    model: 'm',
    provider: 'rb',
    bucket: 'python/general/s',
  });
  expect(await ledger.findRequest('asked', FIXTURE_EPOCH + 6)).toBeUndefined();
  expect(await ledger.findRequest('nobody', FIXTURE_EPOCH)).toBeUndefined();
}
