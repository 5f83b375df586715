import type { ChatRequest, ThinkingConfig } from '../../core/request.js';
import {
  invalidRequest,
  optionalInteger,
  optionalString,
  requireObject,
  type JsonObject,
} from '../field-readers.js';
import { checkItem, checkNestedFields } from '../nested-field-policy.js';
import { MESSAGES_NESTED_POLICY as POLICY } from './messages-nested-field-policy.js';

const SERVICE_TIERS = new Set(['auto', 'standard_only']);
const EDIT_TYPES = /^clear_(thinking|tool_uses)_\d{8}$/;

/**
 * The Messages fields beyond messages, sampling, tools and output_config: `thinking`, `top_k`,
 * `service_tier`, `context_management`, and the `anthropic-beta` header (comma-separated values,
 * one header or several).
 */
export function decodeMessagesOptions(
  body: JsonObject,
  request: ChatRequest,
  betaHeader: string | string[] | undefined,
): void {
  const thinking = decodeThinking(body.thinking, request.maxTokens);
  if (thinking !== undefined) request.thinking = thinking;
  const topK = optionalInteger(body.top_k, 'top_k', 0);
  if (topK !== undefined) request.topK = topK;
  const tier = optionalString(body.service_tier, 'service_tier');
  if (tier !== undefined) {
    if (!SERVICE_TIERS.has(tier))
      throw invalidRequest('`service_tier` must be "auto" or "standard_only"', 'service_tier');
    request.serviceTier = tier;
  }
  if (body.context_management !== undefined && body.context_management !== null)
    request.contextManagement = decodeContextManagement(body.context_management);
  const betas = decodeBetas(betaHeader);
  if (betas !== undefined) request.anthropicBeta = betas;
}

function decodeThinking(value: unknown, maxTokens: number | undefined): ThinkingConfig | undefined {
  if (value === undefined || value === null) return undefined;
  const thinking = requireObject(value, 'thinking');
  checkItem(thinking, POLICY, 'thinking', 'thinking');
  const display = optionalString(thinking.display, 'thinking.display');
  if (display !== undefined && display !== 'summarized' && display !== 'omitted')
    throw invalidRequest(
      '`thinking.display` must be one of summarized, omitted',
      'thinking.display',
    );
  switch (thinking.type) {
    case 'enabled': {
      const budget = optionalInteger(thinking.budget_tokens, 'thinking.budget_tokens', 1024);
      if (budget === undefined)
        throw invalidRequest(
          '`thinking.budget_tokens` is required (an integer ≥ 1024)',
          'thinking.budget_tokens',
        );
      if (maxTokens !== undefined && budget >= maxTokens)
        throw invalidRequest(
          '`max_tokens` must be greater than `thinking.budget_tokens`',
          'thinking.budget_tokens',
        );
      return { type: 'enabled', budgetTokens: budget };
    }
    case 'adaptive':
      return { type: 'adaptive' };
    case 'disabled':
      return { type: 'disabled' };
    default:
      throw invalidRequest(
        '`thinking.type` must be one of enabled, adaptive, disabled',
        'thinking.type',
      );
  }
}

/** Checked for shape (`edits`: objects with a known `type`), then kept as sent for Anthropic upstreams. */
function decodeContextManagement(value: unknown): Record<string, unknown> {
  const config = requireObject(value, 'context_management');
  checkNestedFields(config, POLICY, 'context_management', 'context_management');
  const edits = config.edits;
  if (edits !== undefined && edits !== null) {
    if (!Array.isArray(edits))
      throw invalidRequest(
        '`context_management.edits` must be an array',
        'context_management.edits',
      );
    edits.forEach((edit, index) => {
      const param = `context_management.edits[${index}]`;
      const type = requireObject(edit, param).type;
      if (typeof type !== 'string' || !EDIT_TYPES.test(type))
        throw invalidRequest(
          `\`${param}.type\` must be a clear_thinking_… or clear_tool_uses_… edit`,
          `${param}.type`,
        );
    });
  }
  return config;
}

function decodeBetas(header: string | string[] | undefined): string[] | undefined {
  if (header === undefined) return undefined;
  const values = (Array.isArray(header) ? header : [header])
    .flatMap((entry) => entry.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return values.length === 0 ? undefined : values;
}
