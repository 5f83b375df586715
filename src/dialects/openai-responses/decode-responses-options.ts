import { GatewayError } from '../../core/errors.js';
import type { ChatRequest } from '../../core/request.js';
import {
  invalidRequest,
  optionalBoolean,
  optionalInteger,
  optionalString,
  requireArray,
  requireObject,
  requireString,
  type JsonObject,
} from '../field-readers.js';
import { checkNestedFields } from '../nested-field-policy.js';
import { decodeTextFormat } from './decode-responses-tools.js';
import { RESPONSES_NESTED_POLICY as POLICY } from './responses-nested-field-policy.js';

/**
 * The `POST /v1/responses` fields beyond input and tools: value-dependent refusals of platform
 * options, `stream_options`, `text`, `reasoning`, `metadata` and `include` (their keys checked
 * against RESPONSES_NESTED_POLICY).
 */

const SUPPORTED_INCLUDES = new Set(['reasoning.encrypted_content']);

export function refusePlatformOptions(body: JsonObject): void {
  if (optionalBoolean(body.background, 'background') === true) {
    throw new GatewayError(
      'unsupported',
      '`background: true` is not supported: responses are answered while the request is open.',
      { param: 'background' },
    );
  }
  const topLogprobs = optionalInteger(body.top_logprobs, 'top_logprobs', 0, 20);
  if (topLogprobs !== undefined && topLogprobs > 0) {
    throw new GatewayError(
      'unsupported',
      '`top_logprobs` is not supported: log probabilities are not carried through the gateway.',
      { param: 'top_logprobs' },
    );
  }
  const truncation = optionalString(body.truncation, 'truncation');
  if (truncation !== undefined && truncation !== 'disabled') {
    if (truncation === 'auto')
      throw new GatewayError(
        'unsupported',
        '`truncation: "auto"` is not supported: the gateway never drops input items; a prompt over the context window fails over to a larger model or fails with context_length_exceeded.',
        { param: 'truncation' },
      );
    throw invalidRequest('`truncation` must be "auto" or "disabled"', 'truncation');
  }
  const tier = optionalString(body.service_tier, 'service_tier');
  if (tier !== undefined && tier !== 'auto' && tier !== 'default') {
    throw new GatewayError(
      'unsupported',
      `\`service_tier: ${JSON.stringify(tier)}\` is not supported: the gateway routes by its own policy; send "auto" or "default".`,
      { param: 'service_tier' },
    );
  }
}

export function decodeStreamOptions(value: unknown): void {
  if (value === undefined || value === null) return;
  const options = requireObject(value, 'stream_options');
  checkNestedFields(options, POLICY, 'stream_options', 'stream_options');
  // Accepted either way: events carry no obfuscation padding (the gateway is not a side channel's target).
  optionalBoolean(options.include_obfuscation, 'stream_options.include_obfuscation');
}

type Verbosity = ChatRequest['verbosity'];
type Summary = ChatRequest['reasoningSummary'];

export function decodeTextConfig(value: unknown): {
  format?: ChatRequest['responseFormat'];
  wire?: unknown;
  verbosity?: Verbosity;
} {
  if (value === undefined || value === null) return {};
  const text = requireObject(value, 'text');
  checkNestedFields(text, POLICY, 'text', 'text');
  const result: { format?: ChatRequest['responseFormat']; wire?: unknown; verbosity?: Verbosity } =
    {};
  const format = decodeTextFormat(text.format);
  if (format !== undefined) result.format = format;
  if (text.format !== undefined && text.format !== null) result.wire = text.format;
  const verbosity = optionalString(text.verbosity, 'text.verbosity');
  if (verbosity !== undefined) {
    if (verbosity !== 'low' && verbosity !== 'medium' && verbosity !== 'high')
      throw invalidRequest('`text.verbosity` must be one of low, medium, high', 'text.verbosity');
    result.verbosity = verbosity;
  }
  return result;
}

type Effort = ChatRequest['reasoningEffort'];

export function decodeReasoning(value: unknown): {
  effort?: Effort;
  wireEffort?: string;
  summary?: Summary;
} {
  if (value === undefined || value === null) return {};
  const reasoning = requireObject(value, 'reasoning');
  checkNestedFields(reasoning, POLICY, 'reasoning', 'reasoning');
  const result: { effort?: Effort; wireEffort?: string; summary?: Summary } = {};
  const wireEffort = optionalString(reasoning.effort, 'reasoning.effort');
  if (wireEffort !== undefined) {
    const effort = EFFORTS[wireEffort];
    if (effort === undefined)
      throw invalidRequest(
        '`reasoning.effort` must be one of none, minimal, low, medium, high, xhigh',
        'reasoning.effort',
      );
    result.effort = effort;
    result.wireEffort = wireEffort;
  }
  const summary =
    optionalString(reasoning.summary, 'reasoning.summary') ??
    optionalString(reasoning.generate_summary, 'reasoning.generate_summary');
  if (summary !== undefined) {
    if (summary !== 'auto' && summary !== 'concise' && summary !== 'detailed')
      throw invalidRequest(
        '`reasoning.summary` must be one of auto, concise, detailed',
        'reasoning.summary',
      );
    result.summary = summary;
  }
  return result;
}

/** OpenAI's efforts beyond the canonical four map to the nearest one, as on chat. */
const EFFORTS: Record<string, Effort> = {
  none: 'minimal',
  minimal: 'minimal',
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'high',
};

const MAX_METADATA_KEYS = 16;

/** Up to 16 string pairs (keys ≤ 64, values ≤ 512 characters), echoed on the response and stored with it. */
export function decodeMetadata(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  const metadata = requireObject(value, 'metadata');
  const keys = Object.keys(metadata);
  if (keys.length > MAX_METADATA_KEYS)
    throw invalidRequest(`\`metadata\` may hold at most ${MAX_METADATA_KEYS} keys`, 'metadata');
  for (const key of keys) {
    if (key.length > 64)
      throw invalidRequest('`metadata` keys may be at most 64 characters', 'metadata');
    const entry = metadata[key];
    if (typeof entry !== 'string' || entry.length > 512)
      throw invalidRequest(
        `\`metadata.${key}\` must be a string of at most 512 characters`,
        `metadata.${key}`,
      );
  }
  return metadata as Record<string, string>;
}

export function decodeInclude(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  const list = requireArray(value, 'include');
  let encrypted = false;
  for (let index = 0; index < list.length; index++) {
    const entry = requireString(list[index], `include[${index}]`);
    if (!SUPPORTED_INCLUDES.has(entry)) {
      throw new GatewayError(
        'unsupported',
        `\`include\` value ${JSON.stringify(entry)} is not supported; only "reasoning.encrypted_content" is.`,
        { param: `include[${index}]` },
      );
    }
    encrypted = true;
  }
  return encrypted;
}
