import { readFileSync } from 'node:fs';
import { loadConfig } from '../config/load-config.js';
import { decodeChatRequest } from '../dialects/openai/index.js';
import { explainPlan, formatExplanation } from '../router/explain-plan.js';
import { createPolicyRouter } from '../app/create-policy-router.js';
import { GatewayError } from '../core/errors.js';
import type { ProviderAdapter, ProviderQuirks } from '../core/provider.js';
import { upstreamRefusals } from '../dialects/field-policy.js';
import { CHAT_FIELD_POLICY } from '../dialects/openai/chat-field-policy.js';

export interface RouteOptions {
  config?: string;
  explain: boolean;
  prompt?: string;
  /** A chat completion body (JSON); `-` = stdin. */
  file?: string;
  model?: string;
  latencyBudgetMs?: string;
  json?: boolean;
  /** Text of stdin, read by the caller when neither --prompt nor --file is given. */
  readStdin: () => string;
}

/** An adapter that never calls anything: planning needs the targets (wire, quirks), not a connection. */
function offlineAdapter(
  id: string,
  wire: ProviderAdapter['wire'],
  quirks: ProviderQuirks,
): ProviderAdapter {
  const refuse = (): Promise<never> =>
    Promise.reject(new Error('route --explain makes no upstream calls'));
  return { id, wire, quirks, chat: refuse, streamChat: refuse, close: () => Promise.resolve() };
}

/** `switchyard route --explain`: plans a request with the configured router and prints why. */
export function runRoute(options: RouteOptions): number {
  if (!options.explain) {
    process.stderr.write(
      'switchyard route needs --explain (it explains a routing decision without calling any provider).\n',
    );
    return 2;
  }
  const config = loadConfig(options.config === undefined ? {} : { path: options.config });
  let body: Record<string, unknown>;
  if (options.prompt !== undefined)
    body = {
      model: options.model ?? 'auto',
      messages: [{ role: 'user', content: options.prompt }],
    };
  else {
    const text =
      options.file === undefined || options.file === '-'
        ? options.readStdin()
        : readFileSync(options.file, 'utf8');
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      process.stderr.write(
        'The request body is not valid JSON (give a chat completion body, or use --prompt).\n',
      );
      return 2;
    }
    if (options.model !== undefined) body.model = options.model;
    body.model ??= 'auto';
  }
  const adapters = new Map<string, ProviderAdapter>(
    [...config.providers].map(([id, provider]) => [
      id,
      offlineAdapter(id, provider.settings.wire, provider.settings.quirks),
    ]),
  );
  const router = createPolicyRouter(config, adapters);
  let budget: number | undefined;
  if (options.latencyBudgetMs !== undefined) {
    budget = Number(options.latencyBudgetMs);
    if (!Number.isFinite(budget) || budget <= 0) {
      process.stderr.write('--latency-budget-ms must be a positive number.\n');
      return 2;
    }
  }
  try {
    const request = decodeChatRequest(body);
    const refusals = upstreamRefusals(CHAT_FIELD_POLICY, request);
    const explanation = explainPlan(
      router.plan(request, {
        explain: true,
        ...(budget === undefined ? {} : { latencyBudgetMs: budget }),
        ...(refusals === undefined ? {} : { refusedFields: refusals }),
      }),
    );
    process.stdout.write(
      options.json ? `${JSON.stringify(explanation, null, 2)}\n` : formatExplanation(explanation),
    );
    return 0;
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    process.stderr.write(`${error.code}: ${error.message}\n`);
    return 1;
  }
}
