import { z } from 'zod';
import { CatalogError } from '../catalog-error.js';

/**
 * OpenRouter `GET /api/v1/models` shape (openrouter.ai/docs/models): `{ data: Model[] }` where
 * `pricing` figures are USD per token as decimal strings ("0.00000028"), `context_length` is the
 * model's window and `top_provider.max_completion_tokens` the output limit. Only the fields the
 * import reads are checked; everything else passes through.
 */
const perTokenPrice = z.union([z.string(), z.number()]).nullish();

const openRouterModel = z
  .object({
    id: z.string().min(1),
    context_length: z.number().int().positive().nullish(),
    pricing: z
      .object({
        prompt: perTokenPrice,
        completion: perTokenPrice,
        input_cache_read: perTokenPrice,
        input_cache_write: perTokenPrice,
      })
      .passthrough(),
    top_provider: z
      .object({
        context_length: z.number().int().positive().nullish(),
        max_completion_tokens: z.number().int().positive().nullish(),
      })
      .passthrough()
      .nullish(),
  })
  .passthrough();

/** One usable document entry, prices converted to USD per million tokens. */
export interface OpenRouterEntry {
  id: string;
  inputPerMillion: number;
  outputPerMillion: number;
  cachedInputPerMillion?: number;
  cacheWritePerMillion?: number;
  contextWindow?: number;
  maxOutputTokens?: number;
}

export interface InvalidEntry {
  index: number;
  id?: string;
  problem: string;
}

export interface ParsedOpenRouterDocument {
  entries: Map<string, OpenRouterEntry>;
  invalid: InvalidEntry[];
}

/** Parses the JSON text of an OpenRouter-shaped document. Bad entries are listed, not fatal. */
export function parseOpenRouterDocument(text: string, source: string): ParsedOpenRouterDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CatalogError('price_document_invalid', source, [
      `not valid JSON: ${(error as Error).message}`,
    ]);
  }
  const root = z.object({ data: z.array(z.unknown()) }).safeParse(raw);
  if (!root.success)
    throw new CatalogError('price_document_invalid', source, [
      'expected an object with a "data" array (OpenRouter /api/v1/models)',
    ]);

  const entries = new Map<string, OpenRouterEntry>();
  const invalid: InvalidEntry[] = [];
  root.data.data.forEach((item, index) => {
    const parsed = openRouterModel.safeParse(item);
    const id =
      typeof (item as { id?: unknown } | null)?.id === 'string'
        ? (item as { id: string }).id
        : undefined;
    if (!parsed.success) {
      invalid.push({
        index,
        ...(id === undefined ? {} : { id }),
        problem: parsed.error.issues
          .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
          .join('; '),
      });
      return;
    }
    const model = parsed.data;
    const input = perMillion(model.pricing.prompt);
    const output = perMillion(model.pricing.completion);
    if (input === undefined || output === undefined) {
      invalid.push({
        index,
        id: model.id,
        problem: 'pricing.prompt and pricing.completion must be non-negative USD-per-token numbers',
      });
      return;
    }
    const entry: OpenRouterEntry = {
      id: model.id,
      inputPerMillion: input,
      outputPerMillion: output,
    };
    const cachedInput = perMillion(model.pricing.input_cache_read);
    const cacheWrite = perMillion(model.pricing.input_cache_write);
    const contextWindow = model.context_length ?? model.top_provider?.context_length ?? undefined;
    const maxOutput = model.top_provider?.max_completion_tokens ?? undefined;
    if (cachedInput !== undefined) entry.cachedInputPerMillion = cachedInput;
    if (cacheWrite !== undefined) entry.cacheWritePerMillion = cacheWrite;
    if (contextWindow !== undefined) entry.contextWindow = contextWindow;
    if (maxOutput !== undefined) entry.maxOutputTokens = maxOutput;
    if (entries.has(model.id))
      invalid.push({ index, id: model.id, problem: 'duplicate id; the first entry is used' });
    else entries.set(model.id, entry);
  });
  return { entries, invalid };
}

/**
 * USD per token → USD per million, rounded to 12 significant digits to drop float noise
 * ("0.00000028" → 0.28). Negative values (OpenRouter uses "-1" for variable pricing), empty
 * and non-numeric values are unknown.
 */
export function perMillion(value: string | number | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const perToken = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(perToken) || perToken < 0) return undefined;
  return Number((perToken * 1_000_000).toPrecision(12));
}
