/**
 * In-band test directives: `[[sim:key=value]]` anywhere in the last user message text.
 *
 *   [[sim:fault=429]]   429 + retry-after      [[sim:fault=500]] / 503 / 529 (529: anthropic wire)
 *   [[sim:fault=reset]] socket destroyed        [[sim:fault=cut]]  partial answer, then destroyed
 *   [[sim:fault=hang]]  never answers           [[sim:fault=stall]] stream: a few chunks, then silence
 *   [[sim:fault=midstream]] stream: a few chunks, then an in-stream error event
 *   [[sim:fault=malformed]] broken JSON text in JSON mode
 *   [[sim:fault=401]] the provider refuses the key (401 in the wire's shape)
 *   [[sim:tokens=N]]  answer length   [[sim:ttft=MS]]  [[sim:tps=N]]  (absolute: not × timeScale)
 *
 * A fault may be scoped and counted: `[[sim:fault=503@sim-qwen*2]]` applies only when served by
 * provider (or model) `sim-qwen`, and only to the first 2 identical requests (then it answers).
 * Directives are removed from the text before the answer is hashed, so a request answers the same
 * with or without them (except `tokens`, which sets the length).
 */
export type SimFaultKind = '401' | '429' | '500' | '503' | '529' | 'reset' | 'cut' | 'hang' | 'stall' | 'midstream' | 'malformed';

export interface SimFaultDirective {
  kind: SimFaultKind;
  /** Provider id or model name the fault is limited to. */
  target?: string;
  /** Only the first `times` identical requests fail. */
  times?: number;
}

export interface SimDirectives {
  faults: SimFaultDirective[];
  tokens?: number;
  ttftMs?: number;
  tokensPerSecond?: number;
}

export const DIRECTIVE_PATTERN = /\[\[sim:([a-z]+)=([^\]]*)\]\]/g;
const FAULT_KINDS = new Set<string>(['401', '429', '500', '503', '529', 'reset', 'cut', 'hang', 'stall', 'midstream', 'malformed']);
const FAULT_VALUE = /^([a-z0-9]+)(?:@([\w.:/-]+))?(?:\*(\d+))?$/;
const NO_DIRECTIVES: SimDirectives = { faults: [] };

export function parseDirectives(text: string): SimDirectives {
  if (!text.includes('[[sim:')) return NO_DIRECTIVES;
  const directives: SimDirectives = { faults: [] };
  for (const match of text.matchAll(DIRECTIVE_PATTERN)) {
    const key = match[1];
    const value = (match[2] ?? '').trim();
    if (key === 'fault') {
      const parts = FAULT_VALUE.exec(value);
      if (parts === null || !FAULT_KINDS.has(parts[1] ?? '')) continue;
      const fault: SimFaultDirective = { kind: parts[1] as SimFaultKind };
      if (parts[2] !== undefined) fault.target = parts[2];
      if (parts[3] !== undefined) fault.times = Number(parts[3]);
      directives.faults.push(fault);
      continue;
    }
    const number = Number(value);
    if (!Number.isFinite(number) || number < 0) continue;
    if (key === 'tokens') directives.tokens = Math.max(1, Math.floor(number));
    else if (key === 'ttft') directives.ttftMs = number;
    else if (key === 'tps' && number > 0) directives.tokensPerSecond = number;
  }
  return directives;
}

/** Removes every directive from a text (used before hashing). */
export function stripDirectives(text: string): string {
  return text.includes('[[sim:') ? text.replace(DIRECTIVE_PATTERN, '') : text;
}
