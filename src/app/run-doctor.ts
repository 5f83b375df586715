import type { GatewayConfig } from '../config/gateway-config.js';
import { Cancel } from '../core/cancel.js';
import { toGatewayError } from '../core/errors.js';
import type { ChatRequest } from '../core/request.js';
import { startSimulator } from '../sim/start-simulator.js';
import { createProviderAdapters } from './create-adapters.js';

/** One deployment's check: a real 1-token request. */
export interface DoctorRow {
  model: string;
  provider: string;
  upstreamModel: string;
  /** `ok`, or the error code the call ended with. */
  status: string;
  /** Upstream HTTP status when the call failed with one. */
  httpStatus: number | null;
  latencyMs: number;
  /** Where the deployment's price comes from (the catalog's source), or why there is none. */
  priceSource: string;
  detail: string | null;
}

export interface DoctorOptions {
  /** Per-call deadline (default 30 s). */
  timeoutMs?: number;
}

/**
 * `switchyard doctor`: sends one chat request with `max_tokens: 1` to every deployment of every
 * configured chat model, one after another, and reports status, latency and price source. These
 * are real upstream calls (a few tokens each), made only when the operator asks.
 */
export async function runDoctorChecks(
  config: GatewayConfig,
  options: DoctorOptions = {},
): Promise<DoctorRow[]> {
  const needsSimulator = [...config.providers.values()].some(
    (provider) => provider.embeddedSimulator,
  );
  const simulator = needsSimulator
    ? await startSimulator({ host: '127.0.0.1', port: 0, timeScale: config.simulator.timeScale })
    : undefined;
  const adapters = createProviderAdapters(config, simulator);
  const rows: DoctorRow[] = [];
  try {
    for (const model of config.models.values()) {
      for (const deployment of model.deployments) {
        const adapter = adapters.get(deployment.provider)!;
        const request: ChatRequest = {
          kind: 'chat',
          model: model.name,
          messages: [
            { role: 'user', content: [{ type: 'text', text: 'Reply with one word: ok' }] },
          ],
          maxTokens: 1,
          stream: false,
        };
        const signal = new Cancel();
        const timer = setTimeout(
          () => signal.abort(new Error('timeout')),
          options.timeoutMs ?? 30_000,
        );
        const started = performance.now();
        let status = 'ok';
        let httpStatus: number | null = null;
        let detail: string | null = null;
        try {
          const answer = await adapter.chat(request, {
            upstreamModel: deployment.upstreamModel,
            signal,
            requestId: `doctor-${rows.length + 1}`,
          });
          const usage = answer.usage;
          detail = usage
            ? `${usage.inputTokens} in / ${usage.outputTokens} out`
            : 'no usage reported';
        } catch (thrown) {
          const error = signal.aborted
            ? toGatewayError(new Error('no answer within the timeout'))
            : toGatewayError(thrown);
          status = signal.aborted ? 'timeout' : error.code;
          httpStatus = error.upstreamStatus ?? null;
          detail = error.message.slice(0, 160);
        } finally {
          clearTimeout(timer);
        }
        rows.push({
          model: model.name,
          provider: deployment.provider,
          upstreamModel: deployment.upstreamModel,
          status,
          httpStatus,
          latencyMs: Math.round(performance.now() - started),
          priceSource:
            deployment.price?.source ?? 'none: the catalog has no price (cost reported as unknown)',
          detail,
        });
      }
    }
  } finally {
    await Promise.all([...adapters.values()].map((adapter) => adapter.close()));
    await simulator?.close();
  }
  return rows;
}
