import type { IncomingMessage, ServerResponse } from 'node:http';
import { paceStream, type StreamInterruption } from './pace-stream.js';
import type { SimFaultKind } from './parse-directives.js';
import { breakJson } from './plan-response.js';
import type {
  PreparedRequest,
  SimAnswer,
  SimAnswerEncoder,
  SimHttpError,
  SimUsage,
} from './prepared-request.js';
import { servePromptCache } from './prompt-cache.js';
import { promptCacheOf, type SimOutcome, type SimProviderSpec } from './sim-types.js';
import type { SimulatorState } from './simulator-state.js';
import { faultError, unauthorized } from './wire-errors.js';

/** Writes an error answer (JSON body in the wire's shape). */
export function writeError(
  response: ServerResponse,
  error: SimHttpError,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(error.body);
  response.writeHead(error.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...headers,
    ...error.headers,
  });
  response.end(body);
}

/** The fault for this request: a matching directive first, else the model's random rates. */
function chooseFault(
  state: SimulatorState,
  provider: SimProviderSpec,
  prepared: PreparedRequest,
): SimFaultKind | undefined {
  for (const directive of prepared.directives.faults) {
    if (
      directive.target !== undefined &&
      directive.target !== provider.id &&
      directive.target !== prepared.model.name
    )
      continue;
    if (directive.times !== undefined) {
      const key = `${provider.id}\n${prepared.seed}\n${directive.kind}`;
      const count = state.faultCounters.get(key) ?? 0;
      if (count >= directive.times) continue;
      state.faultCounters.set(key, count + 1);
    }
    return directive.kind;
  }
  const rates = prepared.model.faults;
  if (rates === undefined) return undefined;
  const roll = state.random();
  let threshold = 0;
  const table: Array<[number | undefined, SimFaultKind]> = [
    [rates.rateLimited, '429'],
    [rates.serverError, '500'],
    [rates.unavailable, provider.wire === 'anthropic' ? '529' : '503'],
    [rates.reset, 'reset'],
    [rates.cut, 'cut'],
    [rates.hang, 'hang'],
  ];
  for (const [rate, kind] of table) {
    threshold += rate ?? 0;
    if (roll < threshold) return kind;
  }
  const jsonAnswer =
    prepared.jsonMode || prepared.choices.some((choice) => choice.toolCall !== undefined);
  if (jsonAnswer && (rates.malformedJson ?? 0) > 0 && state.random() < (rates.malformedJson ?? 0))
    return 'malformed';
  return undefined;
}

function usageFor(
  state: SimulatorState,
  provider: SimProviderSpec,
  prepared: PreparedRequest,
  answer: Pick<SimAnswer, 'choices'>,
): SimUsage {
  const {
    cachedTokens,
    cacheWriteTokens,
    cacheWrite1hTokens = 0,
  } = servePromptCache(
    state.promptCache,
    `${provider.id}\n${prepared.model.name}`,
    prepared.prefixes,
    promptCacheOf(provider),
  );
  let completionTokens = 0;
  let reasoningTokens = 0;
  for (const choice of answer.choices) {
    completionTokens += choice.completionTokens;
    reasoningTokens += choice.reasoning.length;
  }
  return {
    promptTokens: prepared.promptTokens,
    completionTokens,
    reasoningTokens,
    cachedTokens,
    cacheWriteTokens,
    cacheWrite1hTokens,
  };
}

/**
 * Answers one validated generation request: applies faults, computes usage (with the simulated
 * prompt cache), then writes JSON after the simulated generation time, or a paced SSE stream.
 */
export function serveGeneration(
  state: SimulatorState,
  provider: SimProviderSpec,
  prepared: PreparedRequest,
  encoder: SimAnswerEncoder,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const model = prepared.model;
  state.stats.request(provider.id, model.name, prepared.stream);
  state.stats.started();
  let settled = false;
  let finalOutcome: SimOutcome = 'ok';
  let timer: NodeJS.Timeout | undefined;
  const settle = (outcome: SimOutcome): void => {
    if (settled) return;
    settled = true;
    state.stats.outcome(provider.id, model.name, outcome);
  };
  response.once('close', () => {
    if (timer !== undefined) clearTimeout(timer);
    state.stats.ended();
    settle(response.writableFinished ? finalOutcome : 'client_closed');
  });
  const headers: Record<string, string> = {
    [provider.wire === 'anthropic' ? 'request-id' : 'x-request-id']: state.nextId('req_'),
  };

  let fault = chooseFault(state, provider, prepared);
  if (!prepared.stream && fault === 'stall') fault = 'hang';
  if (!prepared.stream && fault === 'midstream') fault = '500';
  if (fault === '429' || fault === '500' || fault === '503' || fault === '529') {
    const kind = fault === '529' && provider.wire !== 'anthropic' ? '503' : fault;
    const error = faultError(provider.wire, kind, model.retryAfterSeconds ?? 1);
    settle(error.outcome);
    writeError(response, error, headers);
    return;
  }
  if (fault === '401') {
    const error = unauthorized(provider.wire, true);
    settle(error.outcome);
    writeError(response, error, headers);
    return;
  }
  if (fault === 'reset') {
    settle('reset');
    request.socket.destroy();
    return;
  }
  if (fault === 'hang') {
    settle('hang');
    return;
  }

  let choices = prepared.choices;
  if (
    fault === 'malformed' &&
    (prepared.jsonMode || choices.some((choice) => choice.toolCall !== undefined))
  ) {
    choices = breakJson(choices, prepared.jsonMode);
    finalOutcome = 'malformed';
  }
  const answer: SimAnswer = {
    prepared,
    choices,
    id: state.nextId(encoder.idPrefix),
    created: Math.floor(Date.now() / 1000),
    usage: usageFor(state, provider, prepared, { choices }),
    flavor: provider.flavor ?? 'generic',
  };
  const directives = prepared.directives;
  const ttftMs = directives.ttftMs ?? model.ttftMs * state.timeScale;
  const intervalMs =
    directives.tokensPerSecond !== undefined
      ? 1000 / directives.tokensPerSecond
      : model.tokensPerSecond > 0
        ? (1000 * state.timeScale) / model.tokensPerSecond
        : 0;

  if (prepared.stream) {
    const events = encoder.stream(answer);
    let interruption: StreamInterruption | undefined;
    if (fault === 'cut' || fault === 'stall' || fault === 'midstream') {
      const tokenEvents = events.filter((event) => event.tokens > 0).length;
      interruption = {
        kind: fault,
        afterTokenEvents: Math.max(1, Math.min(3, tokenEvents - 1)),
        errorText: encoder.streamError(),
      };
      if (fault === 'midstream') finalOutcome = 'stream_error';
      else settle(fault);
    }
    paceStream(response, events, { ttftMs, intervalMs }, headers, interruption);
    return;
  }

  const body = encoder.json(answer);
  const send = (): void => {
    timer = undefined;
    if (response.destroyed) return;
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...headers,
    });
    if (fault === 'cut') {
      settle('cut');
      response.write(body.slice(0, Math.floor(body.length / 2)), () => response.destroy());
    } else response.end(body);
  };
  let longest = 0;
  for (const choice of choices) longest = Math.max(longest, choice.completionTokens);
  const delay = ttftMs + Math.max(0, longest - 1) * intervalMs;
  if (delay <= 0) send();
  else timer = setTimeout(send, delay);
}
