/**
 * Joins the log probabilities of consecutive stream chunks (OpenAI `logprobs: {content: [...],
 * refusal: [...]}`) into those of the whole answer: the token lists are concatenated. Anything
 * not of that shape replaces what came before.
 */
export function mergeLogprobs(previous: unknown, next: unknown): unknown {
  if (!isLogprobs(previous) || !isLogprobs(next)) return next;
  const merged: Record<string, unknown> = { ...previous };
  for (const key of ['content', 'refusal'] as const) {
    const before = previous[key];
    const after = next[key];
    if (Array.isArray(before) && Array.isArray(after)) merged[key] = [...before, ...after];
    else if (Array.isArray(after)) merged[key] = after;
  }
  return merged;
}

function isLogprobs(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
