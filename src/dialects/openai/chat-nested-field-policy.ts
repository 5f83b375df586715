import { BOTH, NEITHER } from '../field-policy.js';
import { IMAGE_DETAIL, type NestedPolicy, type NestedRule } from '../nested-field-policy.js';

const BREAKPOINT: NestedRule = {
  ...NEITHER,
  reason:
    'explicit OpenAI cache breakpoints are not served; OpenAI caches prefixes automatically, and `cache_control` (the OpenRouter convention) marks Anthropic-style breakpoints',
};
const NAME: NestedRule = {
  ...NEITHER,
  reason: 'participant names are not kept (the Messages API has none); leave `name` out',
};

/** A `text` content part at `shape` (`…content[text]`). */
function textPart(shape: string): Record<string, NestedRule> {
  return {
    [`${shape}.type`]: BOTH,
    [`${shape}.text`]: BOTH,
    [`${shape}.cache_control`]: BOTH,
    [`${shape}.prompt_cache_breakpoint`]: BREAKPOINT,
  };
}

/** A system or developer message. */
function instruction(role: string): Record<string, NestedRule> {
  return {
    [`messages[${role}].role`]: BOTH,
    [`messages[${role}].content`]: BOTH,
    [`messages[${role}].name`]: NAME,
    ...textPart(`messages[${role}].content[text]`),
  };
}

/**
 * Every nested field of `POST /v1/chat/completions` (see nested-field-policy.ts for the path
 * patterns; docs/compatibility.md has the same table). The keys of `logit_bias` and the insides
 * of JSON schemas (`parameters`, `json_schema.schema`) are data, not fields.
 */
export const CHAT_NESTED_POLICY: NestedPolicy = {
  ...instruction('system'),
  ...instruction('developer'),

  'messages[user].role': BOTH,
  'messages[user].content': BOTH,
  'messages[user].name': NAME,
  ...textPart('messages[user].content[text]'),
  'messages[user].content[image_url].type': BOTH,
  'messages[user].content[image_url].image_url': BOTH,
  'messages[user].content[image_url].cache_control': BOTH,
  'messages[user].content[image_url].prompt_cache_breakpoint': BREAKPOINT,
  'messages[user].content[image_url].image_url.url': BOTH,
  'messages[user].content[image_url].image_url.detail': IMAGE_DETAIL,
  'messages[user].content[input_audio]': { ...NEITHER, reason: 'audio input is not served' },
  'messages[user].content[file]': {
    ...NEITHER,
    reason: 'file inputs are not served (this gateway has no Files API)',
  },

  'messages[assistant].role': BOTH,
  'messages[assistant].content': BOTH,
  'messages[assistant].name': NAME,
  'messages[assistant].refusal': BOTH,
  'messages[assistant].tool_calls': BOTH,
  'messages[assistant].reasoning_content': BOTH,
  'messages[assistant].audio': {
    ...NEITHER,
    reason: 'audio output is not served, so there is no earlier audio to refer to',
  },
  'messages[assistant].function_call': {
    ...NEITHER,
    reason: 'the legacy `function_call` is replaced by `tool_calls`',
  },
  ...textPart('messages[assistant].content[text]'),
  'messages[assistant].content[refusal].type': BOTH,
  'messages[assistant].content[refusal].refusal': BOTH,
  'messages[assistant].tool_calls[function].id': BOTH,
  'messages[assistant].tool_calls[function].type': BOTH,
  'messages[assistant].tool_calls[function].function': BOTH,
  'messages[assistant].tool_calls[function].function.name': BOTH,
  'messages[assistant].tool_calls[function].function.arguments': BOTH,
  'messages[assistant].tool_calls[custom]': { ...NEITHER, reason: 'custom tools are not served' },

  'messages[tool].role': BOTH,
  'messages[tool].content': BOTH,
  'messages[tool].tool_call_id': BOTH,
  'messages[tool].name': BOTH,
  ...textPart('messages[tool].content[text]'),
  'messages[function]': {
    ...NEITHER,
    reason: 'the legacy `function` role is replaced by `tool` messages with a `tool_call_id`',
  },

  'tools[function].type': BOTH,
  'tools[function].function': BOTH,
  'tools[function].function.name': BOTH,
  'tools[function].function.description': BOTH,
  'tools[function].function.parameters': BOTH,
  'tools[function].function.strict': BOTH,
  'tools[custom]': {
    ...NEITHER,
    reason: 'custom (free-form text) tools are not served on chat; use function tools',
  },

  'tool_choice[function].type': BOTH,
  'tool_choice[function].function': BOTH,
  'tool_choice[function].function.name': BOTH,
  'tool_choice[allowed_tools]': {
    ...NEITHER,
    reason: 'allowed-tools lists are not served; send only the tools the model may call',
  },
  'tool_choice[custom]': { ...NEITHER, reason: 'custom tools are not served' },

  'response_format[text].type': BOTH,
  'response_format[json_object].type': BOTH,
  'response_format[json_schema].type': BOTH,
  'response_format[json_schema].json_schema': BOTH,
  'response_format[json_schema].json_schema.name': BOTH,
  'response_format[json_schema].json_schema.description': BOTH,
  'response_format[json_schema].json_schema.schema': BOTH,
  'response_format[json_schema].json_schema.strict': BOTH,

  'stream_options.include_usage': BOTH,
  'stream_options.include_obfuscation': BOTH,

  'thinking.type': BOTH,
  'thinking.budget_tokens': BOTH,
};
