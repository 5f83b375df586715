import type { ReasoningBlock } from '../../core/request.js';
import {
  invalidRequest,
  optionalString,
  requireArray,
  requireObject,
  requireString,
  type JsonObject,
} from '../field-readers.js';
import { checkItem } from '../nested-field-policy.js';
import { RESPONSES_NESTED_POLICY as POLICY } from './responses-nested-field-policy.js';

/**
 * `encrypted_content` of the reasoning items this gateway writes: an opaque token, not a secret.
 * It is the item's canonical reasoning block — its text and, when the upstream gave one, that
 * upstream's own token (an OpenAI Responses item's `encrypted_content` and id, an Anthropic
 * thinking signature or redacted block) — so a client that keeps no state can pass the item back
 * and the reasoning goes back to the wire that produced it (ADR 0013). `swy2.` + base64url(JSON);
 * `swy1.` + base64url(text) was the earlier, text-only form and is still read. A token this
 * gateway did not write (OpenAI's own, from a session that began elsewhere) is taken as an OpenAI
 * Responses item: it can go back only to a Responses upstream.
 */
const TOKEN_PREFIX = 'swy2.';
const TEXT_TOKEN_PREFIX = 'swy1.';

export function encryptedReasoning(block: ReasoningBlock): string {
  return TOKEN_PREFIX + Buffer.from(JSON.stringify(block), 'utf8').toString('base64url');
}

/** The text a reasoning block shows (a redacted one shows none). */
export function reasoningText(block: ReasoningBlock): string {
  return block.type === 'redacted' ? '' : block.text;
}

/** Checks a reasoning item passed back as input; returns it as a canonical reasoning block. */
export function decodeReasoningItem(item: JsonObject, param: string): ReasoningBlock {
  const summary = requireArray(item.summary ?? [], `${param}.summary`);
  let text = '';
  for (let index = 0; index < summary.length; index++) {
    const partParam = `${param}.summary[${index}]`;
    const part = requireObject(summary[index], partParam);
    checkItem(part, POLICY, 'input[reasoning].summary', partParam);
    if (part.type !== 'summary_text')
      throw invalidRequest(`\`${partParam}.type\` must be "summary_text"`, `${partParam}.type`);
    text += requireString(part.text, `${partParam}.text`);
  }
  if (item.content !== undefined && item.content !== null) {
    const content = requireArray(item.content, `${param}.content`);
    for (let index = 0; index < content.length; index++) {
      const partParam = `${param}.content[${index}]`;
      const part = requireObject(content[index], partParam);
      checkItem(part, POLICY, 'input[reasoning].content', partParam);
      if (part.type !== 'reasoning_text')
        throw invalidRequest(`\`${partParam}.type\` must be "reasoning_text"`, `${partParam}.type`);
      const piece = requireString(part.text, `${partParam}.text`);
      // Raw reasoning text is the fuller form of the summary: kept when there is no summary.
      if (summary.length === 0) text += piece;
    }
  }
  const token = optionalString(item.encrypted_content, `${param}.encrypted_content`);
  if (token === undefined || token === '') return { type: 'thinking', text };
  if (token.startsWith(TEXT_TOKEN_PREFIX))
    return { type: 'thinking', text: decodeBase64(token.slice(TEXT_TOKEN_PREFIX.length), param) };
  if (!token.startsWith(TOKEN_PREFIX)) {
    const id = optionalString(item.id, `${param}.id`);
    return id === undefined
      ? { type: 'encrypted', text, data: token }
      : { type: 'encrypted', text, data: token, id };
  }
  return unwrapBlock(decodeBase64(token.slice(TOKEN_PREFIX.length), param), param);
}

function unwrapBlock(json: string, param: string): ReasoningBlock {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw changed(param);
  }
  const block = value as Partial<Record<string, unknown>> | null;
  if (typeof block !== 'object' || block === null) throw changed(param);
  const optional = (key: string): string | undefined => {
    const entry = block[key];
    if (entry === undefined) return undefined;
    if (typeof entry !== 'string') throw changed(param);
    return entry;
  };
  const text = optional('text');
  const data = optional('data');
  if (block.type === 'thinking' && text !== undefined) {
    const signature = optional('signature');
    return signature === undefined
      ? { type: 'thinking', text }
      : { type: 'thinking', text, signature };
  }
  if (block.type === 'redacted' && data !== undefined) return { type: 'redacted', data };
  if (block.type === 'encrypted' && text !== undefined && data !== undefined) {
    const id = optional('id');
    return id === undefined
      ? { type: 'encrypted', text, data }
      : { type: 'encrypted', text, data, id };
  }
  throw changed(param);
}

function changed(param: string) {
  return invalidRequest(
    `\`${param}.encrypted_content\` is not a reasoning token this gateway wrote (it was changed)`,
    `${param}.encrypted_content`,
  );
}

function decodeBase64(text: string, param: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw changed(param);
  return Buffer.from(text, 'base64url').toString('utf8');
}
