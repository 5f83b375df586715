import type { IncomingHttpHeaders } from 'node:http';
import { Cancel } from '../../src/core/cancel.js';
import type { Price } from '../../src/core/deployment.js';
import type { PartStream, ProviderAdapter } from '../../src/core/provider.js';
import type { CanonicalRequest, ChatRequest } from '../../src/core/request.js';
import type { ModelResponse, StreamPart } from '../../src/core/response.js';
import type { RoutePlan, RouteTarget } from '../../src/core/route.js';
import type { KeyLimits, ReservationRequest, SpendGuard } from '../../src/keys/key-types.js';
import type { CallResult, ModelCall } from '../../src/pipeline/model-call.js';
import type { RequestRecord } from '../../src/pipeline/request-record.js';
import { openAIChatEndpoint } from '../../src/server/endpoints.js';

/** Helpers for the pipeline's stage tests: a call, targets over scripted adapters, a recording guard. */

export function chat(text = 'hi', extra: Partial<ChatRequest> = {}): ChatRequest {
  return {
    kind: 'chat',
    model: 'm',
    messages: [{ role: 'user', content: [{ type: 'text', text }] }],
    stream: false,
    ...extra,
  };
}

export function answer(text: string): ModelResponse {
  return {
    id: 'x',
    model: 'm',
    created: 1,
    choices: [{ index: 0, text, toolCalls: [], finishReason: 'stop' }],
    usage: { inputTokens: 10, outputTokens: 20 },
  };
}

export interface ModelCallOptions {
  request?: CanonicalRequest;
  headers?: IncomingHttpHeaders;
  keyId?: string | null;
  allowedModels?: string[];
  limits?: KeyLimits;
}

/** A call as the server makes it; `client` aborts the client's signal. */
export function modelCall(options: ModelCallOptions = {}): ModelCall & { leave: () => void } {
  const record: RequestRecord = {
    requestId: 'req-1',
    method: 'POST',
    path: '/v1/chat/completions',
    startedAt: performance.now(),
    startedAtWall: Date.now(),
    status: 0,
    stream: false,
  };
  const client = new Cancel();
  const keyId = options.keyId === undefined ? null : options.keyId;
  return {
    request: options.request ?? chat(),
    endpoint: openAIChatEndpoint as ModelCall['endpoint'],
    headers: options.headers ?? {},
    identity:
      keyId === null
        ? { keyId }
        : {
            keyId,
            key: {
              id: keyId,
              name: keyId,
              prefix: 'sy-test',
              hash: 'hash',
              createdAt: 0,
              limits: options.limits ?? {},
              ...(options.allowedModels ? { allowedModels: options.allowedModels } : {}),
            },
          },
    record,
    client: { signal: client },
    leave: () => client.abort(new Error('client left')),
  };
}

export interface ScriptedAdapter extends ProviderAdapter {
  calls: number;
}

/** An adapter that answers `text` (JSON or a three-part stream), or fails with `fail`. */
export function scriptedAdapter(id: string, text: string, fail?: Error): ScriptedAdapter {
  const adapter: ScriptedAdapter = {
    id,
    wire: 'openai-compatible',
    calls: 0,
    chat: async () => {
      adapter.calls += 1;
      if (fail) throw fail;
      return answer(text);
    },
    streamChat: async (): Promise<PartStream> => {
      adapter.calls += 1;
      if (fail) throw fail;
      return (async function* (): AsyncGenerator<StreamPart> {
        yield { type: 'start', id: 'x', model: 'm', created: 1 };
        yield { type: 'text-delta', index: 0, text };
        yield { type: 'finish', index: 0, finishReason: 'stop' };
        yield { type: 'usage', usage: { inputTokens: 10, outputTokens: 20 } };
      })();
    },
    close: async () => {},
  };
  return adapter;
}

export const PRICE: Price = { inputPerMillion: 1, outputPerMillion: 2, source: 'test' };

export function target(adapter: ProviderAdapter, model = 'm', price: Price = PRICE): RouteTarget {
  return {
    model: { name: model, deployments: [] },
    deployment: { provider: adapter.id, upstreamModel: `${adapter.id}-${model}`, price },
    adapter,
    key: `${adapter.id}/${model}`,
  };
}

export function plan(...targets: RouteTarget[]): RoutePlan {
  return { modelAsked: 'm', policy: 'direct', attempts: targets, candidates: [], summary: 'test' };
}

/** A spend guard that admits everything (or refuses with `refuse`) and records reservations and settlements. */
export function recordingGuard(refuse?: 'budget_exceeded'): SpendGuard & {
  reserved: ReservationRequest[];
  settled: Array<[number, number]>;
} {
  const reserved: ReservationRequest[] = [];
  const settled: Array<[number, number]> = [];
  return {
    reserved,
    settled,
    reserve: async (request) => {
      reserved.push(request);
      if (refuse) return { ok: false, reason: refuse, message: 'over budget' };
      return { ok: true, reservation: { settle: (usd, tokens) => settled.push([usd, tokens]) } };
    },
    usage: async () => ({
      dailyUsd: 0,
      monthlyUsd: 0,
      totalUsd: 0,
      requestsThisMinute: 0,
      tokensThisMinute: 0,
    }),
  };
}

/** Reads a result as the writer would (parts or the whole response), then finishes it. */
export async function consume(result: CallResult): Promise<string | Error> {
  const { answer: served } = result;
  try {
    if ('error' in served) return served.error as Error;
    if ('parts' in served) {
      let text = '';
      for await (const batch of served.parts)
        for (const part of batch) if (part.type === 'text-delta') text += part.text;
      return text;
    }
    return (await served.response).choices[0]?.text ?? '';
  } finally {
    await result.finish();
  }
}
