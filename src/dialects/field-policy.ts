/**
 * What happens to each request field of a client dialect, per upstream wire, as data: the
 * decoders refuse fields the policy does not know (and fields refused toward every wire), the
 * endpoints refuse a field before an attempt on a wire that cannot take it (so the executor fails
 * over to one that can), and docs/compatibility.md has the same table (a test keeps the two in
 * agreement).
 *
 *   translate  the field becomes canonical request data the adapter writes in the wire's own terms
 *   pass       the field goes upstream as the client sent it (same name, same value)
 *   refuse     400 `unsupported` naming the field (before the attempt: another wire may take it)
 *   quirk      pass when the provider's quirk says the upstream takes it, else refuse
 *   echo       accepted and echoed on the response, not sent upstream (Responses API rows only,
 *              as that dialect does today; each is a known gap)
 */
import { GatewayError } from '../core/errors.js';
import type { ProviderAdapter, ProviderQuirks } from '../core/provider.js';
import type { ChatRequest, CompletionRequest } from '../core/request.js';
import { invalidRequest, type JsonObject } from './field-readers.js';

export type FieldAction = 'translate' | 'pass' | 'refuse' | 'echo';

/** The boolean provider quirks a field can depend on. */
export type BooleanQuirk = {
  [K in keyof ProviderQuirks]: ProviderQuirks[K] extends boolean ? K : never;
}[keyof ProviderQuirks];

/** Pass when `quirks[quirk] === passWhen`, else refuse. */
export interface QuirkGate {
  quirk: BooleanQuirk;
  passWhen: boolean;
}

export type WireRule = FieldAction | QuirkGate;

export type UpstreamWire = ProviderAdapter['wire'];

export interface FieldRule {
  'openai-compatible': WireRule;
  anthropic: WireRule;
  /** The OpenAI Responses wire; when absent, the openai-compatible rule applies. */
  'openai-responses'?: WireRule;
  /** The canonical field it becomes: checked before each attempt against the wire's rule. */
  canonical?: keyof ChatRequest;
  /** A request header rather than a body field. */
  header?: true;
  /** Why it is refused (toward some wire); part of the 400's message. */
  reason?: string;
}

export type FieldPolicy = Readonly<Record<string, FieldRule>>;

/** Translated toward every wire (the common rule). */
export const BOTH = { 'openai-compatible': 'translate', anthropic: 'translate' } as const;
/** Refused toward every wire: the decoder refuses it by name. */
export const NEITHER = { 'openai-compatible': 'refuse', anthropic: 'refuse' } as const;
/** Accepted and echoed, not sent upstream (Responses rows only). */
export const ECHO = { 'openai-compatible': 'echo', anthropic: 'echo' } as const;

/** The wire rule with the quirk resolved: what an attempt on this adapter does with the field. */
export function wireAction(
  rule: FieldRule,
  wire: UpstreamWire,
  quirks?: ProviderQuirks,
): FieldAction {
  const wireRule = rule[wire] ?? rule['openai-compatible'];
  if (typeof wireRule === 'string') return wireRule;
  return quirks !== undefined && quirks[wireRule.quirk] === wireRule.passWhen ? 'pass' : 'refuse';
}

export function refusedEverywhere(rule: FieldRule): boolean {
  return rule['openai-compatible'] === 'refuse' && rule.anthropic === 'refuse';
}

/**
 * Refuses a body field the policy does not list (400 `invalid_request`, ``Unknown field `x` ``)
 * and one no upstream wire takes (400 `unsupported` with the reason). `null` counts as absent.
 */
export function checkBodyFields(body: JsonObject, policy: FieldPolicy): void {
  for (const key of Object.keys(body)) {
    const rule = policy[key];
    if (rule === undefined || rule.header === true)
      throw invalidRequest(`Unknown field \`${key}\``, key);
    const value = body[key];
    if (value !== undefined && value !== null && refusedEverywhere(rule)) {
      throw new GatewayError(
        'unsupported',
        `\`${key}\` is not supported${rule.reason === undefined ? '' : `: ${rule.reason}`}.`,
        { param: key },
      );
    }
  }
}

/**
 * Before an attempt: refuses the request on this adapter's wire when it carries a field the wire
 * cannot take (400 `unsupported` naming the client's field; the executor fails over to the next
 * target, and the client sees this error when no target takes it).
 */
export function refuseForUpstream(
  policy: FieldPolicy,
  request: ChatRequest | CompletionRequest,
  adapter: Pick<ProviderAdapter, 'id' | 'wire' | 'quirks'>,
): void {
  // A completion request's canonical fields are the sampling ones chat requests share.
  const fields = request as Partial<Record<keyof ChatRequest, unknown>>;
  // Only the fields some wire may refuse, listed once per policy (not every field per attempt).
  for (const [field, rule] of refusableRules(policy)) {
    if (fields[rule.canonical!] === undefined) continue;
    if (wireAction(rule, adapter.wire, adapter.quirks) !== 'refuse') continue;
    const wire = adapter.wire === 'anthropic' ? 'Anthropic' : 'OpenAI-compatible';
    throw new GatewayError(
      'unsupported',
      `\`${field}\` is not supported by provider "${adapter.id}" (${wire} wire)${rule.reason === undefined ? '' : `: ${rule.reason}`}.`,
      { param: field, provider: adapter.id },
    );
  }
}

/** Which adapter wire refuses which of a request's fields: the router ranks the refusing ones last. */
export type UpstreamRefusals = (adapter: Pick<ProviderAdapter, 'wire' | 'quirks'>) => string[];

/** Per policy: the rules with a canonical field that some wire refuses (outright or by quirk). */
const refusable = new WeakMap<FieldPolicy, ReadonlyArray<readonly [string, FieldRule]>>();

function refusableRules(policy: FieldPolicy): ReadonlyArray<readonly [string, FieldRule]> {
  let rules = refusable.get(policy);
  if (rules === undefined) {
    const mayRefuse = (rule: WireRule | undefined): boolean =>
      rule !== undefined && (rule === 'refuse' || typeof rule === 'object');
    rules = Object.entries(policy).filter(
      ([, rule]) =>
        rule.canonical !== undefined &&
        (mayRefuse(rule['openai-compatible']) ||
          mayRefuse(rule.anthropic) ||
          mayRefuse(rule['openai-responses'])),
    );
    refusable.set(policy, rules);
  }
  return rules;
}

/**
 * For the router, before planning: the request's fields some upstream wire refuses (the same
 * rules as refuseForUpstream), as a check per adapter returning the client's field names its wire
 * would refuse. Undefined when the request sets none of them — most requests: no per-target work.
 */
export function upstreamRefusals(
  policy: FieldPolicy,
  request: ChatRequest,
): UpstreamRefusals | undefined {
  let used: Array<readonly [string, FieldRule]> | undefined;
  for (const entry of refusableRules(policy))
    if (request[entry[1].canonical!] !== undefined) (used ??= []).push(entry);
  if (used === undefined) return undefined;
  const set = used;
  return (adapter) => {
    const refused: string[] = [];
    for (const [field, rule] of set)
      if (wireAction(rule, adapter.wire, adapter.quirks) === 'refuse') refused.push(field);
    return refused;
  };
}
