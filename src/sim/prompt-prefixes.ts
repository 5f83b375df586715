import { hashText } from './hash-text.js';

/** One place where a cached prompt prefix may end: after a block (Anthropic) or a message. */
export interface PromptPrefix {
  /** Hash of the prompt up to and including this block, cache marks left out. */
  hash: number;
  /** Prompt tokens up to and including this block (never more than the request's prompt). */
  tokens: number;
  /** The block carries a cache mark (`cache_control`), with its lifetime. */
  mark?: '5m' | '1h';
}

type Block = Record<string, unknown>;

function isRecord(value: unknown): value is Block {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function markOf(block: unknown): '5m' | '1h' | undefined {
  if (!isRecord(block) || !isRecord(block['cache_control'])) return undefined;
  return block['cache_control']['ttl'] === '1h' ? '1h' : '5m';
}

/** The block as hashed: without its cache mark, so a mark that moves does not change the prefix. */
function unmarked(block: unknown): string {
  if (!isRecord(block) || block['cache_control'] === undefined) return JSON.stringify(block);
  const { cache_control: _mark, ...rest } = block;
  return JSON.stringify(rest);
}

interface Piece {
  /** What is hashed (the block's JSON). */
  text: string;
  /** What is counted: the text the prompt-token estimate reads from this block. */
  counted: string;
  mark: '5m' | '1h' | undefined;
}

/** The text a block contributes to the prompt-token estimate. */
function countedText(block: unknown): string {
  if (typeof block === 'string') return block;
  if (!isRecord(block)) return '';
  if (typeof block['text'] === 'string') return block['text'];
  if (block['type'] === 'tool_use') return `${block['name']}\n${JSON.stringify(block['input'])}`;
  if (block['type'] === 'tool_result') {
    const content = block['content'];
    if (!Array.isArray(content)) return countedText(content);
    return content.map(countedText).join('\n');
  }
  if (typeof block['thinking'] === 'string') return block['thinking'];
  return '';
}

/**
 * Cumulative prefixes of a list of pieces. Tokens are estimated per piece (4 characters a token,
 * as everywhere in the simulator), so a prefix counts the same whatever follows it, capped at
 * the request's prompt tokens.
 */
function prefixesOf(pieces: Piece[], promptTokens: number): PromptPrefix[] {
  const prefixes: PromptPrefix[] = [];
  let hash = 0;
  let tokens = 0;
  for (const piece of pieces) {
    hash = hashText(`${hash}\n${piece.text}`);
    tokens += Math.ceil(piece.counted.length / 4);
    const prefix: PromptPrefix = { hash, tokens: Math.min(tokens, promptTokens) };
    if (piece.mark !== undefined) prefix.mark = piece.mark;
    prefixes.push(prefix);
  }
  return prefixes;
}

/**
 * Anthropic Messages: the cache prefix order is tools, then system, then messages; every block
 * is a possible breakpoint (`cache_control` on tools, system text blocks and content blocks).
 */
export function anthropicPrefixes(body: Block, promptTokens: number): PromptPrefix[] {
  const pieces: Piece[] = [];
  const tools = body['tools'];
  if (Array.isArray(tools))
    for (const tool of tools) {
      const text = unmarked(tool);
      pieces.push({ text: `tool ${text}`, counted: text, mark: markOf(tool) });
    }
  const system = body['system'];
  if (typeof system === 'string' && system !== '')
    pieces.push({ text: `system ${system}`, counted: system, mark: undefined });
  else if (Array.isArray(system))
    for (const block of system)
      pieces.push({
        text: `system ${unmarked(block)}`,
        counted: countedText(block),
        mark: markOf(block),
      });
  const messages = Array.isArray(body['messages']) ? body['messages'] : [];
  for (const message of messages) {
    if (!isRecord(message)) continue;
    const role = String(message['role']);
    const content = message['content'];
    if (typeof content === 'string')
      pieces.push({ text: `${role} ${content}`, counted: content, mark: undefined });
    else if (Array.isArray(content))
      content.forEach((block, index) => {
        pieces.push({
          text: `${index === 0 ? role : '+'} ${unmarked(block)}`,
          counted: countedText(block),
          mark: markOf(block),
        });
      });
  }
  return prefixesOf(pieces, promptTokens);
}

/**
 * OpenAI chat: tools first (one piece), then one piece per message. With `blocks`, a message
 * whose content is a part array gives one piece per part, carrying its `cache_control` mark (the
 * OpenRouter convention), and string content counts as one text part (as an Anthropic model
 * behind OpenRouter sees it, so an earlier turn sent unmarked still matches the cached prefix);
 * otherwise marks are ignored and each message is one piece.
 */
export function openAiPrefixes(body: Block, promptTokens: number, blocks: boolean): PromptPrefix[] {
  const pieces: Piece[] = [];
  if (body['tools'] !== undefined) {
    const text = JSON.stringify(body['tools']);
    pieces.push({ text: `tools ${text}`, counted: text, mark: undefined });
  }
  const messages = Array.isArray(body['messages']) ? body['messages'] : [];
  for (const message of messages) {
    if (!isRecord(message)) continue;
    const content =
      blocks && typeof message['content'] === 'string'
        ? [{ type: 'text', text: message['content'] }]
        : message['content'];
    if (blocks && Array.isArray(content)) {
      const { content: _content, ...head } = message;
      content.forEach((part, index) => {
        const text = `${index === 0 ? JSON.stringify(head) : '+'} ${unmarked(part)}`;
        pieces.push({ text, counted: countedText(part), mark: markOf(part) });
      });
    } else {
      const text = Array.isArray(content)
        ? JSON.stringify({ ...message, content: content.map(unmarked) })
        : JSON.stringify(message);
      pieces.push({ text, counted: openAiCounted(message), mark: undefined });
    }
  }
  return prefixesOf(pieces, promptTokens);
}

/** The text an OpenAI chat message contributes to the prompt-token estimate. */
function openAiCounted(message: Block): string {
  const content = message['content'];
  let text = Array.isArray(content) ? content.map(countedText).join('\n') : countedText(content);
  const calls = message['tool_calls'];
  if (Array.isArray(calls))
    for (const call of calls) {
      const fn = isRecord(call) ? call['function'] : undefined;
      if (isRecord(fn)) text += `\n${String(fn['name'])}\n${String(fn['arguments'])}`;
    }
  return text;
}
