import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  CreateKeyInput,
  KeyLimits,
  KeyStore,
  SpendGuard,
  VirtualKey,
} from '../keys/key-types.js';
import { KeyInputError } from '../keys/key-input.js';
import type { KeyChange } from '../keys/key-directory.js';
import { GatewayError, toStorageError } from '../core/errors.js';
import type { DeploymentBreakers } from '../execution/deployment-breakers.js';
import { AdminAuth } from './admin-auth.js';
import { readJsonBody } from './read-body.js';
import { sendJson } from './respond.js';

export interface AdminApiOptions {
  /** The admin token; undefined disables the admin API. */
  token: string | undefined;
  /** The token check to share (the dashboard's, which a reload updates); default: one made from `token`. */
  auth?: AdminAuth;
  store: KeyStore | undefined;
  guard?: SpendGuard;
  /** Called after a key was created or revoked, so the hot-path lookup (of every replica) sees it at once. */
  onKeysChanged?: (change: KeyChange) => Promise<void>;
  /** Breakers and cooldowns per configured deployment, for `GET /admin/breakers`. */
  resilience?: { breakers: DeploymentBreakers; keys: readonly string[] };
  /** `POST /admin/reload`: re-read the config (validated first; the running one stays on error). */
  reload?: () => Promise<{ ok: true; changed: string[] } | { ok: false; error: string }>;
  /** The read-only dashboard APIs (`GET /admin/usage`, `/admin/latency`, `/admin/requests`…): true when it answered. */
  stats?: (request: IncomingMessage, response: ServerResponse, path: string) => Promise<boolean>;
}

const LIMIT_FIELDS: Record<string, keyof KeyLimits> = {
  requests_per_minute: 'requestsPerMinute',
  tokens_per_minute: 'tokensPerMinute',
  daily_budget_usd: 'dailyBudgetUsd',
  monthly_budget_usd: 'monthlyBudgetUsd',
  total_budget_usd: 'totalBudgetUsd',
};

/**
 * The admin JSON API (`/admin/…`), behind `Authorization: Bearer <admin token>`:
 * `POST /admin/keys`, `GET /admin/keys`, `GET /admin/keys/{id}`, `DELETE /admin/keys/{id}`,
 * `GET /admin/breakers` (breakers and cooldowns per deployment).
 * Key secrets appear once, in the creation answer; hashes never.
 */
export function createAdminApi(
  options: AdminApiOptions,
): (request: IncomingMessage, response: ServerResponse, path: string) => Promise<void> {
  const auth = options.auth ?? new AdminAuth(options.token);
  return (request, response, path) =>
    serve(request, response, path).catch((error: unknown) => {
      // An unreachable key store (PostgreSQL or SQLite) is a retryable 503, not a 500 with a stack trace.
      throw error instanceof KeyInputError
        ? new GatewayError('invalid_request', error.message)
        : toStorageError(error, 'The key store');
    });

  async function serve(
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
  ): Promise<void> {
    if (!auth.enabled || (!options.store && !options.resilience)) {
      throw new GatewayError(
        'not_found',
        'The admin API is disabled: set admin.token_env in the config to enable it.',
      );
    }
    if (!auth.allows(request.headers, request.method ?? 'GET')) {
      throw new GatewayError(
        'unauthorized',
        'The admin API needs "Authorization: Bearer <admin token>".',
      );
    }
    if (path === '/admin/reload' && options.reload) {
      if ((request.method ?? 'GET') !== 'POST') {
        response.setHeader('allow', 'POST');
        throw new GatewayError(
          'method_not_allowed',
          `/admin/reload accepts POST, not ${request.method}.`,
        );
      }
      const result = await options.reload();
      if (!result.ok)
        throw new GatewayError(
          'invalid_request',
          `The config was not reloaded (the running one stays): ${result.error}`,
        );
      sendJson(response, 200, { reloaded: true, changed: result.changed });
      return;
    }
    if (options.stats && (await options.stats(request, response, path))) return;
    if (path === '/admin/breakers' && options.resilience) {
      sendJson(
        response,
        200,
        describeBreakers(options.resilience.breakers, options.resilience.keys),
      );
      return;
    }
    if (!options.store)
      throw new GatewayError('not_found', 'The key admin API needs the ledger (ledger.enabled).');
    const store = options.store;
    const method = request.method ?? 'GET';
    if (path === '/admin/keys') {
      if (method === 'GET') {
        const keys = await store.list();
        sendJson(response, 200, {
          object: 'list',
          data: await Promise.all(keys.map((key) => describe(key, options.guard))),
        });
        return;
      }
      if (method === 'POST') {
        const input = parseCreateKey(
          await readJsonBody(request, { limitBytes: 64 * 1024, maxDepth: 16 }),
        );
        const { key, secret } = await store.create(input).catch((error: unknown) => {
          throw error instanceof KeyInputError
            ? new GatewayError('invalid_request', error.message)
            : error;
        });
        await options.onKeysChanged?.({ type: 'created', key });
        sendJson(response, 201, { ...(await describe(key, options.guard)), key: secret });
        return;
      }
      response.setHeader('allow', 'GET, POST');
      throw new GatewayError(
        'method_not_allowed',
        `/admin/keys accepts GET and POST, not ${method}.`,
      );
    }
    const match = /^\/admin\/keys\/([A-Za-z0-9_-]{1,64})$/.exec(path);
    if (match) {
      const id = match[1]!;
      if (method === 'GET') {
        const key = await store.get(id);
        if (!key) throw new GatewayError('not_found', `No key with id "${id}".`);
        sendJson(response, 200, await describe(key, options.guard));
        return;
      }
      if (method === 'DELETE') {
        if (!(await store.revoke(id)))
          throw new GatewayError('not_found', `No key with id "${id}".`);
        await options.onKeysChanged?.({ type: 'revoked', id });
        sendJson(response, 200, { id, revoked: true });
        return;
      }
      response.setHeader('allow', 'GET, DELETE');
      throw new GatewayError(
        'method_not_allowed',
        `/admin/keys/{id} accepts GET and DELETE, not ${method}.`,
      );
    }
    throw new GatewayError('not_found', `No admin endpoint ${method} ${path}.`);
  }
}

/** `GET /admin/breakers`: every configured deployment's breaker and cooldown. */
function describeBreakers(breakers: DeploymentBreakers, keys: readonly string[]): unknown {
  const iso = (epoch: number | null): string | null =>
    epoch === null ? null : new Date(epoch).toISOString();
  return {
    object: 'list',
    data: breakers.snapshot(Date.now(), keys).map((entry) => ({
      deployment: entry.key,
      state: entry.state,
      available: entry.available,
      consecutive_failures: entry.consecutiveFailures,
      window_requests: entry.windowRequests,
      window_failures: entry.windowFailures,
      open_until: iso(entry.openUntil),
      cooldown_until: iso(entry.cooldownUntil),
      cooldown_reason: entry.cooldownReason,
      opened: entry.opened,
      last_error: entry.lastError,
    })),
  };
}

/** A key as the admin API shows it: never the hash, never the secret. */
async function describe(
  key: VirtualKey,
  guard: SpendGuard | undefined,
): Promise<Record<string, unknown>> {
  const limits = Object.fromEntries(
    Object.entries(LIMIT_FIELDS).flatMap(([wire, field]) =>
      key.limits[field] === undefined ? [] : [[wire, key.limits[field]]],
    ),
  );
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    created_at: new Date(key.createdAt).toISOString(),
    revoked_at: key.revokedAt === undefined ? null : new Date(key.revokedAt).toISOString(),
    allowed_models: key.allowedModels ?? null,
    limits,
    ...(guard ? { usage: await guard.usage(key.id, Date.now()) } : {}),
  };
}

export function parseCreateKey(body: unknown): CreateKeyInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new GatewayError('invalid_request', 'The body must be a JSON object.');
  const fields = body as Record<string, unknown>;
  if (typeof fields.name !== 'string' || fields.name.trim() === '' || fields.name.length > 100) {
    throw new GatewayError(
      'invalid_request',
      '`name` must be a non-empty string of at most 100 characters.',
      { param: 'name' },
    );
  }
  const input: CreateKeyInput = { name: fields.name.trim() };
  if (fields.allowed_models !== undefined && fields.allowed_models !== null) {
    if (
      !Array.isArray(fields.allowed_models) ||
      fields.allowed_models.length === 0 ||
      !fields.allowed_models.every((model) => typeof model === 'string' && model !== '')
    ) {
      throw new GatewayError(
        'invalid_request',
        '`allowed_models` must be a non-empty array of model names.',
        { param: 'allowed_models' },
      );
    }
    input.allowedModels = fields.allowed_models as string[];
  }
  if (fields.limits !== undefined && fields.limits !== null) {
    if (typeof fields.limits !== 'object' || Array.isArray(fields.limits))
      throw new GatewayError('invalid_request', '`limits` must be an object.', { param: 'limits' });
    const limits: KeyLimits = {};
    for (const [wire, value] of Object.entries(fields.limits as Record<string, unknown>)) {
      // Own keys only: "constructor" or "__proto__" must not find Object.prototype's members.
      const field = Object.hasOwn(LIMIT_FIELDS, wire) ? LIMIT_FIELDS[wire] : undefined;
      if (!field)
        throw new GatewayError(
          'invalid_request',
          `Unknown limit "${wire}"; known: ${Object.keys(LIMIT_FIELDS).join(', ')}.`,
          { param: `limits.${wire}` },
        );
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
        throw new GatewayError('invalid_request', `\`limits.${wire}\` must be a positive number.`, {
          param: `limits.${wire}`,
        });
      }
      limits[field] = value;
    }
    input.limits = limits;
  }
  return input;
}
