import type { Agent } from 'node:http';

export type SlowlorisPhase = 'headers' | 'body';

export const ATTACK_HEAD: Record<SlowlorisPhase, string>;

export interface SlowlorisResult {
  phase: SlowlorisPhase;
  /** Milliseconds from connecting until the server closed the connection. */
  openMs: number;
  /** Everything the server sent. */
  text: string;
}

export function slowloris(
  url: string,
  phase: SlowlorisPhase,
  giveUpMs?: number,
): Promise<SlowlorisResult>;

export function timedChat(url: string, agent: Agent): Promise<number>;
