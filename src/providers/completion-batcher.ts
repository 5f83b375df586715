import { GatewayError } from '../core/errors.js';
import { Cancel } from '../core/cancel.js';
import type { CallContext, ProviderAdapter } from '../core/provider.js';
import type { CompletionRequest } from '../core/request.js';
import type { ModelResponse, Usage } from '../core/response.js';
import { stableStringify } from '../core/stable-stringify.js';

export interface BatchWindow {
  /** How long the first request of a batch waits for others, ms. */
  windowMs: number;
  /** Most prompts in one upstream call; a full batch goes at once. */
  maxPrompts: number;
}

interface Member {
  request: CompletionRequest;
  context: CallContext;
  resolve: (response: ModelResponse) => void;
  reject: (error: unknown) => void;
  settled: boolean;
}

interface Batch {
  adapter: ProviderAdapter;
  upstreamModel: string;
  members: Member[];
  timer?: NodeJS.Timeout;
}

/** Fields that may differ between requests of one batch (everything else must be equal). */
const PER_REQUEST_FIELDS = new Set(['prompt', 'model', 'user', 'stream', 'streamUsage']);

/**
 * Micro-batching of small `/v1/completions` calls: single-prompt, non-streamed requests to the
 * same deployment with the same parameters that arrive within `windowMs` of the first go
 * upstream as one call with a prompt array (up to `maxPrompts`), and are split back by choice
 * index. Usage is shared out: input tokens in proportion to each prompt's length, output tokens
 * to each answer's length (largest remainder, so the shares add up to what the upstream billed).
 *
 * It sits at the adapter call, under the executor: each request's attempt on a batched
 * deployment waits for its batch; a failed batch fails that attempt of every member, and each
 * member's executor then fails over (or not) on its own. A member whose client leaves is
 * answered at once with `client_closed`; the call is aborted only when every member left.
 */
export class CompletionBatcher {
  private readonly pending = new Map<string, Batch>();
  /** Upstream calls made and prompts they carried (for benchmarks and tests). */
  readonly stats = { calls: 0, prompts: 0 };

  /** `windows` by `providerId/upstreamModel`. */
  constructor(private readonly windows: Map<string, BatchWindow>) {}

  /** The completions call of the batching middleware (batch-completions.ts): batches where configured, else calls through. */
  call(
    adapter: ProviderAdapter,
    request: CompletionRequest,
    context: CallContext,
  ): Promise<ModelResponse> {
    const complete = adapter.complete?.bind(adapter);
    if (!complete)
      throw new GatewayError(
        'unsupported',
        `Provider "${adapter.id}" has no /completions endpoint.`,
        { param: 'model' },
      );
    const window = this.windows.get(`${adapter.id}/${context.upstreamModel}`);
    if (
      !window ||
      request.stream ||
      request.prompt.length !== 1 ||
      (request.n ?? 1) !== 1 ||
      request.echo === true
    ) {
      this.count(1);
      return complete(request, context);
    }
    const groupKey = `${adapter.id}\0${context.upstreamModel}\0${shapeOf(request)}`;
    return new Promise((resolve, reject) => {
      const member: Member = { request, context, resolve, reject, settled: false };
      let batch = this.pending.get(groupKey);
      if (!batch) {
        batch = { adapter, upstreamModel: context.upstreamModel, members: [] };
        this.pending.set(groupKey, batch);
        const opened = batch;
        batch.timer = setTimeout(() => this.flush(groupKey, opened), window.windowMs);
      }
      batch.members.push(member);
      if (batch.members.length >= window.maxPrompts) this.flush(groupKey, batch);
    });
  }

  private count(prompts: number): void {
    this.stats.calls++;
    this.stats.prompts += prompts;
  }

  private flush(groupKey: string, batch: Batch): void {
    if (this.pending.get(groupKey) === batch) this.pending.delete(groupKey);
    clearTimeout(batch.timer);
    const members = batch.members.filter((member) => !member.context.signal.aborted);
    for (const member of batch.members)
      if (member.context.signal.aborted)
        settle(member, undefined, member.context.signal.reason ?? closed());
    if (members.length === 0) return;
    if (members.length === 1) {
      const only = members[0]!;
      this.count(1);
      batch.adapter.complete!(only.request, only.context).then(
        (response) => settle(only, response),
        (error: unknown) => settle(only, undefined, error),
      );
      return;
    }
    void this.callBatch(batch, members);
  }

  private async callBatch(batch: Batch, members: Member[]): Promise<void> {
    const controller = new Cancel();
    let remaining = members.length;
    const detach: Array<() => void> = [];
    for (const member of members) {
      const leave = (): void => {
        settle(member, undefined, member.context.signal.reason ?? closed());
        if (--remaining === 0) controller.abort(closed());
      };
      member.context.signal.addEventListener('abort', leave, { once: true });
      detach.push(() => member.context.signal.removeEventListener('abort', leave));
    }
    const first = members[0]!;
    const combined: CompletionRequest = {
      ...first.request,
      prompt: members.map((member) => member.request.prompt[0]!),
    };
    this.count(members.length);
    try {
      const response = await batch.adapter.complete!(combined, {
        upstreamModel: batch.upstreamModel,
        signal: controller.signal,
        requestId: first.context.requestId,
      });
      const shares = splitResponse(
        response,
        members.map((member) => member.request),
      );
      members.forEach((member, index) => settle(member, shares[index]));
    } catch (error) {
      for (const member of members) settle(member, undefined, error);
    } finally {
      for (const undo of detach) undo();
    }
  }
}

function settle(member: Member, response: ModelResponse | undefined, error?: unknown): void {
  if (member.settled) return;
  member.settled = true;
  if (response) member.resolve(response);
  else member.reject(error);
}

function closed(): GatewayError {
  return new GatewayError('client_closed', 'The client closed the connection.');
}

/** The request without its per-request fields: requests batch together only when equal here. */
function shapeOf(request: CompletionRequest): string {
  const shape: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(request))
    if (!PER_REQUEST_FIELDS.has(field)) shape[field] = value;
  return stableStringify(shape);
}

/** One response per member, from the choice at its index, with its share of the usage. */
export function splitResponse(
  response: ModelResponse,
  requests: CompletionRequest[],
): ModelResponse[] {
  const choices = requests.map((_, index) =>
    response.choices.find((choice) => choice.index === index),
  );
  if (choices.some((choice) => choice === undefined)) {
    throw new GatewayError(
      'upstream_bad_response',
      `The upstream answered a batch of ${requests.length} prompts with ${response.choices.length} choices.`,
    );
  }
  const inputWeights = requests.map(
    (request) => request.prompt[0]!.length + (request.suffix?.length ?? 0) + 1,
  );
  const outputWeights = choices.map((choice) => choice!.text.length + 1);
  const usage = response.usage;
  const inputShares = usage ? shareOut(usage.inputTokens, inputWeights) : [];
  const outputShares = usage ? shareOut(usage.outputTokens, outputWeights) : [];
  const cachedShares =
    usage?.cachedInputTokens === undefined
      ? undefined
      : shareOut(usage.cachedInputTokens, inputWeights);
  const reasoningShares =
    usage?.reasoningTokens === undefined
      ? undefined
      : shareOut(usage.reasoningTokens, outputWeights);
  return choices.map((choice, index) => {
    const part: ModelResponse = {
      id: response.id,
      model: response.model,
      created: response.created,
      choices: [{ ...choice!, index: 0 }],
    };
    if (response.systemFingerprint !== undefined)
      part.systemFingerprint = response.systemFingerprint;
    if (usage) {
      const share: Usage = { inputTokens: inputShares[index]!, outputTokens: outputShares[index]! };
      if (cachedShares) share.cachedInputTokens = cachedShares[index]!;
      if (reasoningShares) share.reasoningTokens = reasoningShares[index]!;
      part.usage = share;
    }
    return part;
  });
}

/** `total` split in proportion to `weights`, in whole numbers that add up to `total`. */
export function shareOut(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((weight) =>
    sum === 0 ? total / weights.length : (total * weight) / sum,
  );
  const shares = exact.map(Math.floor);
  let left = total - shares.reduce((a, b) => a + b, 0);
  const order = exact
    .map((value, index) => [value - Math.floor(value), index] as const)
    .sort((a, b) => b[0] - a[0]);
  for (const [, index] of order) {
    if (left <= 0) break;
    shares[index]!++;
    left--;
  }
  return shares;
}

/**
 * The batcher for the configured deployments (`batching.deployments`, keyed `provider/model`),
 * or undefined when none is configured (batching is off by default).
 */
export function createCompletionBatcher(
  deployments: Map<string, BatchWindow>,
  models: Iterable<{ name: string; deployments: { provider: string; upstreamModel: string }[] }>,
): CompletionBatcher | undefined {
  if (deployments.size === 0) return undefined;
  const windows = new Map<string, BatchWindow>();
  for (const model of models) {
    for (const deployment of model.deployments) {
      const window = deployments.get(`${deployment.provider}/${model.name}`);
      if (window) windows.set(`${deployment.provider}/${deployment.upstreamModel}`, window);
    }
  }
  return new CompletionBatcher(windows);
}
