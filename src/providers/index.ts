export {
  createAdapter,
  createProviderDispatcher,
  DEFAULT_DISPATCHER_OPTIONS,
} from './create-adapter.js';
export type { ProviderDispatcherOptions } from './create-adapter.js';
export { createOpenAICompatibleAdapter } from './openai-compatible/openai-compatible-adapter.js';
export {
  createAnthropicAdapter,
  DEFAULT_ANTHROPIC_VERSION,
} from './anthropic/anthropic-adapter.js';
export { DEFAULT_ANTHROPIC_MAX_TOKENS } from './anthropic/encode-request.js';
export { DEFAULT_QUIRKS, PROVIDER_PRESETS, resolveQuirks } from './presets.js';
export type { ProviderPreset } from './presets.js';
export { parseSse, SseParser } from './sse-parser.js';
export type { SseEvent } from './sse-parser.js';
