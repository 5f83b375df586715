// Copies the dashboard's page, script and styles and uPlot's dist files into
// dist/dashboard/assets, so the built package serves them itself (no CDN, no bundler).
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'src', 'dashboard', 'assets');
const target = path.join(root, 'dist', 'dashboard', 'assets');
mkdirSync(target, { recursive: true });
for (const name of readdirSync(source))
  copyFileSync(path.join(source, name), path.join(target, name));
const require = createRequire(import.meta.url);
for (const file of ['uplot/dist/uPlot.iife.min.js', 'uplot/dist/uPlot.min.css'])
  copyFileSync(require.resolve(file), path.join(target, path.basename(file)));
