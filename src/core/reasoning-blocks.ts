import type { ReasoningBlock } from './request.js';
import type { Choice, StreamPart } from './response.js';

export type ReasoningPart = Extract<
  StreamPart,
  { type: 'reasoning-delta' | 'reasoning-signature' | 'reasoning-redacted' | 'reasoning-encrypted' }
>;

/**
 * Builds a choice's reasoning from its stream parts: the text of every `reasoning-delta`, and the
 * blocks the upstream delimited (a `reasoning-signature` ends a signed thinking block, a
 * `reasoning-encrypted` an encrypted Responses item, a `reasoning-redacted` is a block of its
 * own). Blocks are kept only when some are delimited: unsigned reasoning is just its text.
 */
export class ReasoningAccumulator {
  text = '';
  private open = '';
  private readonly blocks: ReasoningBlock[] = [];
  private delimited = false;

  push(part: ReasoningPart): void {
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
      case 'reasoning-encrypted':
        this.blocks.push(encryptedBlock(this.open, part.data, part.id));
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

export function encryptedBlock(text: string, data: string, id: string | undefined): ReasoningBlock {
  return id === undefined
    ? { type: 'encrypted', text, data }
    : { type: 'encrypted', text, data, id };
}

/** A choice's reasoning as stream parts, blocks, signatures and encrypted items included. */
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
    if (block.type === 'encrypted') {
      parts.push(
        block.id === undefined
          ? { type: 'reasoning-encrypted', index, data: block.data }
          : { type: 'reasoning-encrypted', index, data: block.data, id: block.id },
      );
    } else if (block.signature !== undefined)
      parts.push({ type: 'reasoning-signature', index, signature: block.signature });
  }
  return parts;
}
