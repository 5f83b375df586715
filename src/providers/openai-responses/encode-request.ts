import { GatewayError } from '../../core/errors.js';
import type {
  AssistantMessage,
  ChatRequest,
  ContentPart,
  Message,
  ResponseFormat,
  ToolChoice,
  ToolDefinition,
} from '../../core/request.js';
import { toolOutputText } from '../tool-output-text.js';

/** What encoding needs besides the request. */
export interface ResponsesEncodeOptions {
  providerId: string;
  upstreamModel: string;
  stream: boolean;
}

type JsonObject = Record<string, unknown>;

/**
 * Canonical chat request → OpenAI `POST /responses` body. The call is stateless upstream
 * (`store: false`, and `include: ["reasoning.encrypted_content"]` so reasoning comes back as a
 * token the next turn can pass back): the gateway keeps conversations itself. Messages become
 * input items in order (system messages as `system` message items, so their position is kept);
 * fields the Responses API lacks (`stop`, `seed`, `n` > 1, penalties) are refused by name, and
 * the request fails over to a deployment that has them.
 */
export function encodeResponsesBody(
  request: ChatRequest,
  options: ResponsesEncodeOptions,
): JsonObject {
  refuseMissingFields(request, options.providerId);
  const input: JsonObject[] = [];
  for (const message of request.messages) encodeMessage(message, input, options.providerId);
  const body: JsonObject = { model: options.upstreamModel, input };
  const hasTools = request.tools !== undefined && request.tools.length > 0;
  if (hasTools) body['tools'] = (request.tools as ToolDefinition[]).map(encodeTool);
  if (request.toolChoice !== undefined) body['tool_choice'] = encodeToolChoice(request.toolChoice);
  if (request.parallelToolCalls !== undefined && hasTools)
    body['parallel_tool_calls'] = request.parallelToolCalls;
  const text: JsonObject = {};
  if (request.responseFormat !== undefined)
    text['format'] = encodeTextFormat(request.responseFormat);
  if (request.verbosity !== undefined) text['verbosity'] = request.verbosity;
  if (Object.keys(text).length > 0) body['text'] = text;
  const reasoning: JsonObject = {};
  if (request.reasoningEffort !== undefined) reasoning['effort'] = request.reasoningEffort;
  if (request.reasoningSummary !== undefined) reasoning['summary'] = request.reasoningSummary;
  if (Object.keys(reasoning).length > 0) body['reasoning'] = reasoning;
  if (request.maxTokens !== undefined) body['max_output_tokens'] = request.maxTokens;
  if (request.temperature !== undefined) body['temperature'] = request.temperature;
  if (request.topP !== undefined) body['top_p'] = request.topP;
  if (request.user !== undefined) body['safety_identifier'] = request.user;
  if (request.promptCacheKey !== undefined) body['prompt_cache_key'] = request.promptCacheKey;
  body['store'] = false;
  body['include'] = ['reasoning.encrypted_content'];
  if (options.stream) body['stream'] = true;
  return body;
}

function refuseMissingFields(request: ChatRequest, providerId: string): void {
  const missing = (param: string, what: string): never => {
    throw new GatewayError(
      'unsupported',
      `${providerId} (OpenAI Responses API) has no ${what} (\`${param}\`).`,
      { param, provider: providerId },
    );
  };
  if (request.n !== undefined && request.n > 1) missing('n', 'more than one choice');
  if (request.stop !== undefined && request.stop.length > 0) missing('stop', 'stop sequences');
  if (request.seed !== undefined) missing('seed', 'seed');
  if (request.presencePenalty !== undefined) missing('presence_penalty', 'presence penalty');
  if (request.frequencyPenalty !== undefined) missing('frequency_penalty', 'frequency penalty');
}

function encodeMessage(message: Message, input: JsonObject[], providerId: string): void {
  switch (message.role) {
    case 'system':
      input.push({
        type: 'message',
        role: 'system',
        content: [{ type: 'input_text', text: message.content }],
      });
      return;
    case 'user':
      input.push({ type: 'message', role: 'user', content: message.content.map(encodeUserPart) });
      return;
    case 'assistant':
      encodeAssistant(message, input, providerId);
      return;
    case 'tool':
      input.push({
        type: 'function_call_output',
        call_id: message.toolCallId,
        output: toolOutputText(message),
      });
      return;
  }
}

function encodeUserPart(part: ContentPart): JsonObject {
  return part.type === 'text'
    ? { type: 'input_text', text: part.text }
    : { type: 'input_image', image_url: part.url, detail: part.detail ?? 'auto' };
}

/**
 * An assistant turn: its reasoning items (only those this wire produced: their token is the
 * upstream's `encrypted_content`), its message, then one `function_call` per tool call.
 */
function encodeAssistant(message: AssistantMessage, input: JsonObject[], providerId: string): void {
  for (const block of message.reasoning ?? []) {
    if (block.type !== 'encrypted') {
      throw new GatewayError(
        'unsupported',
        `${providerId} (OpenAI Responses API) takes earlier reasoning back only as its own encrypted reasoning items; these \`reasoning\` input items come from another provider. Leave them out of the input.`,
        { param: 'input', provider: providerId },
      );
    }
    const item: JsonObject = {
      type: 'reasoning',
      summary: block.text === '' ? [] : [{ type: 'summary_text', text: block.text }],
      encrypted_content: block.data,
    };
    if (block.id !== undefined) item['id'] = block.id;
    input.push(item);
  }
  if (message.content !== '') {
    input.push({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'output_text', text: message.content }],
    });
  }
  for (const call of message.toolCalls ?? []) {
    input.push({
      type: 'function_call',
      call_id: call.id,
      name: call.name,
      arguments: call.arguments,
    });
  }
}

/** Responses function tools are strict by default; the canonical default (like chat's) is not. */
function encodeTool(tool: ToolDefinition): JsonObject {
  const encoded: JsonObject = { type: 'function', name: tool.name };
  if (tool.description !== undefined) encoded['description'] = tool.description;
  encoded['parameters'] = tool.parameters;
  encoded['strict'] = tool.strict ?? false;
  return encoded;
}

function encodeToolChoice(choice: ToolChoice): string | JsonObject {
  if (typeof choice === 'string') return choice;
  return { type: 'function', name: choice.name };
}

function encodeTextFormat(format: ResponseFormat): JsonObject {
  if (format.type !== 'json_schema') return { type: format.type };
  const encoded: JsonObject = { type: 'json_schema', name: format.name };
  if (format.description !== undefined) encoded['description'] = format.description;
  encoded['schema'] = format.schema;
  if (format.strict !== undefined) encoded['strict'] = format.strict;
  return encoded;
}
