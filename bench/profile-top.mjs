// Summarizes a V8 .cpuprofile (from `npm run bench -- --cpu-prof`): the hottest functions by self
// time and the project's own functions by inclusive time, as shares of the busy (non-idle) time.
//
//   node bench/profile-top.mjs bench/results/cpu-prof-<stamp>/switchyard.cpuprofile [--top 20]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '20' } },
  allowPositionals: true,
});
if (positionals.length !== 1) {
  process.stderr.write('usage: node bench/profile-top.mjs FILE.cpuprofile [--top N]\n');
  process.exit(2);
}
const top = Number(values.top);
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parents.set(child, node.id);

const label = ({ callFrame: f }) => {
  const where = f.url.replace(/^file:\/\//, '').replace(/^.*?\/(dist|bench|node_modules)\//, '$1/');
  return `${f.functionName || '(anonymous)'}${where ? ` ${where}:${f.lineNumber + 1}` : ''}`;
};

// Time per sampled node, skipping idle samples (the process also idles while other targets run).
const timeByNode = new Map();
let busy = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  if (nodes.get(id).callFrame.functionName === '(idle)') return;
  timeByNode.set(id, (timeByNode.get(id) ?? 0) + dt);
  busy += dt;
});

const self = new Map();
const inclusive = new Map();
for (const [id, time] of timeByNode) {
  const key = label(nodes.get(id));
  self.set(key, (self.get(key) ?? 0) + time);
  const seen = new Set();
  for (let at = id; at !== undefined; at = parents.get(at)) {
    const name = label(nodes.get(at));
    if (seen.has(name)) continue; // count recursion once
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + time);
  }
}

const print = (title, entries) => {
  console.log(`\n${title}`);
  for (const [name, time] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((100 * time) / busy).toFixed(1).padStart(6)}%  ${name}`);
  }
};
console.log(`${positionals[0]}: ${(busy / 1e6).toFixed(2)} s busy`);
print('self time (all code)', self);
print(
  'inclusive time (project code: dist/ and bench/)',
  [...inclusive].filter(([name]) => / (dist|bench)\//.test(name)),
);
