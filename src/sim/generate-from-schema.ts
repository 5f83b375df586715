import type { SeededRandom } from './hash-text.js';

type Schema = Record<string, unknown>;

const MAX_DEPTH = 6;
const WORDS = [
  'alpha',
  'bravo',
  'delta',
  'orbit',
  'river',
  'cedar',
  'ember',
  'pixel',
  'quartz',
  'sierra',
];

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolveReference(schema: Schema, root: Schema): Schema {
  const reference = schema['$ref'];
  if (typeof reference !== 'string' || !reference.startsWith('#/')) return schema;
  let target: unknown = root;
  for (const part of reference.slice(2).split('/')) {
    target = isSchema(target) ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  return isSchema(target) ? target : {};
}

function schemaType(schema: Schema): string | undefined {
  const type = schema['type'];
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const first = type.find((entry) => entry !== 'null') ?? type[0];
    return typeof first === 'string' ? first : undefined;
  }
  if (isSchema(schema['properties']) || Array.isArray(schema['required'])) return 'object';
  if (isSchema(schema['items'])) return 'array';
  return undefined;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function stringFor(name: string, schema: Schema, random: SeededRandom): string {
  const format = schema['format'];
  const lower = name.toLowerCase();
  let text: string;
  if (format === 'date-time') text = '2025-01-15T10:30:00Z';
  else if (format === 'date') text = '2025-01-15';
  else if (format === 'email' || lower.includes('email'))
    text = `dev.${random.pick(WORDS)}@example.com`;
  else if (format === 'uri' || format === 'url' || lower.includes('url'))
    text = `https://example.com/${random.pick(WORDS)}`;
  else if (format === 'uuid') text = '3f2b8c1e-5d4a-4e7b-9c0d-1a2b3c4d5e6f';
  else if (lower.includes('path') || lower.includes('file')) text = `src/${random.pick(WORDS)}.py`;
  else if (lower.includes('language')) text = random.pick(['python', 'typescript', 'go', 'rust']);
  else if (lower.includes('city') || lower.includes('location'))
    text = random.pick(['Paris', 'Lisbon', 'Osaka', 'Toronto']);
  else if (lower.includes('query') || lower.includes('search'))
    text = `${random.pick(WORDS)} ${random.pick(WORDS)} example`;
  else text = `${name === '' ? 'value' : name}-${random.pick(WORDS)}`;
  const minimum = numberOr(schema['minLength'], 0);
  const maximum = numberOr(schema['maxLength'], Number.POSITIVE_INFINITY);
  while (text.length < minimum) text += random.pick(WORDS);
  return text.length > maximum ? text.slice(0, maximum) : text;
}

function numberFor(schema: Schema, random: SeededRandom, integer: boolean): number {
  let minimum = numberOr(schema['minimum'], Number.NaN);
  let maximum = numberOr(schema['maximum'], Number.NaN);
  if (typeof schema['exclusiveMinimum'] === 'number')
    minimum = schema['exclusiveMinimum'] + (integer ? 1 : 0.5);
  if (typeof schema['exclusiveMaximum'] === 'number')
    maximum = schema['exclusiveMaximum'] - (integer ? 1 : 0.5);
  if (Number.isNaN(minimum)) minimum = Number.isNaN(maximum) ? 0 : Math.min(0, maximum);
  if (Number.isNaN(maximum)) maximum = minimum + 100;
  const value = minimum + random.next() * (maximum - minimum);
  return integer
    ? Math.min(Math.floor(maximum), Math.max(Math.ceil(minimum), Math.round(value)))
    : Math.round(value * 100) / 100;
}

/**
 * A value valid against a JSON Schema (the common subset: type, properties, required, enum,
 * const, items, min/max bounds, anyOf/oneOf/allOf first branch, local $ref). Deterministic for a
 * given random source. Every declared property is generated, so strict schemas are satisfied.
 */
export function generateFromSchema(
  schema: unknown,
  random: SeededRandom,
  root?: Schema,
  name = '',
  depth = 0,
): unknown {
  if (!isSchema(schema)) return {};
  const rootSchema = root ?? schema;
  const resolved = resolveReference(schema, rootSchema);
  if ('const' in resolved) return resolved['const'];
  const options = resolved['enum'];
  if (Array.isArray(options) && options.length > 0) return random.pick(options) as unknown;
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    const branches = resolved[key];
    if (Array.isArray(branches) && branches.length > 0) {
      const branch =
        branches.find((entry) => isSchema(entry) && entry['type'] !== 'null') ?? branches[0];
      return generateFromSchema(branch, random, rootSchema, name, depth + 1);
    }
  }
  switch (schemaType(resolved)) {
    case 'object': {
      const result: Record<string, unknown> = {};
      const properties = isSchema(resolved['properties']) ? resolved['properties'] : {};
      if (depth >= MAX_DEPTH) return result;
      for (const [key, child] of Object.entries(properties)) {
        result[key] = generateFromSchema(child, random, rootSchema, key, depth + 1);
      }
      const required = Array.isArray(resolved['required']) ? resolved['required'] : [];
      for (const key of required)
        if (typeof key === 'string' && !(key in result))
          result[key] = `${key}-${random.pick(WORDS)}`;
      return result;
    }
    case 'array': {
      const minimum = numberOr(resolved['minItems'], 1);
      const maximum = Math.max(minimum, numberOr(resolved['maxItems'], Math.max(minimum, 3)));
      const count =
        depth >= MAX_DEPTH ? minimum : random.integer(minimum, Math.min(maximum, minimum + 2));
      const items = Array.isArray(resolved['prefixItems']) ? resolved['prefixItems'] : undefined;
      const result: unknown[] = [];
      for (let index = 0; index < count; index++) {
        const itemSchema = items?.[index] ?? resolved['items'] ?? { type: 'string' };
        result.push(
          generateFromSchema(itemSchema, random, rootSchema, name.replace(/s$/, ''), depth + 1),
        );
      }
      return result;
    }
    case 'string':
      return stringFor(name, resolved, random);
    case 'integer':
      return numberFor(resolved, random, true);
    case 'number':
      return numberFor(resolved, random, false);
    case 'boolean':
      return random.next() < 0.5;
    case 'null':
      return null;
    default:
      return stringFor(name, resolved, random);
  }
}
