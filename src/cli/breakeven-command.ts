import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/load-config.js';
import {
  breakevenFromTraffic,
  breakevenSettings,
  type BreakevenSettingsInput,
} from '../app/breakeven-settings.js';
import { formatBreakeven } from '../usage/breakeven/format-breakeven.js';
import { openLedger } from '../usage/ledger/open-ledger.js';
import { SQLITE_FILE_NAME } from '../usage/ledger/sqlite-ledger.js';
import type { TrafficRow } from '../usage/ledger/ledger.js';
import { parseTimeBound } from '../usage/reports/report-range.js';

export interface BreakevenOptions extends BreakevenSettingsInput {
  config?: string;
  from?: string;
  json?: boolean;
  write?: (text: string) => void;
  writeError?: (text: string) => void;
  now?: () => number;
}

/** `switchyard breakeven`: the self-hosting break-even over the ledger's real traffic. */
export async function runBreakeven(options: BreakevenOptions): Promise<number> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const writeError = options.writeError ?? ((text: string) => void process.stderr.write(text));
  const config = loadConfig(options.config === undefined ? {} : { path: options.config });
  const now = (options.now ?? Date.now)();
  let from: number;
  try {
    from = parseTimeBound(options.from ?? '30d', now);
    breakevenSettings(config, options);
  } catch (error) {
    writeError(`switchyard breakeven: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  let traffic: TrafficRow[] = [];
  const usesSqlite = !config.ledger.databaseUrl;
  if (usesSqlite && !existsSync(path.join(config.dataDir, SQLITE_FILE_NAME))) {
    if (!options.json)
      writeError(`No ledger in ${config.dataDir} yet: the figures below assume no traffic.\n`);
  } else {
    const ledger = await openLedger({
      dataDir: config.dataDir,
      databaseUrl: config.ledger.databaseUrl,
    });
    try {
      traffic = await ledger.trafficMix({ from, to: now });
    } finally {
      await ledger.close();
    }
  }
  const days = (now - from) / 86_400_000;
  const result = breakevenFromTraffic(config, traffic, days, options);
  write(
    options.json
      ? `${JSON.stringify(result, (_key, value: unknown) => (value === Number.POSITIVE_INFINITY ? null : value), 2)}\n`
      : formatBreakeven(result, breakevenSettings(config, options).selfHosted.name),
  );
  return 0;
}
