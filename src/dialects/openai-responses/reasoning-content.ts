import { GatewayError } from '../../core/errors.js';
import {
  invalidRequest,
  requireArray,
  requireObject,
  requireString,
  type JsonObject,
} from '../field-readers.js';

/**
 * `encrypted_content` of the reasoning items this gateway writes (when the client asks for
 * `include: ["reasoning.encrypted_content"]`): an opaque token, not a secret — it carries the
 * same reasoning text the item's summary shows, so a client that keeps no state can pass the
 * item back. Tokens from elsewhere (OpenAI's own) cannot be read here and are refused.
 */
const TOKEN_PREFIX = 'swy1.';

export function encryptedReasoning(text: string): string {
  return TOKEN_PREFIX + Buffer.from(text, 'utf8').toString('base64url');
}

/** Checks a reasoning item passed back as input; returns its reasoning text. */
export function decodeReasoningItem(item: JsonObject, param: string): string {
  const summary = requireArray(item.summary ?? [], `${param}.summary`);
  let text = '';
  for (let index = 0; index < summary.length; index++) {
    const partParam = `${param}.summary[${index}]`;
    const part = requireObject(summary[index], partParam);
    if (part.type !== 'summary_text')
      throw invalidRequest(`\`${partParam}.type\` must be "summary_text"`, `${partParam}.type`);
    text += requireString(part.text, `${partParam}.text`);
  }
  if (item.content !== undefined && item.content !== null) {
    const content = requireArray(item.content, `${param}.content`);
    for (let index = 0; index < content.length; index++) {
      const partParam = `${param}.content[${index}]`;
      const part = requireObject(content[index], partParam);
      if (part.type !== 'reasoning_text')
        throw invalidRequest(`\`${partParam}.type\` must be "reasoning_text"`, `${partParam}.type`);
      requireString(part.text, `${partParam}.text`);
    }
  }
  const token = item.encrypted_content;
  if (token !== undefined && token !== null) {
    if (typeof token !== 'string' || !token.startsWith(TOKEN_PREFIX)) {
      throw new GatewayError(
        'unsupported',
        "This reasoning item carries `encrypted_content` that this gateway did not issue (for example OpenAI's own); it cannot be passed to the upstreams served here. Drop the reasoning item or its encrypted_content.",
        { param: `${param}.encrypted_content` },
      );
    }
  }
  return text;
}
