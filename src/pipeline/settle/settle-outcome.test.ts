import { describe, expect, it } from 'vitest';
import { modelCall, PRICE } from '../../../test/helpers/pipeline-call.js';
import type { AttemptRecord } from '../../execution/execution-types.js';
import { recordFailure, settleFailure, settleOutcome } from './settle-outcome.js';

const attempt = (key: string, costUsd?: number): AttemptRecord => ({
  key,
  provider: key.split('/')[0]!,
  model: 'm',
  upstreamModel: 'm',
  startedAt: 0,
  startedAtWall: 0,
  ...(costUsd === undefined ? {} : { costUsd }),
});

const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000 };

describe('settleOutcome', () => {
  it('charges an upstream answer to the attempt that served, plus what the others cost', () => {
    const { record, request } = modelCall();
    const loser = attempt('p/m', 0.5);
    const served = attempt('q/m');
    record.attempts = [loser, served];
    settleOutcome(
      record,
      request,
      { source: 'upstream', origin: { model: 'm', provider: 'q', price: PRICE }, served },
      usage,
      0,
    );
    expect(served).toMatchObject({ usage, costUsd: 3 });
    expect(record).toMatchObject({ usage, costUsd: 3.5, costEstimated: false });
  });

  it('charges nothing for a hit and saves what the stored answer cost', () => {
    const { record, request } = modelCall();
    settleOutcome(
      record,
      request,
      { source: 'hit', origin: { model: 'm', provider: 'q' }, stored: { usage, costUsd: 3 } },
      undefined,
      0,
    );
    expect(record).toMatchObject({ usage, costUsd: 0, savedUsd: 3 });
  });

  it('charges nothing for a joiner and saves its tokens at the producing deployment’s price', () => {
    const { record, request } = modelCall();
    settleOutcome(
      record,
      request,
      { source: 'shared', origin: { model: 'm', provider: 'q', price: PRICE } },
      usage,
      0,
    );
    expect(record).toMatchObject({ usage, costUsd: 0, savedUsd: 3, costEstimated: false });
  });

  it('charges a failed request what its attempts cost and names the last one', () => {
    const { record } = modelCall();
    record.attempts = [attempt('p/m', 0.25), attempt('q/m', 0.5)];
    expect(recordFailure(record)?.key).toBe('q/m');
    settleFailure(record);
    expect(record).toMatchObject({ provider: 'q', costUsd: 0.75 });
  });
});
