import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '../core/errors.js';
import type { CanonicalRequest } from '../core/request.js';
import { deploymentKey } from '../core/route.js';
import { conversationKey, promptHash, RETRY_OF_HEADER } from './conversation-key.js';
import type {
  Arrival,
  FeedbackInput,
  FeedbackResult,
  LearningLoopOptions,
  PlannedRequest,
  SettledRequest,
} from './learning-types.js';
import { OutcomeRecorder } from './outcome-recorder.js';
import { RecentRequests, type RecentRequest } from './recent-requests.js';
import { structuredOutputEscalations } from './escalations.js';
import { SharedLearning } from './shared-learning.js';
import { trailingToolOutcome } from './tool-pass.js';

export type {
  Arrival,
  FeedbackInput,
  FeedbackResult,
  LearningLoopOptions,
  PlannedRequest,
  SettledRequest,
} from './learning-types.js';

/**
 * The learning loop: outcomes of answers — the client's feedback and the signals the gateway
 * sees itself — go to the ledger and into the quality model, and a failure raises a cascade
 * conversation one rung. docs/routing.md ("Learning from outcomes") lists the signals and rules.
 */
export class LearningLoop {
  readonly recent: RecentRequests;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  private readonly sharing: SharedLearning | undefined;
  private readonly outcomes: OutcomeRecorder;

  constructor(private readonly options: LearningLoopOptions) {
    this.recent = new RecentRequests(options.quality.settings.retryWindowMs);
    this.sharing = options.shared
      ? new SharedLearning(options.shared, options.rungs, options.quality.settings.sessionTtlMs)
      : undefined;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((message) => process.stderr.write(`[learning] ${message}\n`));
    this.outcomes = new OutcomeRecorder(
      options.quality,
      options.rungs,
      options.ledger,
      this.now,
      this.log,
    );
  }

  /** Rebuilds the quality model from the ledger, then keeps it fresh and shares cascade rungs. */
  async start(): Promise<void> {
    await this.rebuild();
    const refresh = this.options.quality.settings.refreshMs;
    if (this.options.ledger && refresh > 0) {
      this.timer = setInterval(() => void this.rebuild(), refresh);
      this.timer.unref();
    }
    if (this.sharing) this.unsubscribe = this.sharing.start(this.now);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    this.options.rungs.onChange = undefined;
  }

  /** A request this replica does not remember: another replica's, from the shared state (then remembered here). */
  private async sharedRequest(requestId: string): Promise<RecentRequest | undefined> {
    const entry = await this.sharing?.readRequest(requestId);
    if (entry !== undefined) this.recent.add(entry);
    return entry;
  }

  /** Reads every outcome within the history window back from the ledger (every replica gets the same model). */
  async rebuild(): Promise<void> {
    const ledger = this.options.ledger;
    if (!ledger) return;
    try {
      const rows = await ledger.outcomeEvidence(
        this.now() - this.options.quality.settings.historyMs,
      );
      this.options.quality.replaceAll(
        rows.map((row) => ({ ...row, key: deploymentKey(row.provider, row.model) })),
      );
    } catch (error) {
      this.log(
        `rebuilding the quality model from the ledger failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /**
   * When a request arrives: its conversation, and the signals its arrival carries about earlier
   * answers — an `x-switchyard-retry-of` header fails the answer it names; a tool result
   * reporting a failing run right after the model's tool call fails the conversation's previous
   * answer, one reporting a passing test or build run passes it (at a lower weight). A failure raises a cascade rung before this request is planned. The same prompt again
   * from the same key is only noted here (`repeatOf`): it counts as a retry when the request is
   * routed rather than answered from the cache (see `routing`). `session` is the request's
   * `sessionOf` (cache affinity's session), which the caller derives once per request.
   */
  async arrive(
    request: CanonicalRequest,
    headers: IncomingHttpHeaders,
    keyId: string | null,
    session: string | undefined,
  ): Promise<Arrival> {
    const now = this.now();
    const arrival: Arrival = {
      conversation: conversationKey(request, keyId, session),
      promptHash: promptHash(request, keyId),
    };
    // A conversation raised on another replica (or before this one started): its rung, read once.
    if (this.sharing && this.options.cascadeConfigured?.() === true)
      await this.sharing.readRungs(arrival.conversation, now);
    const retryOf = headers[RETRY_OF_HEADER];
    if (typeof retryOf === 'string' && retryOf !== '') {
      const earlier =
        this.recent.byRequestId(retryOf) ?? (await this.sharedRequest(retryOf.slice(0, 200)));
      if (earlier && earlier.keyId === keyId) {
        this.outcomes.apply(earlier, 'retry', 0, `retried (${RETRY_OF_HEADER} header)`, 'retry');
        arrival.retried = true;
      }
    } else {
      const earlier = this.recent.samePrompt(keyId, arrival.promptHash, now);
      if (earlier) arrival.repeatOf = earlier.requestId;
    }
    if (!arrival.retried && request.kind === 'chat') {
      // A test or build run the model's tool call started: its previous answer failed or passed.
      const run = trailingToolOutcome(request);
      const previous = run ? this.recent.lastOf(arrival.conversation, now) : undefined;
      if (run && previous)
        this.outcomes.apply(
          previous,
          'tool-result',
          run.passed ? 1 : 0,
          `tool result: ${run.excerpt}`,
          run.runner,
        );
    }
    return arrival;
  }

  /**
   * The request is about to be routed (not answered from the cache): a repeat of the same prompt
   * from the same key within the window is a retry, and the earlier answer failed.
   */
  routing(arrival: Arrival): void {
    if (arrival.repeatOf === undefined || arrival.retried) return;
    const earlier = this.recent.byRequestId(arrival.repeatOf);
    if (earlier === undefined || earlier.promptHash !== arrival.promptHash) return;
    this.outcomes.apply(
      earlier,
      'retry',
      0,
      'retried (the same prompt from the same key)',
      'retry',
    );
    arrival.retried = true;
  }

  /**
   * A request was planned: remembered at once (a retry may arrive before the settlement is
   * reported), attributed to the first planned deployment until it settles.
   */
  planned(planned: PlannedRequest): void {
    const entry: RecentRequest = {
      requestId: planned.requestId,
      keyId: planned.keyId,
      provider: planned.provider,
      model: planned.model,
      bucket: planned.bucket,
      conversation: planned.arrival.conversation,
      promptHash: planned.arrival.promptHash,
      at: this.now(),
      counted: new Map(),
      ...(planned.policy === undefined ? {} : { policy: planned.policy }),
      ...(planned.rung === undefined ? {} : { rung: planned.rung }),
    };
    this.recent.add(entry);
    this.sharing?.storeRequest(entry);
  }

  /** After a request settled: the deployment that answered, and the signals its own answer gave. */
  settle(settled: SettledRequest): void {
    const entry = this.recent.byRequestId(settled.requestId);
    if (entry === undefined || entry.promptHash !== settled.arrival.promptHash) return;
    if (settled.provider !== undefined && settled.model !== undefined) {
      const moved = entry.provider !== settled.provider || entry.model !== settled.model;
      entry.provider = settled.provider;
      entry.model = settled.model;
      // Another deployment answered (a failover): the shared copy names it too.
      if (moved) this.sharing?.storeRequest(entry);
    }
    for (const attempt of settled.attempts) {
      if (attempt.errorCode !== 'invalid_structured_output') continue;
      this.outcomes.record(
        { ...entry, provider: attempt.provider, model: attempt.model },
        'structured-output',
        0,
        'failed structured-output validation',
        'validator',
        false,
      );
    }
    const escalations = structuredOutputEscalations(entry, settled.attempts, this.now());
    for (const escalation of escalations) this.outcomes.storeEscalation(escalation);
    // The executor escalating away from a model that answered invalid JSON twice is a failure signal of the cascade too.
    if (escalations.length > 0) this.outcomes.raise(entry, 'structured-output');
    if (settled.errorCode === 'upstream_stream_interrupted')
      this.outcomes.apply(
        entry,
        'upstream-error',
        0,
        'upstream error after the answer began',
        'gateway',
      );
    // A request that got no answer has no outcome: a retry of it says nothing about a model.
    else if (settled.status !== 200) this.recent.forget(entry);
  }

  /** `POST /v1/feedback`: the caller must own the request (same key) or hold the admin token. */
  async feedback(
    input: FeedbackInput,
    caller: { keyId: string | null; admin: boolean },
  ): Promise<FeedbackResult> {
    let entry =
      this.recent.byRequestId(input.requestId) ?? (await this.sharedRequest(input.requestId));
    if (entry === undefined && this.options.ledger) {
      const found = await this.options.ledger.findRequest(
        input.requestId,
        this.now() - this.options.quality.settings.historyMs,
      );
      if (found?.model && found.provider && found.bucket)
        entry = {
          requestId: found.requestId,
          keyId: found.apiKeyId,
          provider: found.provider,
          model: found.model,
          bucket: found.bucket,
          conversation: '',
          promptHash: '',
          at: found.startedAt,
          counted: new Map(),
        };
    }
    if (entry === undefined)
      throw new GatewayError(
        'request_not_found',
        `No routed request "${input.requestId.slice(0, 100)}" within the feedback window (or its ledger row is not written yet: retry in a second).`,
        { param: 'request_id' },
      );
    if (!caller.admin && caller.keyId !== entry.keyId)
      throw new GatewayError(
        'feedback_forbidden',
        'That request was made with another API key: send feedback with the key that made it, or with the admin token.',
        { param: 'request_id' },
      );
    const rung = this.outcomes.apply(
      entry,
      'feedback',
      input.score,
      input.reason ?? null,
      input.source ?? null,
    );
    const posterior = this.options.quality.posterior(
      deploymentKey(entry.provider, entry.model),
      entry.bucket,
      0.5,
    );
    return {
      request_id: entry.requestId,
      model: entry.model,
      provider: entry.provider,
      bucket: entry.bucket,
      score: input.score,
      posterior: { mean: Math.round(posterior.mean * 1000) / 1000, evidence: posterior.evidence },
      ...(rung === undefined ? {} : { escalated_to_rung: rung + 1 }),
    };
  }
}
