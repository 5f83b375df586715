import { BOTH, NEITHER } from '../field-policy.js';
import { IMAGE_DETAIL, type NestedPolicy, type NestedRule } from '../nested-field-policy.js';
import { HOSTED_TOOLS } from './hosted-tools.js';

/** Item fields that describe the item rather than its content: read, not needed upstream. */
const ITEM_ID = BOTH;
const NO_FILES: NestedRule = {
  ...NEITHER,
  reason: 'files are not served (this gateway has no Files API)',
};
const HOSTED_ITEM: NestedRule = {
  ...NEITHER,
  reason:
    'hosted tools run on OpenAI’s platform and are not served, so there are no calls of theirs to pass back',
};
const DETAIL = IMAGE_DETAIL;

/** Input items of hosted tools (their calls and outputs) and other platform items. */
const HOSTED_ITEMS = [
  'file_search_call',
  'web_search_call',
  'computer_call',
  'computer_call_output',
  'image_generation_call',
  'code_interpreter_call',
  'local_shell_call',
  'local_shell_call_output',
  'shell_call',
  'shell_call_output',
  'apply_patch_call',
  'apply_patch_call_output',
  'mcp_list_tools',
  'mcp_approval_request',
  'mcp_approval_response',
  'mcp_call',
  'tool_search_call',
  'tool_search_output',
  'compaction',
];

function textPart(shape: string, field = 'text'): Record<string, NestedRule> {
  return { [`${shape}.type`]: BOTH, [`${shape}.${field}`]: BOTH };
}

function imagePart(shape: string): Record<string, NestedRule> {
  return {
    [`${shape}.type`]: BOTH,
    [`${shape}.image_url`]: BOTH,
    [`${shape}.detail`]: DETAIL,
    [`${shape}.file_id`]: NO_FILES,
  };
}

function toolOutput(item: string): Record<string, NestedRule> {
  return {
    [`input[${item}].type`]: BOTH,
    [`input[${item}].id`]: ITEM_ID,
    [`input[${item}].status`]: ITEM_ID,
    [`input[${item}].call_id`]: BOTH,
    [`input[${item}].output`]: BOTH,
    ...textPart(`input[${item}].output[input_text]`),
    [`input[${item}].output[input_image]`]: {
      ...NEITHER,
      reason: 'tool outputs are text here (images in tool outputs are not served)',
    },
    [`input[${item}].output[input_file]`]: NO_FILES,
  };
}

/**
 * Every nested field of `POST /v1/responses` (see nested-field-policy.ts for the path patterns;
 * docs/compatibility.md has the same table). An input item without `type` is a message. The
 * insides of JSON schemas and `metadata`'s keys are data, not fields.
 */
export const RESPONSES_NESTED_POLICY: NestedPolicy = {
  'input[message].type': BOTH,
  'input[message].id': ITEM_ID,
  'input[message].status': ITEM_ID,
  'input[message].role': BOTH,
  'input[message].content': BOTH,
  'input[message].phase': ITEM_ID,
  ...textPart('input[message].content[input_text]'),
  ...imagePart('input[message].content[input_image]'),
  'input[message].content[input_file]': NO_FILES,
  'input[message].content[input_audio]': { ...NEITHER, reason: 'audio input is not served' },
  ...textPart('input[message].content[output_text]'),
  'input[message].content[output_text].annotations': {
    ...NEITHER,
    absent: [[]],
    reason: 'annotations come from hosted tools, which are not served',
  },
  'input[message].content[output_text].logprobs': {
    ...NEITHER,
    absent: [[]],
    reason: 'log probabilities are not carried through the gateway',
  },
  ...textPart('input[message].content[refusal]', 'refusal'),

  'input[function_call].type': BOTH,
  'input[function_call].id': ITEM_ID,
  'input[function_call].status': ITEM_ID,
  'input[function_call].call_id': BOTH,
  'input[function_call].name': BOTH,
  'input[function_call].arguments': BOTH,
  // The openai SDK's stream helpers add the parsed form of `arguments`; it repeats it.
  'input[function_call].parsed_arguments': ITEM_ID,
  'input[custom_tool_call].type': BOTH,
  'input[custom_tool_call].id': ITEM_ID,
  'input[custom_tool_call].status': ITEM_ID,
  'input[custom_tool_call].call_id': BOTH,
  'input[custom_tool_call].name': BOTH,
  'input[custom_tool_call].input': BOTH,
  ...toolOutput('function_call_output'),
  ...toolOutput('custom_tool_call_output'),

  'input[reasoning].type': BOTH,
  'input[reasoning].id': ITEM_ID,
  'input[reasoning].status': ITEM_ID,
  'input[reasoning].summary': BOTH,
  'input[reasoning].content': BOTH,
  'input[reasoning].encrypted_content': BOTH,
  ...textPart('input[reasoning].summary[summary_text]'),
  ...textPart('input[reasoning].content[reasoning_text]'),

  'input[item_reference]': {
    ...NEITHER,
    reason: 'send the items themselves, or use previous_response_id',
  },
  ...Object.fromEntries(HOSTED_ITEMS.map((type) => [`input[${type}]`, HOSTED_ITEM])),

  'tools[function].type': BOTH,
  'tools[function].name': BOTH,
  'tools[function].description': BOTH,
  'tools[function].parameters': BOTH,
  'tools[function].strict': BOTH,
  'tools[custom].type': BOTH,
  'tools[custom].name': BOTH,
  'tools[custom].description': BOTH,
  'tools[custom].format': BOTH,
  'tools[custom].format[text].type': BOTH,
  'tools[custom].format[grammar].type': BOTH,
  'tools[custom].format[grammar].syntax': BOTH,
  'tools[custom].format[grammar].definition': BOTH,
  ...Object.fromEntries(
    Object.entries(HOSTED_TOOLS).map(([type, what]) => [
      `tools[${type}]`,
      { ...NEITHER, reason: `${what} runs on OpenAI’s platform; use function or custom tools` },
    ]),
  ),

  'tool_choice[function].type': BOTH,
  'tool_choice[function].name': BOTH,
  'tool_choice[custom].type': BOTH,
  'tool_choice[custom].name': BOTH,
  'tool_choice[allowed_tools]': {
    ...NEITHER,
    reason: 'allowed-tools lists are not served; send only the tools the model may call',
  },
  ...Object.fromEntries(
    Object.keys(HOSTED_TOOLS).map((type) => [
      `tool_choice[${type}]`,
      { ...NEITHER, reason: 'hosted tools are not served' },
    ]),
  ),

  'text.format': BOTH,
  'text.verbosity': BOTH,
  'text.format[text].type': BOTH,
  'text.format[json_object].type': BOTH,
  'text.format[json_schema].type': BOTH,
  'text.format[json_schema].name': BOTH,
  'text.format[json_schema].schema': BOTH,
  'text.format[json_schema].strict': BOTH,
  'text.format[json_schema].description': BOTH,

  'reasoning.effort': BOTH,
  'reasoning.summary': BOTH,
  'reasoning.generate_summary': BOTH,

  'stream_options.include_obfuscation': BOTH,
};
