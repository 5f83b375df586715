import type { ServerResponse } from 'node:http';
import type { CancelSignal } from '../core/cancel.js';
import { GatewayError, toGatewayError } from '../core/errors.js';
import type { StreamPart, Usage } from '../core/response.js';
import type { StreamEncoder } from '../dialects/types.js';
import { answerCharacters } from '../cache/response-parts.js';
import { MAX_TOKENS_CLAMPED_HEADER } from '../execution/clamp-output.js';
import type { CallResult, ModelCall } from '../pipeline/model-call.js';
import type { RequestRecord } from '../pipeline/request-record.js';
import { routeHeader } from '../pipeline/route/route-summary.js';
import { formatCost } from '../pipeline/settle/request-cost.js';
import {
  recordFailure,
  recordServed,
  settleFailure,
  settleOutcome,
} from '../pipeline/settle/settle-outcome.js';
import { SSE_HEADERS, sendJson, writeText } from './respond.js';

/** Stream responses announce the cost as an HTTP trailer: it is known only at the end. */
const STREAM_HEADERS = { ...SSE_HEADERS, trailer: 'x-switchyard-cost-usd' };

/**
 * The one HTTP writer of model answers, fresh, shared or stored alike: the `x-switchyard-*`
 * headers from what happened, then the answer as SSE when the client asked for a stream (its cost
 * as a trailer), else as JSON (its cost as a header). The cost is settled once, before the last
 * byte goes out. A failed call names its last attempt and is thrown for the caller to answer in
 * the dialect's shape.
 */
export async function writeAnswer(
  call: ModelCall,
  result: CallResult,
  response: ServerResponse,
): Promise<void> {
  const { request, record, endpoint } = call;
  const { outcome, answer } = result;
  if ('error' in answer) throw answer.error;
  const origin = outcome.origin!;
  recordServed(record, outcome);
  announce(call, response, origin.model, origin.provider, outcome.source === 'upstream');
  if (origin.maxTokensClamped !== undefined)
    response.setHeader(MAX_TOKENS_CLAMPED_HEADER, String(origin.maxTokensClamped));
  response.setHeader('x-switchyard-cache', record.cacheStatus ?? 'none');
  const encodeContext = { model: origin.model, requestId: record.requestId };
  if ('parts' in answer) {
    await relayStream(
      answer.parts,
      endpoint.createStreamEncoder(encodeContext, request),
      response,
      record,
      call.client.signal,
      (usage, characters) => {
        settleOutcome(record, request, outcome, usage, characters);
        response.addTrailers({ 'x-switchyard-cost-usd': formatCost(record) });
      },
    );
    return;
  }
  const whole = answer.response instanceof Promise ? await answer.response : answer.response;
  settleOutcome(record, request, outcome, whole.usage, answerCharacters(whole));
  response.setHeader('x-switchyard-cost-usd', formatCost(record));
  sendJson(response, 200, endpoint.encodeResponse(whole, encodeContext, request));
  record.status = 200;
}

/** A call that failed (or whose answer could not be written): its attempts' cost, the last attempt's names. */
export function writeFailure(call: ModelCall, response: ServerResponse): void {
  const { record } = call;
  const last = recordFailure(record);
  if (!last) return;
  settleFailure(record);
  if (!response.headersSent) announce(call, response, last.model, last.provider, true);
}

/** Who answered (or last tried), and the route with its attempts when this request routed. */
function announce(
  call: ModelCall,
  response: ServerResponse,
  model: string,
  provider: string,
  routed: boolean,
): void {
  response.setHeader('x-switchyard-model', model);
  response.setHeader('x-switchyard-provider', provider);
  if (routed && call.plan)
    response.setHeader(
      'x-switchyard-route',
      routeHeader(call.plan.summary, call.record.attempts ?? []),
    );
}

/**
 * Relays a part stream as SSE, writing the encoded parts of each batch (what one upstream body
 * chunk carried) with one write as soon as it arrives (no buffering of the answer) and waiting
 * for the socket to drain under backpressure. An error after the headers went out becomes the
 * dialect's in-stream error event.
 */
export async function relayStream(
  batches: AsyncIterable<readonly StreamPart[]>,
  encoder: StreamEncoder,
  response: ServerResponse,
  record: RequestRecord,
  signal: CancelSignal,
  settle: (usage: Usage | undefined, answerCharacters: number) => void,
): Promise<void> {
  response.writeHead(200, STREAM_HEADERS);
  record.status = 200;
  let usage: Usage | undefined;
  let characters = 0;
  try {
    for await (const batch of batches) {
      let text = '';
      try {
        for (const part of batch) {
          if (part.type === 'usage') usage = part.usage;
          else if (part.type !== 'start') {
            if (record.firstTokenMs === undefined)
              record.firstTokenMs = performance.now() - record.startedAt;
            if (part.type === 'text-delta' || part.type === 'reasoning-delta')
              characters += part.text.length;
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
    const interrupted =
      error.code.startsWith('upstream_') || error.code === 'context_length_exceeded'
        ? new GatewayError(
            'upstream_stream_interrupted',
            `The upstream stream failed after it began: ${error.message}`,
            { provider: error.provider, cause: error },
          )
        : error;
    record.errorCode = interrupted.code;
    if (!response.destroyed) response.end(encoder.error(interrupted));
  }
}
