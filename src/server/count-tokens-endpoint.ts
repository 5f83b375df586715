import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { Cancel } from '../core/cancel.js';
import { GatewayError, toGatewayError } from '../core/errors.js';
import type { ProviderAdapter } from '../core/provider.js';
import type { ChatRequest } from '../core/request.js';
import { decodeCountTokensRequest } from '../dialects/anthropic/index.js';
import { MESSAGES_FIELD_POLICY } from '../dialects/anthropic/messages-field-policy.js';
import { upstreamRefusals } from '../dialects/field-policy.js';
import type { Router } from '../core/route.js';
import { estimateUsage } from '../usage/cost/estimate-usage.js';
import { admit } from '../pipeline/admission/admission.js';
import type { ClientIdentity } from './authenticate.js';
import type { RequestRecord } from '../pipeline/request-record.js';
import { sendJson } from './respond.js';

export const COUNT_TOKENS_PATH = '/v1/messages/count_tokens';

/** How the count was made, sent as `x-switchyard-token-count`. */
export type TokenCountSource = 'upstream' | 'tokenizer';

/**
 * `POST /v1/messages/count_tokens` → `{ "input_tokens": N }`. The request is routed like a
 * Messages call (aliases, `auto` and its policies); when the deployment it would be served by is
 * an Anthropic one (its adapter can count), the upstream's own count is returned, else the
 * gateway's tokenizer count (gpt-tokenizer o200k_base) of the canonical request: system,
 * messages and tool definitions. No generation call is made; the ledger row costs 0 and carries
 * no token usage (a count is not spend). An upstream count that fails with a retryable error or a
 * 404 falls back to the tokenizer; any other upstream error is the client's answer.
 */
export async function serveCountTokens(
  body: unknown,
  headers: IncomingHttpHeaders,
  identity: ClientIdentity,
  router: Router,
  response: ServerResponse,
  record: RequestRecord,
): Promise<void> {
  const request = decodeCountTokensRequest(body, headers['anthropic-beta']);
  record.modelAsked = request.model;
  record.costUsd = 0;
  response.setHeader('x-switchyard-cost-usd', '0');
  // Planned as the Messages call would be: deployments whose wire refuses one of its fields last.
  const refusals = upstreamRefusals(MESSAGES_FIELD_POLICY, request);
  const plan = router.plan(request, {
    requestId: record.requestId,
    ...(refusals === undefined ? {} : { refusedFields: refusals }),
  });
  const target = plan.attempts[0]!;
  record.model = target.model.name;
  // The key's allowed models apply; there is nothing to reserve against its budget.
  await admit(identity, request, target.model.name, undefined, undefined);
  response.setHeader('x-switchyard-model', target.model.name);
  let inputTokens: number | undefined;
  let source: TokenCountSource = 'tokenizer';
  if (target.adapter.countTokens) {
    record.provider = target.deployment.provider;
    response.setHeader('x-switchyard-provider', target.deployment.provider);
    inputTokens = await upstreamCount(
      target.adapter.countTokens.bind(target.adapter),
      request,
      target.deployment.upstreamModel,
      response,
      record,
    );
    if (inputTokens !== undefined) source = 'upstream';
  }
  inputTokens ??= estimateUsage(request).usage.inputTokens;
  record.route = `count_tokens: ${source === 'upstream' ? `upstream ${target.key}` : `tokenizer o200k_base (${plan.summary})`}`;
  response.setHeader('x-switchyard-token-count', source);
  record.status = 200;
  sendJson(response, 200, { input_tokens: inputTokens });
}

type CountTokens = NonNullable<ProviderAdapter['countTokens']>;

async function upstreamCount(
  count: CountTokens,
  request: ChatRequest,
  upstreamModel: string,
  response: ServerResponse,
  record: RequestRecord,
): Promise<number | undefined> {
  const signal = new Cancel();
  const onClose = (): void => {
    if (!response.writableFinished)
      signal.abort(new GatewayError('client_closed', 'The client closed the connection.'));
  };
  response.once('close', onClose);
  try {
    return await count(request, { upstreamModel, signal, requestId: record.requestId });
  } catch (thrown) {
    const error = toGatewayError(thrown);
    if (error.code === 'client_closed' || !(error.retryable || error.upstreamStatus === 404))
      throw error;
    return undefined;
  } finally {
    response.removeListener('close', onClose);
  }
}
