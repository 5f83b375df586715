import type { RequestFeatures } from '../features/extract-features.js';
import type { BaseCondition, RuleCondition } from './routing-schema.js';

type Range = NonNullable<BaseCondition['prompt_tokens']>;

function inRange(value: number, range: Range): boolean {
  return (
    (range.below === undefined || value < range.below) &&
    (range.at_most === undefined || value <= range.at_most) &&
    (range.above === undefined || value > range.above) &&
    (range.at_least === undefined || value >= range.at_least)
  );
}

function oneOf<T>(value: T | readonly T[], actual: T): boolean {
  return Array.isArray(value) ? value.includes(actual) : value === actual;
}

function matchesBase(condition: BaseCondition, features: RequestFeatures): boolean {
  if (condition.prompt_tokens && !inRange(features.promptTokens, condition.prompt_tokens))
    return false;
  if (
    condition.expected_output_tokens &&
    !inRange(features.expectedOutputTokens, condition.expected_output_tokens)
  )
    return false;
  if (condition.nesting_depth && !inRange(features.nestingDepth, condition.nesting_depth))
    return false;
  if (condition.difficulty && !inRange(features.difficulty, condition.difficulty)) return false;
  if (condition.imports !== undefined && !oneOf(condition.imports, features.imports)) return false;
  if (
    condition.external_api_calls !== undefined &&
    condition.external_api_calls !== features.externalApiCalls > 0
  )
    return false;
  if (condition.language !== undefined) {
    const wanted = Array.isArray(condition.language) ? condition.language : [condition.language];
    if (!features.languages.some((language) => wanted.includes(language))) return false;
  }
  if (condition.task !== undefined && !oneOf(condition.task, features.task)) return false;
  if (condition.fim !== undefined && condition.fim !== features.fim) return false;
  if (condition.tools !== undefined && condition.tools !== features.tools) return false;
  if (condition.json !== undefined && condition.json !== features.json) return false;
  return true;
}

/** True when every field of the condition holds and, if it has `any`, one of those does. */
export function matchesRule(condition: RuleCondition, features: RequestFeatures): boolean {
  if (!matchesBase(condition, features)) return false;
  return (
    condition.any === undefined ||
    condition.any.some((alternative) => matchesBase(alternative, features))
  );
}

/** The condition in the words of the config file, for explanations: `prompt_tokens below 500, imports none`. */
export function describeCondition(condition: RuleCondition): string {
  const parts: string[] = [];
  for (const [field, value] of Object.entries(condition)) {
    if (field === 'any')
      parts.push(`any of (${(value as BaseCondition[]).map(describeCondition).join(' | ')})`);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      parts.push(
        `${field} ${Object.entries(value)
          .map(([bound, limit]) => `${bound.replace('_', ' ')} ${String(limit)}`)
          .join(' and ')}`,
      );
    } else parts.push(`${field} ${Array.isArray(value) ? value.join('|') : String(value)}`);
  }
  return parts.join(', ') || 'always';
}
