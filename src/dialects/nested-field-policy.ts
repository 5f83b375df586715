/**
 * Nested request fields as data, like the top-level field policy (field-policy.ts): every field
 * inside a message, a content part or block, a tool definition, a tool choice, a format… has a
 * row keyed by its path pattern, and the decoders check each object they read against it.
 *
 * A pattern is the path with `[]` for list items and the item's kind in the brackets where the
 * fields depend on it: `messages[user].content[image_url].image_url.detail` is the `detail` of
 * the `image_url` of an `image_url` part in a user message. A row without a field, such as
 * `messages[user].content[input_audio]`, is a kind of item (a variant) as a whole.
 *
 * A key an object carries that has no row is a 400 `invalid_request` naming its path
 * (``Unknown field `messages[2].colour` ``); a field refused toward every wire is a 400
 * `unsupported` naming its path, unless its value is one of the rule's `absent` values (the
 * default the API would apply, which asks for nothing). `null` counts as absent everywhere.
 * docs/compatibility.md has the same rows; test/e2e/field-policy.test.ts keeps them in agreement
 * and checks that the decoder reads every row it does not refuse.
 */
import { GatewayError } from '../core/errors.js';
import { type FieldRule, refusedEverywhere } from './field-policy.js';
import { invalidRequest, type JsonObject } from './field-readers.js';

export interface NestedRule extends FieldRule {
  /** Values that ask for the default, accepted as if absent (e.g. `detail: "auto"`). */
  absent?: readonly unknown[];
}

export type NestedPolicy = Readonly<Record<string, NestedRule>>;

/**
 * OpenAI's image `detail` (chat and Responses): a resolution hint sent to the OpenAI wires
 * (chat `image_url.detail`, Responses `input_image.detail`); the Anthropic wire has no such
 * control (Anthropic scales images itself), so there it is left out, like the optional thinking
 * context of ADR 0018.
 */
export const IMAGE_DETAIL: NestedRule = {
  'openai-compatible': 'translate',
  anthropic: 'translate',
  reason:
    'a resolution hint: sent to the OpenAI wires; left out toward Anthropic (no such control)',
};

function isAbsent(rule: NestedRule, value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (rule.absent === undefined) return false;
  const text = JSON.stringify(value);
  return rule.absent.some((entry) => JSON.stringify(entry) === text);
}

function refusal(at: string, rule: NestedRule, what = `\`${at}\``): GatewayError {
  return new GatewayError(
    'unsupported',
    `${what} is not supported${rule.reason === undefined ? '' : `: ${rule.reason}`}.`,
    { param: at },
  );
}

/**
 * Checks the keys of `value` (an object at path pattern `shape`, at `param` in this request):
 * unknown keys and keys refused toward every wire are 400s naming `param.key`.
 */
export function checkNestedFields(
  value: JsonObject,
  policy: NestedPolicy,
  shape: string,
  param: string,
): void {
  for (const key of Object.keys(value)) {
    const field = value[key];
    const rule = policy[`${shape}.${key}`];
    const at = `${param}.${key}`;
    if (rule === undefined) {
      if (field === undefined || field === null) continue;
      throw invalidRequest(`Unknown field \`${at}\``, at);
    }
    if (refusedEverywhere(rule) && !isAbsent(rule, field)) throw refusal(at, rule);
  }
}

/**
 * A kind of item refused as a whole (`shape` is the list's pattern, `kind` the item's `type` or
 * `role`): a 400 `unsupported` naming `param.type` (or `.role`). Returns when the policy does not
 * refuse that kind; the decoder then reads it or refuses it as unknown.
 */
export function refuseVariant(
  policy: NestedPolicy,
  shape: string,
  kind: unknown,
  param: string,
  discriminator: 'type' | 'role' = 'type',
): void {
  if (typeof kind !== 'string') return;
  const rule = policy[`${shape}[${kind}]`];
  if (rule === undefined || !refusedEverywhere(rule)) return;
  throw refusal(`${param}.${discriminator}`, rule, `\`${param}\` (${discriminator} \`${kind}\`)`);
}

/**
 * An item of a list whose fields depend on its kind (a content block by `type`, a message by
 * `role`): refuses the kind when the policy refuses it as a whole, and checks the item's keys
 * when the policy knows the kind (it has a row for the discriminator). Other kinds are left to
 * the decoder, which reads or refuses them.
 */
export function checkItem(
  item: JsonObject,
  policy: NestedPolicy,
  listShape: string,
  param: string,
  discriminator: 'type' | 'role' = 'type',
): void {
  const kind = item[discriminator];
  refuseVariant(policy, listShape, kind, param, discriminator);
  if (typeof kind !== 'string') return;
  const shape = `${listShape}[${kind}]`;
  if (policy[`${shape}.${discriminator}`] !== undefined)
    checkNestedFields(item, policy, shape, param);
}
