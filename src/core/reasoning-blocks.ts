import type { ReasoningBlock } from './request.js';
import type { Choice, StreamPart } from './response.js';

/**
 * Builds a choice's reasoning from its stream parts: the text of every `reasoning-delta`, and the
 * blocks an Anthropic upstream delimited (a `reasoning-signature` ends a signed thinking block, a
 * `reasoning-redacted` is a block of its own). Blocks are kept only when some are signed or
 * redacted: unsigned reasoning is just its text.
 */
export class ReasoningAccumulator {
  text = '';
  private open = '';
  private readonly blocks: ReasoningBlock[] = [];
  private delimited = false;

  push(
    part: Extract<
      StreamPart,
      { type: 'reasoning-delta' | 'reasoning-signature' | 'reasoning-redacted' }
    >,
  ): void {
    switch (part.type) {
      case 'reasoning-delta':
        this.text += part.text;
        this.open += part.text;
        break;
      case 'reasoning-signature':
        this.blocks.push({ type: 'thinking', text: this.open, signature: part.signature });
        this.open = '';
        this.delimited = true;
        break;
      case 'reasoning-redacted':
        this.closeOpen();
        this.blocks.push({ type: 'redacted', data: part.data });
        this.delimited = true;
        break;
    }
  }

  /** Sets `reasoning` and `reasoningBlocks` on the choice (when there are any). */
  applyTo(choice: Choice): void {
    if (this.text !== '') choice.reasoning = this.text;
    if (!this.delimited) return;
    this.closeOpen();
    choice.reasoningBlocks = this.blocks;
  }

  private closeOpen(): void {
    if (this.open === '') return;
    this.blocks.push({ type: 'thinking', text: this.open });
    this.open = '';
  }
}

/** A choice's reasoning as stream parts, blocks and signatures included. */
export function reasoningParts(choice: Choice): StreamPart[] {
  const index = choice.index;
  if (choice.reasoningBlocks === undefined)
    return choice.reasoning ? [{ type: 'reasoning-delta', index, text: choice.reasoning }] : [];
  const parts: StreamPart[] = [];
  for (const block of choice.reasoningBlocks) {
    if (block.type === 'redacted') {
      parts.push({ type: 'reasoning-redacted', index, data: block.data });
      continue;
    }
    if (block.text !== '') parts.push({ type: 'reasoning-delta', index, text: block.text });
    if (block.signature !== undefined)
      parts.push({ type: 'reasoning-signature', index, signature: block.signature });
  }
  return parts;
}
