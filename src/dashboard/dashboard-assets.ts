import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface DashboardAsset {
  contentType: string;
  body: Buffer;
}

/**
 * The dashboard's files: its own page, script and styles (src/dashboard/assets) and uPlot's
 * dist files, which `npm run build` copies next to them into dist/dashboard/assets, so the
 * package serves everything itself (no CDN). Run from the sources, uPlot is read from the
 * installed dependency instead.
 */
const FILES: Record<string, { type: string; vendor?: string }> = {
  'index.html': { type: 'text/html; charset=utf-8' },
  'dashboard.js': { type: 'text/javascript; charset=utf-8' },
  'outcomes-panel.js': { type: 'text/javascript; charset=utf-8' },
  'dashboard.css': { type: 'text/css; charset=utf-8' },
  'uPlot.iife.min.js': {
    type: 'text/javascript; charset=utf-8',
    vendor: 'uplot/dist/uPlot.iife.min.js',
  },
  'uPlot.min.css': { type: 'text/css; charset=utf-8', vendor: 'uplot/dist/uPlot.min.css' },
};

const cache = new Map<string, DashboardAsset>();

/** The asset of that name, or undefined when it is not one of the dashboard's files. */
export function dashboardAsset(name: string): DashboardAsset | undefined {
  if (!Object.hasOwn(FILES, name)) return undefined;
  const cached = cache.get(name);
  if (cached) return cached;
  const file = FILES[name]!;
  const local = fileURLToPath(new URL(`./assets/${name}`, import.meta.url));
  const path =
    existsSync(local) || file.vendor === undefined
      ? local
      : createRequire(import.meta.url).resolve(file.vendor);
  const asset = { contentType: file.type, body: readFileSync(path) };
  cache.set(name, asset);
  return asset;
}

/** Every file the dashboard needs, for the build step's check. */
export const DASHBOARD_FILES = Object.keys(FILES);
