#!/usr/bin/env node
// Installs the pinned client set(s) of test-clients/ as their lockfiles say.
//   node test-clients/install.mjs            the set for the running Node (node20 below Node 22, else node24)
//   node test-clients/install.mjs node20     one set by name
//   node test-clients/install.mjs all        both sets
// Everything comes from the npm registry; the agent CLIs bring their linux-x64 binaries as
// optional dependencies of their packages (no download at first run).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const SETS = ['node20', 'node24'];
const wanted =
  process.argv[2] ?? (Number(process.versions.node.split('.')[0]) >= 22 ? 'node24' : 'node20');
const sets = wanted === 'all' ? SETS : [wanted];
for (const set of sets) {
  if (!SETS.includes(set)) {
    console.error(`unknown client set "${set}" (known: ${SETS.join(', ')}, all)`);
    process.exit(2);
  }
  // `npm install`, not `npm ci`: opencode-ai lists a binary package per platform as optional
  // dependencies, and only the linux-x64 ones are in the lockfile (the others are not in the
  // registry this project installs from). `npm ci` refuses a lockfile without them; `npm install`
  // takes every version from the lockfile and skips the missing optional packages.
  console.log(`test-clients/${set}: npm install (from the lockfile)`);
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--include=optional'], {
    cwd: join(here, set),
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
