import { createHash, randomBytes } from 'node:crypto';
import type { CreateKeyInput, KeyLimits } from './key-types.js';

/** Invalid key input (name, allowed models, limits): the admin API answers 400 with the message. */
export class KeyInputError extends Error {
  override readonly name = 'KeyInputError';
}

export const SECRET_PREFIX = 'sy-';
/** Characters of the secret kept in clear for recognising a key in lists (`sy-` + 7). */
export const PREFIX_LENGTH = 10;
export const MAX_NAME_LENGTH = 100;
export const MAX_ALLOWED_MODELS = 200;
export const MAX_MODEL_NAME_LENGTH = 200;
/** Budget ceiling (USD): keeps nano-USD sums exact in a JS number. */
export const MAX_BUDGET_USD = 1_000_000;
/** Rate ceiling (requests or tokens per minute). */
export const MAX_RATE = 1_000_000_000;

const RATE_LIMITS = ['requestsPerMinute', 'tokensPerMinute'] as const;
const BUDGET_LIMITS = ['dailyBudgetUsd', 'monthlyBudgetUsd', 'totalBudgetUsd'] as const;
const LIMIT_NAMES: ReadonlySet<string> = new Set([...RATE_LIMITS, ...BUDGET_LIMITS]);

/** A new secret: `sy-` + 32 random bytes in base64url (43 characters). Shown once, never stored. */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64url');
}

/** What the store keeps instead of the secret. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** `key_` + 16 hex characters. */
export function generateKeyId(): string {
  return `key_${randomBytes(8).toString('hex')}`;
}

/** Checks and normalizes what an admin sent; throws KeyInputError with a message naming the field. */
export function validateCreateKeyInput(
  input: unknown,
): Required<Pick<CreateKeyInput, 'name' | 'limits'>> & Pick<CreateKeyInput, 'allowedModels'> {
  if (!isRecord(input)) throw new KeyInputError('key input must be an object');
  for (const field of Object.keys(input)) {
    if (field !== 'name' && field !== 'allowedModels' && field !== 'limits')
      throw new KeyInputError(`unknown key field ${JSON.stringify(field)}`);
  }
  const name = validateName(input.name);
  const allowedModels =
    input.allowedModels === undefined || input.allowedModels === null
      ? undefined
      : validateAllowedModels(input.allowedModels);
  const limits =
    input.limits === undefined || input.limits === null ? {} : validateLimits(input.limits);
  return allowedModels === undefined ? { name, limits } : { name, allowedModels, limits };
}

function validateName(value: unknown): string {
  if (typeof value !== 'string') throw new KeyInputError('name is required and must be a string');
  const name = value.trim();
  if (name === '') throw new KeyInputError('name must not be empty');
  if (name.length > MAX_NAME_LENGTH)
    throw new KeyInputError(
      `name must be at most ${MAX_NAME_LENGTH} characters (got ${name.length})`,
    );
  if (/[\u0000-\u001f\u007f]/.test(name))
    throw new KeyInputError('name must not contain control characters');
  return name;
}

function validateAllowedModels(value: unknown): string[] {
  if (!Array.isArray(value))
    throw new KeyInputError(
      'allowedModels must be an array of model names (omit it to allow every model)',
    );
  if (value.length === 0)
    throw new KeyInputError(
      'allowedModels must list at least one model (omit it to allow every model)',
    );
  if (value.length > MAX_ALLOWED_MODELS)
    throw new KeyInputError(`allowedModels must list at most ${MAX_ALLOWED_MODELS} models`);
  const models: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string' || item.trim() === '')
      throw new KeyInputError('allowedModels entries must be non-empty strings');
    const model = item.trim();
    if (model.length > MAX_MODEL_NAME_LENGTH)
      throw new KeyInputError(
        `allowedModels entry is longer than ${MAX_MODEL_NAME_LENGTH} characters`,
      );
    if (!models.includes(model)) models.push(model);
  }
  return models;
}

/** Every limit is optional; a present one must be a positive number (rates: whole numbers). */
export function validateLimits(value: unknown): KeyLimits {
  if (!isRecord(value)) throw new KeyInputError('limits must be an object');
  const limits: KeyLimits = {};
  for (const [field, limit] of Object.entries(value)) {
    if (!LIMIT_NAMES.has(field)) {
      throw new KeyInputError(
        `unknown limit ${JSON.stringify(field)} (known: ${[...RATE_LIMITS, ...BUDGET_LIMITS].join(', ')})`,
      );
    }
    if (limit === undefined || limit === null) continue;
    if (typeof limit !== 'number' || !Number.isFinite(limit) || limit <= 0) {
      throw new KeyInputError(
        `limits.${field} must be a positive number (got ${JSON.stringify(limit)})`,
      );
    }
    if ((RATE_LIMITS as readonly string[]).includes(field)) {
      if (!Number.isInteger(limit))
        throw new KeyInputError(`limits.${field} must be a whole number (got ${limit})`);
      if (limit > MAX_RATE)
        throw new KeyInputError(`limits.${field} must be at most ${MAX_RATE} (got ${limit})`);
    } else {
      if (limit > MAX_BUDGET_USD)
        throw new KeyInputError(
          `limits.${field} must be at most ${MAX_BUDGET_USD} USD (got ${limit})`,
        );
      if (usdToNano(limit) === 0)
        throw new KeyInputError(`limits.${field} must be at least 0.000000001 USD (got ${limit})`);
    }
    limits[field as keyof KeyLimits] = limit;
  }
  return limits;
}

export const NANO_PER_USD = 1_000_000_000;

export function usdToNano(usd: number): number {
  return Math.round(usd * NANO_PER_USD);
}

export function nanoToUsd(nano: number): number {
  return nano / NANO_PER_USD;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
