import type { ProviderAdapter } from '../core/provider.js';
import type { CompletionBatcher } from './completion-batcher.js';

/**
 * Provider middleware: the same adapter, with its non-streamed `/completions` calls going through
 * the batcher (which batches them where `batching.deployments` configures a window and calls
 * straight through elsewhere). Every other method is the adapter's own. An adapter without
 * completions is returned as it is, so the endpoint still refuses completions for it by name.
 */
export function batchCompletions(
  adapter: ProviderAdapter,
  batcher: CompletionBatcher,
): ProviderAdapter {
  if (!adapter.complete) return adapter;
  const batched: ProviderAdapter = {
    id: adapter.id,
    wire: adapter.wire,
    chat: (request, context) => adapter.chat(request, context),
    streamChat: (request, context) => adapter.streamChat(request, context),
    complete: (request, context) => batcher.call(adapter, request, context),
    close: () => adapter.close(),
  };
  // The field policy reads the quirks before each attempt: the wrapper must show the same ones.
  if (adapter.quirks !== undefined) Object.assign(batched, { quirks: adapter.quirks });
  const { streamComplete, embed, countTokens } = adapter;
  if (streamComplete) batched.streamComplete = streamComplete.bind(adapter);
  if (embed) batched.embed = embed.bind(adapter);
  if (countTokens) batched.countTokens = countTokens.bind(adapter);
  return batched;
}

/** Every adapter of a generation with batching applied (the map itself when batching is off). */
export function withCompletionBatching(
  adapters: Map<string, ProviderAdapter>,
  batcher: CompletionBatcher | undefined,
): Map<string, ProviderAdapter> {
  if (!batcher) return adapters;
  return new Map(
    [...adapters].map(([id, adapter]) => [id, batchCompletions(adapter, batcher)] as const),
  );
}
