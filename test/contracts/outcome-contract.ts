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
  // A pass inferred from a tool result counts half an outcome (INFERRED_PASS_WEIGHT).
  await ledger.recordOutcome({
    ...base,
    requestId: 'r6',
    signal: 'tool-result',
    score: 1,
    bucket: 'go/general/s',
  });
  const evidence = await ledger.outcomeEvidence(FIXTURE_EPOCH - 1);
  const sorted = evidence.sort((a, b) => a.bucket.localeCompare(b.bucket));
  expect(sorted).toEqual([
    { provider: 'rb', model: 'm', bucket: 'go/general/s', successes: 1.5, failures: 0 },
    { provider: 'rb', model: 'm', bucket: 'python/algorithm/s', successes: 1.5, failures: 2.5 },
  ]);
  expect(await ledger.outcomeEvidence(FIXTURE_EPOCH + 1)).toEqual([]);
  const report = await ledger.outcomeReport({ from: FIXTURE_EPOCH, to: FIXTURE_EPOCH + 1 });
  expect(
    report.map((row) => [row.bucket, row.signal, row.outcomes, row.passed, row.passCount]),
  ).toEqual([
    ['go/general/s', 'feedback', 1, 1, 1],
    ['go/general/s', 'tool-result', 1, 1, 1],
    // r1 pass (1), r2 fail (0), r3 replaced by 0.5 (a pass: at least half).
    ['python/algorithm/s', 'feedback', 3, 1.5, 2],
    ['python/algorithm/s', 'retry', 1, 0, 0],
    ['python/algorithm/s', 'tool-result', 1, 0, 0],
  ]);
  // The newest outcomes first; the window's end is exclusive.
  const recent = await ledger.recentOutcomes({ from: FIXTURE_EPOCH, to: FIXTURE_EPOCH + 1 });
  expect(recent).toHaveLength(7);
  expect(recent.find((row) => row.requestId === 'r3')).toEqual({
    requestId: 'r3',
    signal: 'feedback',
    provider: 'rb',
    model: 'm',
    recordedAt: FIXTURE_EPOCH,
    apiKeyId: 'key-a',
    bucket: 'python/algorithm/s',
    score: 0.5,
    reason: "it's ok",
    source: 'pytest',
  });
  expect(
    await ledger.recentOutcomes({ from: FIXTURE_EPOCH, to: FIXTURE_EPOCH + 1, limit: 2 }),
  ).toHaveLength(2);
  expect(await ledger.recentOutcomes({ from: FIXTURE_EPOCH + 1, to: FIXTURE_EPOCH + 9 })).toEqual(
    [],
  );

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

/** Escalations: stored once per request, kind and deployment, counted per kind, deployment, bucket and target. */
export async function checkEscalations(ledger: Ledger): Promise<void> {
  const base = {
    provider: 'rb',
    model: 'small',
    bucket: 'python/general/s',
    apiKeyId: 'key-a',
    recordedAt: FIXTURE_EPOCH,
  };
  await ledger.recordEscalation({ ...base, requestId: 'e1', kind: 'cascade', toRung: 2 });
  // A repeat of the same request, kind and deployment replaces the first.
  await ledger.recordEscalation({
    ...base,
    requestId: 'e1',
    kind: 'cascade',
    toRung: 2,
    reason: 'feedback',
  });
  await ledger.recordEscalation({ ...base, requestId: 'e2', kind: 'cascade', toRung: 2 });
  await ledger.recordEscalation({
    ...base,
    requestId: 'e3',
    kind: 'structured-output',
    toProvider: 'rb',
    toModel: 'large',
    reason: 'structured-output',
  });
  await ledger.recordEscalation({
    ...base,
    requestId: 'e4',
    kind: 'structured-output',
    recordedAt: FIXTURE_EPOCH + 10,
  });
  const rows = await ledger.escalationReport({ from: FIXTURE_EPOCH, to: FIXTURE_EPOCH + 1 });
  expect(rows).toEqual([
    {
      kind: 'cascade',
      provider: 'rb',
      model: 'small',
      bucket: 'python/general/s',
      target: 'rung 2',
      escalations: 2,
    },
    {
      kind: 'structured-output',
      provider: 'rb',
      model: 'small',
      bucket: 'python/general/s',
      target: 'rb/large',
      escalations: 1,
    },
  ]);
  const later = await ledger.escalationReport({ from: FIXTURE_EPOCH + 1, to: FIXTURE_EPOCH + 11 });
  expect(later.map((row) => [row.kind, row.target, row.escalations])).toEqual([
    ['structured-output', null, 1],
  ]);
}
