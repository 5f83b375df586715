import { BOTH, NEITHER, type FieldPolicy } from '../field-policy.js';

/**
 * Every request field of `POST /v1/messages` (and the `anthropic-beta` header) and what happens
 * to it per upstream wire (see src/dialects/field-policy.ts; docs/compatibility.md has the table).
 */
export const MESSAGES_FIELD_POLICY: FieldPolicy = {
  model: BOTH,
  max_tokens: BOTH,
  messages: BOTH,
  system: BOTH,
  metadata: BOTH,
  stop_sequences: BOTH,
  stream: BOTH,
  temperature: BOTH,
  top_p: BOTH,
  tools: BOTH,
  tool_choice: BOTH,
  thinking: BOTH,
  output_config: BOTH,
  top_k: {
    'openai-compatible': { quirk: 'topK', passWhen: true },
    anthropic: 'pass',
    canonical: 'topK',
    reason: 'the upstream takes no top_k',
  },
  service_tier: {
    'openai-compatible': { quirk: 'serviceTier', passWhen: true },
    anthropic: 'pass',
    canonical: 'serviceTier',
    reason: 'the upstream has no service tiers',
  },
  context_management: {
    'openai-compatible': 'translate',
    anthropic: 'pass',
    canonical: 'contextManagement',
  },
  'anthropic-beta': {
    'openai-compatible': 'translate',
    anthropic: 'pass',
    canonical: 'anthropicBeta',
    header: true,
  },
  container: { ...NEITHER, reason: 'code execution containers are not served' },
  mcp_servers: { ...NEITHER, reason: 'the MCP connector runs on Anthropic’s platform' },
  inference_geo: { ...NEITHER, reason: 'data residency is chosen by provider configuration' },
};
