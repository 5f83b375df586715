import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layer rules of docs/architecture.md, checked over the real import graph of the non-test
 * TypeScript files under src/ (runtime and type imports, re-exports, `import()` types):
 * no import cycle between folders, and the planning/serving folders never reach for config or
 * the simulator (only the composition root, src/app/, and the CLI do).
 */

const SRC = path.resolve(import.meta.dirname, '..', '..', 'src');

interface ImportEdge {
  from: string;
  to: string;
}

function sourceFiles(directory: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) files.push(full);
  }
  return files;
}

/** Every relative import of every source file, as src-relative paths without extension. */
function importEdges(): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of sourceFiles(SRC)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), fileName).replace(/\.js$/, '.ts');
      edges.push({ from: path.relative(SRC, file), to: path.relative(SRC, target) });
    }
  }
  return edges;
}

/** A file's folder: the first path segment under src/; a stage folder under src/pipeline/ counts on its own. */
function folderOf(file: string): string {
  const segments = file.split(path.sep);
  if (segments.length === 1) return segments[0]!.replace(/\.ts$/, '');
  if (segments[0] === 'pipeline' && segments.length > 2) return `pipeline/${segments[1]}`;
  return segments[0]!;
}

/** Strongly connected components with more than one folder (Tarjan), each with the imports that close it. */
function folderCycles(edges: ImportEdge[]): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const edge of edges) {
    const from = folderOf(edge.from);
    const to = folderOf(edge.to);
    if (!graph.has(from)) graph.set(from, new Set());
    if (!graph.has(to)) graph.set(to, new Set());
    if (from !== to) graph.get(from)!.add(to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node)!) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return components;
}

const edges = importEdges();

describe('folders of src/', () => {
  it('reads the import graph (type imports and re-exports included)', () => {
    const folderEdges = new Set(
      edges.map((edge) => `${folderOf(edge.from)} -> ${folderOf(edge.to)}`),
    );
    // A runtime import, a type-only import and a type re-export the rules below depend on seeing.
    expect(folderEdges).toContain('app -> config');
    expect(edges).toContainEqual({
      from: path.join('router', 'policy-router.ts'),
      to: path.join('core', 'errors.ts'),
    });
    expect(edges).toContainEqual({
      from: path.join('registry', 'catalog-types.ts'),
      to: path.join('core', 'deployment.ts'),
    });
  });

  it('have no import cycle between them', () => {
    const cycles = folderCycles(edges).map((component) => {
      const inside = new Set(component);
      const closing = edges.filter(
        (edge) =>
          folderOf(edge.from) !== folderOf(edge.to) &&
          inside.has(folderOf(edge.from)) &&
          inside.has(folderOf(edge.to)),
      );
      return `${component.join(', ')}:\n    ${closing.map((edge) => `${edge.from} -> ${edge.to}`).join('\n    ')}`;
    });
    expect(cycles).toEqual([]);
  });

  it('core imports nothing else of ours', () => {
    const outward = edges.filter(
      (edge) => folderOf(edge.from) === 'core' && folderOf(edge.to) !== 'core',
    );
    expect(outward).toEqual([]);
  });

  it('router, execution, registry, cache and the pipeline do not import config/ or sim/', () => {
    const planning = (folder: string): boolean =>
      ['router', 'execution', 'registry', 'cache', 'pipeline'].includes(folder.split('/')[0]!);
    const forbidden = edges.filter(
      (edge) => planning(folderOf(edge.from)) && ['config', 'sim'].includes(folderOf(edge.to)),
    );
    expect(forbidden).toEqual([]);
  });

  it('server/ takes plain objects from the composition root: it imports neither config/ nor sim/', () => {
    const forbidden = edges.filter(
      (edge) => folderOf(edge.from) === 'server' && ['config', 'sim'].includes(folderOf(edge.to)),
    );
    expect(forbidden).toEqual([]);
  });

  it('the pipeline sits above the modules it runs: none of them imports pipeline/, server/, app/ or cli/', () => {
    const below = [
      'core',
      'dialects',
      'providers',
      'router',
      'execution',
      'cache',
      'registry',
      'usage',
      'keys',
      'state',
      'telemetry',
      'learning',
    ];
    const upward = edges.filter(
      (edge) =>
        below.includes(folderOf(edge.from)) &&
        ['pipeline', 'server', 'app', 'cli'].includes(folderOf(edge.to).split('/')[0]!),
    );
    expect(upward).toEqual([]);
  });

  it('pipeline stages import the pipeline’s types and settlement, never another stage, server/ or app/', () => {
    const isPipeline = (folder: string): boolean => folder.split('/')[0] === 'pipeline';
    const wrong = edges.filter((edge) => {
      const from = folderOf(edge.from);
      const to = folderOf(edge.to);
      if (!isPipeline(from) || from === to) return false;
      if (['server', 'app', 'cli', 'config', 'sim'].includes(to)) return true;
      // The pipeline's own files (types, the record) import no stage; a stage imports only them and settle/.
      if (from === 'pipeline') return isPipeline(to);
      return isPipeline(to) && to !== 'pipeline' && to !== 'pipeline/settle';
    });
    expect(wrong).toEqual([]);
  });

  it('only server/ handles a ServerResponse (besides the composition root, which hands it to server/, and the simulator, its own HTTP server)', () => {
    const writers = sourceFiles(SRC)
      .map((file) => path.relative(SRC, file))
      .filter((file) => /\bServerResponse\b/.test(readFileSync(path.join(SRC, file), 'utf8')))
      .filter((file) => !['server', 'app', 'sim'].includes(folderOf(file)));
    expect(writers).toEqual([]);
  });
});
