import {
  generateKeyId,
  generateSecret,
  hashSecret,
  nanoToUsd,
  PREFIX_LENGTH,
  usdToNano,
  validateCreateKeyInput,
} from './key-input.js';
import type { KeyLimits, VirtualKey } from './key-types.js';

/** Integers as the drivers return them: number (SQLite), string (pg int8). */
type DatabaseInteger = number | string | bigint | null;

/** An `api_keys` row (migration 3); keys are the column names. */
export interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  secret_hash: string;
  created_at: number;
  revoked_at: number | null;
  allowed_models: string | null;
  requests_per_minute: number | null;
  tokens_per_minute: number | null;
  daily_budget_nano_usd: number | null;
  monthly_budget_nano_usd: number | null;
  total_budget_nano_usd: number | null;
}

export const KEY_COLUMN_NAMES = [
  'id',
  'name',
  'prefix',
  'secret_hash',
  'created_at',
  'revoked_at',
  'allowed_models',
  'requests_per_minute',
  'tokens_per_minute',
  'daily_budget_nano_usd',
  'monthly_budget_nano_usd',
  'total_budget_nano_usd',
] as const satisfies readonly (keyof KeyRow)[];

export const KEY_COLUMNS_SQL = KEY_COLUMN_NAMES.join(', ');

/** A new key from admin input (validated; throws KeyInputError) with its one-time secret. */
export function newKey(input: unknown, now = Date.now()): { key: VirtualKey; secret: string } {
  const valid = validateCreateKeyInput(input);
  const secret = generateSecret();
  const key: VirtualKey = {
    id: generateKeyId(),
    name: valid.name,
    prefix: secret.slice(0, PREFIX_LENGTH),
    hash: hashSecret(secret),
    createdAt: now,
    limits: valid.limits,
  };
  if (valid.allowedModels !== undefined) key.allowedModels = valid.allowedModels;
  return { key, secret };
}

/** Column values in KEY_COLUMN_NAMES order. */
export function keyToValues(key: VirtualKey): (string | number | null)[] {
  const limits = key.limits;
  const row: KeyRow = {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    secret_hash: key.hash,
    created_at: key.createdAt,
    revoked_at: key.revokedAt ?? null,
    allowed_models: key.allowedModels === undefined ? null : JSON.stringify(key.allowedModels),
    requests_per_minute: limits.requestsPerMinute ?? null,
    tokens_per_minute: limits.tokensPerMinute ?? null,
    daily_budget_nano_usd: nanoOrNull(limits.dailyBudgetUsd),
    monthly_budget_nano_usd: nanoOrNull(limits.monthlyBudgetUsd),
    total_budget_nano_usd: nanoOrNull(limits.totalBudgetUsd),
  };
  return KEY_COLUMN_NAMES.map((column) => row[column]);
}

export function rowToKey(row: Record<string, unknown>): VirtualKey {
  const limits: KeyLimits = {};
  setNumber(limits, 'requestsPerMinute', row.requests_per_minute);
  setNumber(limits, 'tokensPerMinute', row.tokens_per_minute);
  setUsd(limits, 'dailyBudgetUsd', row.daily_budget_nano_usd);
  setUsd(limits, 'monthlyBudgetUsd', row.monthly_budget_nano_usd);
  setUsd(limits, 'totalBudgetUsd', row.total_budget_nano_usd);
  const key: VirtualKey = {
    id: String(row.id),
    name: String(row.name),
    prefix: String(row.prefix),
    hash: String(row.secret_hash),
    createdAt: toNumber(row.created_at as DatabaseInteger) ?? 0,
    limits,
  };
  const revokedAt = toNumber(row.revoked_at as DatabaseInteger);
  if (revokedAt !== undefined) key.revokedAt = revokedAt;
  if (typeof row.allowed_models === 'string') key.allowedModels = parseModels(row.allowed_models);
  return key;
}

function parseModels(text: string): string[] {
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed)
    ? parsed.filter((model): model is string => typeof model === 'string')
    : [];
}

function nanoOrNull(usd: number | undefined): number | null {
  return usd === undefined ? null : usdToNano(usd);
}

function setNumber(
  limits: KeyLimits,
  field: 'requestsPerMinute' | 'tokensPerMinute',
  value: unknown,
): void {
  const number = toNumber(value as DatabaseInteger);
  if (number !== undefined) limits[field] = number;
}

function setUsd(
  limits: KeyLimits,
  field: 'dailyBudgetUsd' | 'monthlyBudgetUsd' | 'totalBudgetUsd',
  value: unknown,
): void {
  const nano = toNumber(value as DatabaseInteger);
  if (nano !== undefined) limits[field] = nanoToUsd(nano);
}

function toNumber(value: DatabaseInteger): number | undefined {
  if (value === null || value === undefined) return undefined;
  return Number(value);
}
