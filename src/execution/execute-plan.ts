import { GatewayError } from '../core/errors.js';
import { partBatches } from '../core/provider.js';
import type { CanonicalRequest } from '../core/request.js';
import { requestFor } from './clamp-output.js';
import type { ModelResponse, StreamPart } from '../core/response.js';
import type { RoutePlan } from '../core/route.js';
import type { AttemptLease } from './attempt-lease.js';
import { assembleAnswer } from './assemble-answer.js';
import { DeploymentBreakers } from './deployment-breakers.js';
import { createExecutionPolicy, type ExecutionPolicy } from './execution-policy.js';
import type {
  CallFunction,
  ExecutedCall,
  ExecutedStream,
  ExecutionContext,
  StreamFunction,
} from './execution-types.js';
import { runPlan } from './plan-runner.js';
import { outputCheckFor, type OutputCheck } from './structured-output.js';

export type {
  AttemptRecord,
  CallFunction,
  ExecutedCall,
  ExecutedStream,
  ExecutionContext,
  StreamFunction,
} from './execution-types.js';

/**
 * The executor: runs a route plan's attempts (retries, failover, breakers, timeouts, hedging,
 * structured-output checks: see plan-runner.ts) until one answers. Failover happens only before
 * anything reached the client (for streams: before the first content part), so a client never
 * sees two answers spliced together.
 */

let fallbackPolicy: ExecutionPolicy | undefined;

/** The policy used when the caller passes none: defaults, real clock, breakers of its own (no memory across calls). */
function defaultPolicy(): ExecutionPolicy {
  fallbackPolicy ??= createExecutionPolicy();
  return { ...fallbackPolicy, breakers: new DeploymentBreakers(fallbackPolicy.settings.breaker) };
}

function checkFor(request: CanonicalRequest, policy: ExecutionPolicy): OutputCheck | undefined {
  return policy.settings.structuredOutput.mode === 'validate'
    ? outputCheckFor(request, policy.validators)
    : undefined;
}

export async function executeCall<R extends CanonicalRequest>(
  plan: RoutePlan,
  request: R,
  call: CallFunction<R>,
  context: ExecutionContext,
  policy = defaultPolicy(),
): Promise<ExecutedCall> {
  const check = checkFor(request, policy);
  const { value, lease } = await runPlan<ModelResponse>(
    plan,
    request,
    context,
    policy,
    (attempt) => call(attempt.target.adapter, requestFor(request, attempt.target), attempt.call),
    {
      stream: false,
      check,
      answerOf: (answer) => answer,
    },
  );
  lease.succeeded(value.usage?.outputTokens ?? 0);
  return { answer: value, target: lease.target, attempt: lease.attempt };
}

interface StreamOpening {
  held: (readonly StreamPart[])[];
  iterator: AsyncIterator<readonly StreamPart[]>;
  /** The whole answer, when the stream was buffered to its end for a structured-output check. */
  answer?: ModelResponse;
}

export async function executeStream<R extends CanonicalRequest>(
  plan: RoutePlan,
  request: R,
  open: StreamFunction<R>,
  context: ExecutionContext,
  policy = defaultPolicy(),
): Promise<ExecutedStream> {
  const check = checkFor(request, policy);
  const tryOnce = async (lease: AttemptLease): Promise<StreamOpening> => {
    const parts = await open(lease.target.adapter, requestFor(request, lease.target), lease.call);
    const iterator = partBatches(parts)[Symbol.asyncIterator]();
    const held: (readonly StreamPart[])[] = [];
    try {
      // Hold the batches until one carries content: until then nothing has reached the client and
      // a failure can still move on. A structured answer is held to its end and checked first.
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        lease.watch.chunks += 1;
        held.push(next.value);
        if (
          lease.attempt.firstTokenAt === undefined &&
          next.value.some((part) => part.type !== 'start')
        ) {
          lease.flowing();
          if (!check) break;
        }
      }
    } catch (error) {
      void iterator.return?.();
      throw error;
    }
    return check ? { held, iterator, answer: assembleAnswer(held) } : { held, iterator };
  };
  const { value, lease } = await runPlan<StreamOpening>(plan, request, context, policy, tryOnce, {
    stream: true,
    check,
    answerOf: (opening) => opening.answer,
  });
  if (lease.attempt.firstTokenAt === undefined) lease.flowing();
  return {
    batches: relayAttempt(value, lease, context),
    target: lease.target,
    attempt: lease.attempt,
  };
}

async function* relayAttempt(
  opening: StreamOpening,
  lease: AttemptLease,
  context: ExecutionContext,
): AsyncGenerator<readonly StreamPart[]> {
  const { held, iterator } = opening;
  let outputTokens: number | undefined;
  let finished = false;
  try {
    for (const batch of held) {
      for (const part of batch) if (part.type === 'usage') outputTokens = part.usage.outputTokens;
      yield batch;
    }
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      lease.watch.chunks += 1;
      for (const part of next.value)
        if (part.type === 'usage') outputTokens = part.usage.outputTokens;
      yield next.value;
    }
    finished = true;
    lease.succeeded(outputTokens);
  } catch (thrown) {
    finished = true;
    throw lease.failed(thrown);
  } finally {
    if (!finished) {
      // The consumer stopped early (client gone, or it failed): release the upstream body.
      lease.failed(
        new GatewayError(
          context.signal.aborted ? 'client_closed' : 'internal_error',
          'The relay stopped before the end of the stream.',
        ),
      );
      lease.abort(
        new GatewayError('client_closed', 'The relay stopped before the end of the stream.'),
      );
      void iterator.return?.();
    }
  }
}

/** Kept for callers that decide failover themselves: the request was not at fault. */
export function shouldFailOver(error: GatewayError): boolean {
  return (
    error.retryable ||
    error.code === 'upstream_auth' ||
    error.code === 'unsupported' ||
    error.code === 'context_length_exceeded' ||
    error.code === 'output_limit_exceeded'
  );
}
