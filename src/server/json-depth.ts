/** Deepest accepted nesting when the config does not say (`server.max_json_depth`). */
export const DEFAULT_MAX_JSON_DEPTH = 64;
/** The config may raise the limit this far: every recursive step of the request path stays far from the stack's end. */
export const MAX_JSON_DEPTH_CEILING = 512;

/**
 * The path of the first container nested deeper than `maxDepth` (the body itself is depth 1), or
 * undefined. Iterative, with an explicit stack, so it cannot overflow however deep the value is;
 * it runs before any recursive code (cache key, schema compilation, upstream encoding) sees the body.
 */
export function findTooDeep(value: unknown, maxDepth: number): string | undefined {
  if (!isContainer(value)) return undefined;
  // Each entry keeps its parent and key: the path is spelled out only for the one that fails.
  const stack: Step[] = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    if (step.depth > maxDepth) return pathOf(step);
    if (Array.isArray(step.value)) {
      for (let index = step.value.length - 1; index >= 0; index--) {
        const child: unknown = step.value[index];
        if (isContainer(child))
          stack.push({ value: child, depth: step.depth + 1, parent: step, key: index });
      }
    } else {
      const record = step.value as Record<string, unknown>;
      const keys = Object.keys(record);
      for (let index = keys.length - 1; index >= 0; index--) {
        const child = record[keys[index]!];
        if (isContainer(child))
          stack.push({ value: child, depth: step.depth + 1, parent: step, key: keys[index]! });
      }
    }
  }
  return undefined;
}

interface Step {
  value: object;
  depth: number;
  parent?: Step;
  key?: string | number;
}

function pathOf(step: Step): string {
  const keys: Array<string | number> = [];
  for (let at: Step | undefined = step; at?.key !== undefined; at = at.parent) keys.push(at.key);
  let path = '';
  for (const key of keys.reverse())
    path = typeof key === 'number' ? `${path}[${key}]` : joinKey(path, key);
  return path === '' ? '(the body)' : path;
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function joinKey(path: string, key: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key)}]`;
}
