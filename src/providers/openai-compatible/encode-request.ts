import { GatewayError } from '../../core/errors.js';
import type { ProviderQuirks } from '../../core/provider.js';
import { encodeChatMessages } from './encode-chat-messages.js';
import type {
  ChatRequest,
  CompletionRequest,
  ResponseFormat,
  SamplingParams,
  ToolChoice,
  ToolDefinition,
} from '../../core/request.js';
import { encodeChatOptions, withJsonWord } from './encode-chat-options.js';

/** What encoding needs besides the request. */
export interface EncodeOptions {
  providerId: string;
  upstreamModel: string;
  quirks: ProviderQuirks;
  stream: boolean;
}

type JsonObject = Record<string, unknown>;

/** Canonical chat request → OpenAI `/chat/completions` body. */
export function encodeChatBody(request: ChatRequest, options: EncodeOptions): JsonObject {
  const body: JsonObject = {
    model: options.upstreamModel,
    messages: encodeChatMessages(
      withJsonWord(request, options.quirks),
      options.quirks.cacheControl,
      {
        providerId: options.providerId,
        takesReasoning: options.quirks.thinkingParam,
      },
    ),
  };
  const hasTools = request.tools !== undefined && request.tools.length > 0;
  if (hasTools) body['tools'] = (request.tools as ToolDefinition[]).map(encodeTool);
  if (request.toolChoice !== undefined) body['tool_choice'] = encodeToolChoice(request.toolChoice);
  // OpenAI rejects parallel_tool_calls without tools.
  if (request.parallelToolCalls !== undefined && hasTools)
    body['parallel_tool_calls'] = request.parallelToolCalls;
  if (request.responseFormat !== undefined)
    body['response_format'] = encodeResponseFormat(request.responseFormat);
  if (request.maxTokens !== undefined) {
    body[options.quirks.maxCompletionTokens ? 'max_completion_tokens' : 'max_tokens'] =
      request.maxTokens;
  }
  encodeSampling(request, body, options);
  encodeChatOptions(request, body, options.quirks, options.providerId);
  encodeStream(body, options);
  return body;
}

/** Canonical completion request → OpenAI `/completions` body (legacy and FIM). */
export function encodeCompletionBody(
  request: CompletionRequest,
  options: EncodeOptions,
): JsonObject {
  const prompt = request.prompt.length === 1 ? request.prompt[0] : request.prompt;
  const body: JsonObject = { model: options.upstreamModel, prompt };
  if (request.suffix !== undefined) body['suffix'] = request.suffix;
  if (request.echo !== undefined) body['echo'] = request.echo;
  // `max_completion_tokens` exists only on chat; /completions always takes `max_tokens`.
  if (request.maxTokens !== undefined) body['max_tokens'] = request.maxTokens;
  encodeSampling(request, body, options);
  encodeStream(body, options);
  return body;
}

function encodeSampling(request: SamplingParams, body: JsonObject, options: EncodeOptions): void {
  if (request.temperature !== undefined) body['temperature'] = request.temperature;
  if (request.topP !== undefined) body['top_p'] = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) body['stop'] = request.stop;
  // Refused before the attempt where the provider has no seed (src/dialects/field-policy.ts).
  if (request.seed !== undefined && !options.quirks.noSeed) body['seed'] = request.seed;
  if (request.n !== undefined && request.n > 1) {
    if (options.quirks.noMultipleChoices) {
      throw new GatewayError(
        'unsupported',
        `${options.providerId} does not support more than one choice (n > 1).`,
        {
          param: 'n',
          provider: options.providerId,
        },
      );
    }
    body['n'] = request.n;
  }
  if (request.presencePenalty !== undefined) body['presence_penalty'] = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) body['frequency_penalty'] = request.frequencyPenalty;
  if (request.user !== undefined) body['user'] = request.user;
}

/**
 * Streaming always asks for usage when the upstream accepts `stream_options`: the gateway needs
 * the counts whether or not the client asked; hiding them from the client is the dialect's job.
 */
function encodeStream(body: JsonObject, options: EncodeOptions): void {
  if (!options.stream) return;
  body['stream'] = true;
  if (options.quirks.streamUsage) body['stream_options'] = { include_usage: true };
}

function encodeTool(tool: ToolDefinition): JsonObject {
  const definition: JsonObject = { name: tool.name };
  if (tool.description !== undefined) definition['description'] = tool.description;
  definition['parameters'] = tool.parameters;
  if (tool.strict !== undefined) definition['strict'] = tool.strict;
  return { type: 'function', function: definition };
}

function encodeToolChoice(choice: ToolChoice): string | JsonObject {
  if (typeof choice === 'string') return choice;
  return { type: 'function', function: { name: choice.name } };
}

function encodeResponseFormat(format: ResponseFormat): JsonObject {
  if (format.type !== 'json_schema') return { type: format.type };
  const schema: JsonObject = { name: format.name };
  if (format.description !== undefined) schema['description'] = format.description;
  schema['schema'] = format.schema;
  if (format.strict !== undefined) schema['strict'] = format.strict;
  return { type: 'json_schema', json_schema: schema };
}
