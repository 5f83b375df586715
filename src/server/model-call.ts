import type { ServerResponse } from 'node:http';
import type { EncodeContext, StreamEncoder } from '../dialects/types.js';
import { GatewayError, toGatewayError } from '../spec/errors.js';
import { partBatches, type CallContext, type PartStream } from '../spec/provider.js';
import type { CanonicalRequest } from '../spec/request.js';
import type { ModelResponse, Usage } from '../spec/response.js';
import type { ModelEndpoint } from './endpoints.js';
import type { SpendGuard } from '../keys/key-types.js';
import { admit } from './admission.js';
import type { ClientIdentity } from './authenticate.js';
import type { ModelDirectory } from './model-directory.js';
import type { RequestRecord } from './request-record.js';
import { formatCost, settleCost } from './request-cost.js';
import { sendError, sendJson, SSE_HEADERS, writeText } from './respond.js';

/** Stream responses announce the cost as an HTTP trailer: it is known only at the end. */
const STREAM_HEADERS = { ...SSE_HEADERS, trailer: 'x-switchyard-cost-usd' };

function answerCharacters(answer: ModelResponse): number {
  let characters = 0;
  for (const choice of answer.choices) {
    characters += choice.text.length + (choice.reasoning?.length ?? 0);
    for (const call of choice.toolCalls) characters += call.arguments.length;
  }
  return characters;
}

/**
 * The request pipeline shared by every model endpoint:
 * decode → resolve target → upstream call (JSON or stream) → encode → client.
 * Fills `record` as it goes; the caller reports it when the response is done.
 */
export interface ModelCallServices {
  directory: ModelDirectory;
  guard?: SpendGuard;
}

export async function serveModelCall<R extends CanonicalRequest>(
  endpoint: ModelEndpoint<R>,
  body: unknown,
  services: ModelCallServices,
  identity: ClientIdentity,
  response: ServerResponse,
  record: RequestRecord,
): Promise<void> {
  const request = endpoint.decode(body);
  record.modelAsked = request.model;
  record.stream = request.stream;
  const target = services.directory.resolve(request.model);
  record.model = target.model.name;
  record.provider = target.deployment.provider;
  response.setHeader('x-switchyard-model', target.model.name);
  response.setHeader('x-switchyard-provider', target.deployment.provider);
  response.setHeader('x-switchyard-cache', 'none');
  const reservation = await admit(identity, request, target.model.name, target.deployment.price, services.guard);

  const controller = new AbortController();
  const onClose = (): void => {
    if (!response.writableFinished) controller.abort(new GatewayError('client_closed', 'The client closed the connection.'));
  };
  response.once('close', onClose);
  const context: CallContext = { upstreamModel: target.deployment.upstreamModel, signal: controller.signal, requestId: record.requestId };
  const encodeContext: EncodeContext = { model: target.model.name, requestId: record.requestId };
  record.upstream = { upstreamModel: target.deployment.upstreamModel, startedAtWall: Date.now(), startedAt: performance.now() };
  try {
    if (request.stream) {
      const parts = await endpoint.stream(target.adapter, request, context);
      const settle = (usage: Usage | undefined, answerCharacters: number): void => {
        settleCost(record, request, usage, target.deployment.price, answerCharacters);
        response.addTrailers({ 'x-switchyard-cost-usd': formatCost(record) });
      };
      await relayStream(parts, endpoint.createStreamEncoder(encodeContext, request), response, record, controller.signal, settle);
    } else {
      const answer = await endpoint.call(target.adapter, request, context);
      settleCost(record, request, answer.usage, target.deployment.price, answerCharacters(answer));
      response.setHeader('x-switchyard-cost-usd', formatCost(record));
      sendJson(response, 200, endpoint.encodeResponse(answer, encodeContext));
      record.status = 200;
    }
  } catch (error) {
    if (record.upstream && error instanceof GatewayError) record.upstream.failedStatus = error.upstreamStatus ?? error.status;
    throw error;
  } finally {
    response.removeListener('close', onClose);
    reservation?.settle(record.costUsd ?? 0, record.usage ? record.usage.inputTokens + record.usage.outputTokens : 0);
  }
}

/**
 * Relays a part stream as SSE, writing the encoded parts of each batch (what one upstream body
 * chunk carried) with one write as soon as it arrives (no buffering of the answer) and waiting
 * for the socket to drain under backpressure. An error after the headers went out becomes the
 * dialect's in-stream error event.
 */
async function relayStream(
  parts: PartStream,
  encoder: StreamEncoder,
  response: ServerResponse,
  record: RequestRecord,
  signal: AbortSignal,
  settle: (usage: Usage | undefined, answerCharacters: number) => void,
): Promise<void> {
  response.writeHead(200, STREAM_HEADERS);
  record.status = 200;
  let usage: Usage | undefined;
  let characters = 0;
  try {
    for await (const batch of partBatches(parts)) {
      let text = '';
      try {
        for (const part of batch) {
          if (part.type === 'usage') usage = part.usage;
          else if (part.type !== 'start') {
            if (record.firstTokenMs === undefined) record.firstTokenMs = performance.now() - record.startedAt;
            if (part.type === 'text-delta' || part.type === 'reasoning-delta') characters += part.text.length;
            else if (part.type === 'tool-call-delta') characters += part.argumentsDelta.length;
          }
          text += encoder.push(part);
        }
      } finally {
        // Also when encoding failed midway: what the earlier parts encoded goes out first.
        if (text !== '') {
          const drained = writeText(response, text, signal);
          if (drained !== undefined) await drained;
        }
      }
    }
    settle(usage, characters);
    if (!response.destroyed) response.end(encoder.end());
  } catch (thrown) {
    settle(usage, characters);
    const error = toGatewayError(thrown);
    if (error.code === 'client_closed' || signal.aborted) {
      record.errorCode = 'client_closed';
      response.destroy();
      return;
    }
    const interrupted = error.code.startsWith('upstream_') || error.code === 'context_length_exceeded'
      ? new GatewayError('upstream_stream_interrupted', `The upstream stream failed after it began: ${error.message}`, { provider: error.provider, cause: error })
      : error;
    record.errorCode = interrupted.code;
    if (!response.destroyed) response.end(encoder.error(interrupted));
  }
}

/** Sends a failure in the dialect's shape, unless the response already started. */
export function failModelCall(error: unknown, response: ServerResponse, dialect: 'openai' | 'anthropic', record: RequestRecord): void {
  const failure = toGatewayError(error);
  record.errorCode = failure.code;
  record.status = failure.status;
  if (failure.code === 'internal_error') console.error(`[${record.requestId}] internal error`, failure.cause ?? failure);
  if (response.headersSent || response.destroyed) {
    if (!response.writableEnded) response.destroy();
    return;
  }
  if (!response.hasHeader('x-switchyard-cost-usd')) response.setHeader('x-switchyard-cost-usd', '0');
  sendError(response, failure, dialect);
}
