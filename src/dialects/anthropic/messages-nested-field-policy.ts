import { BOTH, NEITHER } from '../field-policy.js';
import type { NestedPolicy, NestedRule } from '../nested-field-policy.js';

const CITATIONS: NestedRule = {
  ...NEITHER,
  absent: [[]],
  reason: 'citations are not served (documents and search results are not taken)',
};
const DOCUMENT: NestedRule = {
  ...NEITHER,
  reason: 'document blocks (PDF, plain text) are not served; send the text as a text block',
};
const SEARCH_RESULT: NestedRule = {
  ...NEITHER,
  reason: 'search result blocks (for citations) are not served; send the text as a text block',
};
const SERVER_TOOL: NestedRule = {
  ...NEITHER,
  reason: 'server tools run on Anthropic’s platform and are not served here',
};
const TOOLSET: NestedRule = { ...NEITHER, reason: 'toolsets are not served' };

/** A `text` block at `shape`. */
function textBlock(shape: string): Record<string, NestedRule> {
  return {
    [`${shape}.type`]: BOTH,
    [`${shape}.text`]: BOTH,
    [`${shape}.cache_control`]: BOTH,
    [`${shape}.citations`]: CITATIONS,
  };
}

/** An `image` block at `shape`, with its sources. */
function imageBlock(shape: string): Record<string, NestedRule> {
  return {
    [`${shape}.type`]: BOTH,
    [`${shape}.source`]: BOTH,
    [`${shape}.cache_control`]: BOTH,
    [`${shape}.transformations`]: {
      ...NEITHER,
      reason: 'image transformations are not forwarded',
    },
    [`${shape}.source[base64].type`]: BOTH,
    [`${shape}.source[base64].media_type`]: BOTH,
    [`${shape}.source[base64].data`]: BOTH,
    [`${shape}.source[url].type`]: BOTH,
    [`${shape}.source[url].url`]: BOTH,
    [`${shape}.source[file]`]: {
      ...NEITHER,
      reason: 'images by `file_id` are not served (this gateway has no Files API)',
    },
  };
}

/**
 * `thinking.display` (`summarized` | `omitted`): whether the client wants the thinking text. No
 * upstream takes it through the canonical model, so thinking comes back as the upstream gives it
 * (Claude Code sends `omitted` and ignores the text).
 */
const THINKING_DISPLAY: NestedRule = {
  ...BOTH,
  reason: 'accepted (`summarized` or `omitted`); thinking is returned as the upstream gives it',
};

/** Content blocks that hold server tools' calls and results (in assistant turns). */
const SERVER_TOOL_BLOCKS = [
  'server_tool_use',
  'web_search_tool_result',
  'web_fetch_tool_result',
  'code_execution_tool_result',
  'bash_code_execution_tool_result',
  'text_editor_code_execution_tool_result',
  'tool_search_tool_result',
  'mcp_tool_use',
  'mcp_tool_result',
];

/**
 * Every nested field of `POST /v1/messages` (see nested-field-policy.ts for the path patterns;
 * docs/compatibility.md has the same table). The insides of `input_schema`, `tool_use.input`,
 * `output_config.format.schema` and `context_management.edits` are data, not fields.
 */
export const MESSAGES_NESTED_POLICY: NestedPolicy = {
  'messages[].role': BOTH,
  'messages[].content': BOTH,
  'messages[].output_config': {
    ...BOTH,
    reason:
      'an object, left out: the request’s top-level `output_config` applies (Claude Code 2.1.3xx sends one on a turn)',
  },

  ...textBlock('messages[user].content[text]'),
  ...imageBlock('messages[user].content[image]'),
  'messages[user].content[tool_result].type': BOTH,
  'messages[user].content[tool_result].tool_use_id': BOTH,
  'messages[user].content[tool_result].content': BOTH,
  'messages[user].content[tool_result].is_error': BOTH,
  'messages[user].content[tool_result].cache_control': BOTH,
  'messages[user].content[tool_result].toolset_name': TOOLSET,
  ...textBlock('messages[user].content[tool_result].content[text]'),
  ...imageBlock('messages[user].content[tool_result].content[image]'),
  'messages[user].content[tool_result].content[document]': DOCUMENT,
  'messages[user].content[tool_result].content[search_result]': SEARCH_RESULT,
  'messages[user].content[tool_result].content[tool_reference]': {
    ...NEITHER,
    reason: 'tool search is not served',
  },
  'messages[user].content[document]': DOCUMENT,
  'messages[user].content[search_result]': SEARCH_RESULT,
  'messages[user].content[container_upload]': {
    ...NEITHER,
    reason: 'code execution containers are not served',
  },

  ...textBlock('messages[assistant].content[text]'),
  'messages[assistant].content[tool_use].type': BOTH,
  'messages[assistant].content[tool_use].id': BOTH,
  'messages[assistant].content[tool_use].name': BOTH,
  'messages[assistant].content[tool_use].input': BOTH,
  'messages[assistant].content[tool_use].cache_control': BOTH,
  'messages[assistant].content[tool_use].caller': {
    ...NEITHER,
    absent: [{ type: 'direct' }],
    reason: 'programmatic tool calling is not served (`{"type": "direct"}` is accepted)',
  },
  'messages[assistant].content[tool_use].toolset_name': TOOLSET,
  'messages[assistant].content[thinking].type': BOTH,
  'messages[assistant].content[thinking].thinking': BOTH,
  'messages[assistant].content[thinking].signature': BOTH,
  'messages[assistant].content[redacted_thinking].type': BOTH,
  'messages[assistant].content[redacted_thinking].data': BOTH,
  ...Object.fromEntries(
    SERVER_TOOL_BLOCKS.map((type) => [`messages[assistant].content[${type}]`, SERVER_TOOL]),
  ),

  ...textBlock('messages[system].content[text]'),
  ...textBlock('system[text]'),

  'tools[custom].type': BOTH,
  'tools[custom].name': BOTH,
  'tools[custom].description': BOTH,
  'tools[custom].input_schema': BOTH,
  'tools[custom].cache_control': BOTH,
  'tools[custom].strict': BOTH,
  'tools[custom].defer_loading': {
    ...BOTH,
    reason:
      'tool search is not served, so a deferred tool is sent as an ordinary tool (Claude Code sends `true`)',
  },
  'tools[custom].eager_input_streaming': {
    ...NEITHER,
    absent: [false],
    reason:
      'fine-grained tool input streaming is not forwarded per tool (`false` is accepted; the `fine-grained-tool-streaming-2025-05-14` beta header is, where the provider allows it)',
  },
  'tools[custom].input_examples': { ...NEITHER, reason: 'tool input examples are not forwarded' },
  'tools[custom].allowed_callers': {
    ...NEITHER,
    absent: [['direct']],
    reason: 'programmatic tool calling is not served (`["direct"]` is accepted)',
  },
  'tools[server tool]': SERVER_TOOL,

  'tool_choice[auto].type': BOTH,
  'tool_choice[auto].disable_parallel_tool_use': BOTH,
  'tool_choice[any].type': BOTH,
  'tool_choice[any].disable_parallel_tool_use': BOTH,
  'tool_choice[tool].type': BOTH,
  'tool_choice[tool].name': BOTH,
  'tool_choice[tool].disable_parallel_tool_use': BOTH,
  'tool_choice[none].type': BOTH,

  'thinking[enabled].type': BOTH,
  'thinking[enabled].budget_tokens': BOTH,
  'thinking[enabled].display': THINKING_DISPLAY,
  'thinking[adaptive].type': BOTH,
  'thinking[adaptive].display': THINKING_DISPLAY,
  'thinking[disabled].type': BOTH,

  'output_config.effort': BOTH,
  'output_config.format': BOTH,
  'output_config.format[json_schema].type': BOTH,
  'output_config.format[json_schema].schema': BOTH,

  'metadata.user_id': BOTH,

  'context_management.edits': {
    'openai-compatible': 'translate',
    anthropic: 'pass',
    canonical: 'contextManagement',
  },
};
