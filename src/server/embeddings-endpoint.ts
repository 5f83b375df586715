import type { ServerResponse } from 'node:http';
import { Cancel } from '../core/cancel.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../core/embedding.js';
import { GatewayError, toGatewayError } from '../core/errors.js';
import type { CompletionRequest } from '../core/request.js';
import { decodeEmbeddingsRequest, encodeEmbeddingsResponse } from '../dialects/openai/index.js';
import type { AttemptRecord } from '../execution/execution-types.js';
import type { SpendGuard } from '../keys/key-types.js';
import { costOfUsage } from '../usage/cost/cost-of-usage.js';
import { TokenCounter } from '../usage/cost/count-tokens.js';
import { admit } from '../pipeline/admission/admission.js';
import type { ClientIdentity } from './authenticate.js';
import type { EmbeddingTarget, EmbeddingTargets } from './embedding-targets.js';
import type { RequestRecord } from '../pipeline/request-record.js';
import { formatCost } from '../pipeline/settle/request-cost.js';
import { sendJson } from './respond.js';

export const EMBEDDINGS_PATH = '/v1/embeddings';

/**
 * `POST /v1/embeddings`: decode, resolve the embedding model (name or alias; `auto` and chat
 * models are a 400), admission (allowed models, budget reservation), then the model's
 * deployments in order — a retryable failure moves on to the next — and the answer in the
 * OpenAI shape. Usage is the provider's, else counted with the tokenizer (marked estimated);
 * cost is input tokens × the deployment's input price. One ledger row with its attempts.
 */
export async function serveEmbeddings(
  body: unknown,
  identity: ClientIdentity,
  targets: EmbeddingTargets,
  guard: SpendGuard | undefined,
  response: ServerResponse,
  record: RequestRecord,
): Promise<void> {
  const request = decodeEmbeddingsRequest(body);
  record.modelAsked = request.model;
  const plan = targets.resolve(request.model);
  const first = plan[0]!;
  record.model = first.model.name;
  record.provider = first.deployment.provider;
  record.route = `embeddings: ${plan.map((target) => target.key).join(' > ')}`;
  const reservation = await admit(
    identity,
    admissionView(request),
    first.model.name,
    first.deployment.price,
    guard,
  );
  const attempts: AttemptRecord[] = [];
  record.attempts = attempts;
  const signal = new Cancel();
  const onClose = (): void => {
    if (!response.writableFinished)
      signal.abort(new GatewayError('client_closed', 'The client closed the connection.'));
  };
  response.once('close', onClose);
  try {
    const { target, answer, attempt } = await firstAnswer(
      plan,
      request,
      signal,
      record.requestId,
      attempts,
    );
    const reported = answer.inputTokens;
    const inputTokens = reported ?? countInputTokens(request);
    record.usage = { inputTokens, outputTokens: 0 };
    record.costEstimated = reported === undefined;
    const price = target.deployment.price;
    const cost = price
      ? costOfUsage(record.usage, price, { estimated: record.costEstimated })
      : undefined;
    if (cost && cost.unpriced.length === 0) record.costUsd = cost.costUsd;
    attempt.usage = record.usage;
    if (record.costUsd !== undefined) attempt.costUsd = record.costUsd;
    record.model = target.model.name;
    record.provider = target.deployment.provider;
    if (attempts.length > 1)
      record.route += `; attempts: ${attempts.map((entry) => `${entry.key} ${entry.errorCode ?? 'ok'}`).join(', ')}`;
    response.setHeader('x-switchyard-model', target.model.name);
    response.setHeader('x-switchyard-provider', target.deployment.provider);
    response.setHeader('x-switchyard-cost-usd', formatCost(record));
    response.setHeader(
      'x-switchyard-route',
      record.route.replace(/[^\x20-\x7e]/g, '?').slice(0, 1024),
    );
    record.status = 200;
    sendJson(
      response,
      200,
      encodeEmbeddingsResponse(answer, request, target.model.name, inputTokens),
    );
  } finally {
    response.removeListener('close', onClose);
    reservation?.settle(record.costUsd ?? 0, record.usage?.inputTokens ?? 0);
  }
}

async function firstAnswer(
  plan: EmbeddingTarget[],
  request: EmbeddingRequest,
  signal: Cancel,
  requestId: string,
  attempts: AttemptRecord[],
): Promise<{ target: EmbeddingTarget; answer: EmbeddingResponse; attempt: AttemptRecord }> {
  let last: GatewayError | undefined;
  for (const target of plan) {
    const attempt: AttemptRecord = {
      key: target.key,
      provider: target.deployment.provider,
      model: target.model.name,
      upstreamModel: target.deployment.upstreamModel,
      startedAtWall: Date.now(),
      startedAt: performance.now(),
    };
    attempts.push(attempt);
    try {
      const answer = await target.adapter.embed!(request, {
        upstreamModel: target.deployment.upstreamModel,
        signal,
        requestId,
      });
      attempt.endedAt = attempt.firstTokenAt = performance.now();
      attempt.status = 200;
      return { target, answer, attempt };
    } catch (thrown) {
      const error = toGatewayError(thrown);
      attempt.endedAt = performance.now();
      attempt.status = error.upstreamStatus ?? error.status;
      attempt.errorCode = error.code;
      last = error;
      if (!error.retryable || signal.aborted) break;
      attempt.endReason = `failover: ${error.code}`;
    }
  }
  throw last ?? new GatewayError('internal_error', 'No embedding deployment was tried.');
}

/** What admission reads of a request (allowed models, estimated tokens): the inputs as prompts, no output. */
function admissionView(request: EmbeddingRequest): CompletionRequest {
  const prompt = request.input.map((input) =>
    typeof input === 'string' ? input : 'x'.repeat(input.length * 4),
  );
  return { kind: 'completion', model: request.model, prompt, maxTokens: 0, stream: false };
}

/** Input tokens when the provider reported none: the tokenizer on texts, one per token id. */
function countInputTokens(request: EmbeddingRequest): number {
  const characters = request.input.reduce(
    (sum, input) => sum + (typeof input === 'string' ? input.length : 0),
    0,
  );
  const counter = new TokenCounter(characters);
  return request.input.reduce(
    (sum, input) => sum + (typeof input === 'string' ? counter.count(input) : input.length),
    0,
  );
}
