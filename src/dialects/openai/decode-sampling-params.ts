import type { SamplingParams } from '../../core/request.js';
import {
  invalidRequest,
  optionalBoolean,
  optionalInteger,
  optionalNumber,
  optionalString,
  requireObject,
  type JsonObject,
} from '../field-readers.js';
import { checkNestedFields, type NestedPolicy } from '../nested-field-policy.js';

const MAX_STOP_SEQUENCES = 4;
const MAX_CHOICES = 16;

/**
 * Reads the sampling fields shared by `/chat/completions` and `/completions` into `target`
 * (all but the token limit, whose field names differ). Absent fields stay absent.
 */
export function decodeSamplingParams(body: JsonObject, target: SamplingParams): void {
  const temperature = optionalNumber(body.temperature, 'temperature', 0, 2);
  if (temperature !== undefined) target.temperature = temperature;
  const topP = optionalNumber(body.top_p, 'top_p', 0, 1);
  if (topP !== undefined) target.topP = topP;
  const presencePenalty = optionalNumber(body.presence_penalty, 'presence_penalty', -2, 2);
  if (presencePenalty !== undefined) target.presencePenalty = presencePenalty;
  const frequencyPenalty = optionalNumber(body.frequency_penalty, 'frequency_penalty', -2, 2);
  if (frequencyPenalty !== undefined) target.frequencyPenalty = frequencyPenalty;
  const n = optionalInteger(body.n, 'n', 1, MAX_CHOICES);
  if (n !== undefined) target.n = n;
  const seed = optionalInteger(body.seed, 'seed');
  if (seed !== undefined) target.seed = seed;
  const stop = decodeStop(body.stop);
  if (stop !== undefined) target.stop = stop;
  // `safety_identifier` replaces the deprecated `user`; either identifies the end user.
  const user =
    optionalString(body.user, 'user') ??
    optionalString(body.safety_identifier, 'safety_identifier');
  if (user !== undefined) target.user = user;
}

/**
 * `stream` and `stream_options` (checked against the dialect's nested policy): `include_usage`,
 * and `include_obfuscation`, read and satisfied as is — the gateway's streams carry no
 * obfuscation padding either way (it hides token lengths from network observers; the content
 * is the same).
 */
export function decodeStreamFlags(
  body: JsonObject,
  policy: NestedPolicy,
): { stream: boolean; streamUsage?: boolean } {
  const stream = optionalBoolean(body.stream, 'stream') ?? false;
  const value = body.stream_options;
  if (value === undefined || value === null) return { stream };
  const options = requireObject(value, 'stream_options');
  checkNestedFields(options, policy, 'stream_options', 'stream_options');
  optionalBoolean(options.include_obfuscation, 'stream_options.include_obfuscation');
  const includeUsage = optionalBoolean(options.include_usage, 'stream_options.include_usage');
  return includeUsage === undefined ? { stream } : { stream, streamUsage: includeUsage };
}

function decodeStop(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value) || value.length > MAX_STOP_SEQUENCES) {
    throw invalidRequest(
      `\`stop\` must be a string or an array of at most ${MAX_STOP_SEQUENCES} strings`,
      'stop',
    );
  }
  for (let index = 0; index < value.length; index++) {
    if (typeof value[index] !== 'string') {
      throw invalidRequest(`\`stop[${index}]\` must be a string`, `stop[${index}]`);
    }
  }
  return value.length === 0 ? undefined : (value as string[]);
}
