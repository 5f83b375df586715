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
 *   [[sim:tool=NAME]] with tools offered and the choice left to the model: call the tool NAME
 *                     (default: the first one); `none`: answer with text instead
 *   [[sim:args=JSON]] the arguments of that call, as JSON text on one line (default: generated
 *                     from the tool's schema); [[sim:args64=…]] the same JSON in base64, for
 *                     clients that escape quotes in the prompt they send
 * After a tool result the answer is text, so an agent's loop ends after one call.
 *
 * A fault may be scoped and counted: `[[sim:fault=503@sim-qwen*2]]` applies only when served by
 * provider (or model) `sim-qwen`, and only to the first 2 identical requests (then it answers).
 * Directives are removed from the text before the answer is hashed, so a request answers the same
 * with or without them (except `tokens`, which sets the length).
 */
export type SimFaultKind =
  | '401'
  | '429'
  | '500'
  | '503'
  | '529'
  | 'reset'
  | 'cut'
  | 'hang'
  | 'stall'
  | 'midstream'
  | 'malformed';

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
  /** The tool to call when the model may choose (`none`: no call). */
  tool?: string;
  /** JSON text of the call's arguments. */
  toolArguments?: string;
}

/** A value runs to the last `]]` of a run of brackets, so JSON arguments may hold arrays. */
export const DIRECTIVE_PATTERN = /\[\[sim:([a-z0-9]+)=(.*?)\]\](?!\])/g;
const FAULT_KINDS = new Set<string>([
  '401',
  '429',
  '500',
  '503',
  '529',
  'reset',
  'cut',
  'hang',
  'stall',
  'midstream',
  'malformed',
]);
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
    if (key === 'tool' && value !== '') {
      directives.tool = value;
      continue;
    }
    if (key === 'args' || key === 'args64') {
      const json = key === 'args' ? value : Buffer.from(value, 'base64').toString('utf8');
      if (isJson(json)) directives.toolArguments = json;
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

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The tool a model free to choose calls: the one the directives name (none for `none`), else the first. */
export function steeredTool<T extends { name: string }>(
  definitions: readonly T[],
  directives: SimDirectives,
): (T & { arguments?: string }) | undefined {
  if (directives.tool === 'none') return undefined;
  const named =
    directives.tool === undefined
      ? undefined
      : definitions.find((definition) => definition.name === directives.tool);
  const chosen = named ?? definitions[0];
  if (chosen === undefined) return undefined;
  return directives.toolArguments === undefined
    ? chosen
    : { ...chosen, arguments: directives.toolArguments };
}

/** Removes every directive from a text (used before hashing). */
export function stripDirectives(text: string): string {
  return text.includes('[[sim:') ? text.replace(DIRECTIVE_PATTERN, '') : text;
}
