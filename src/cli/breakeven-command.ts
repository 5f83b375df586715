import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/load-config.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { qualityProfile } from '../router/expected-quality.js';
import {
  computeBreakeven,
  type BreakevenResult,
  type GpuSpec,
} from '../usage/breakeven/compute-breakeven.js';
import { formatBreakeven } from '../usage/breakeven/format-breakeven.js';
import { GPU_PRESETS, gpuPreset } from '../usage/breakeven/gpu-presets.js';
import { openLedger } from '../usage/ledger/open-ledger.js';
import { SQLITE_FILE_NAME } from '../usage/ledger/sqlite-ledger.js';
import type { TrafficRow } from '../usage/ledger/ledger.js';
import { parseTimeBound } from '../usage/reports/report-range.js';

export interface BreakevenOptions {
  config?: string;
  gpu?: string;
  gpuHourly?: string;
  tokensPerSecond?: string;
  concurrency?: string;
  utilisation?: string;
  from?: string;
  model?: string;
  quality?: string;
  maxPromptTokens?: string;
  pricePerMillion?: string;
  json?: boolean;
  write?: (text: string) => void;
  writeError?: (text: string) => void;
  now?: () => number;
}

export const DEFAULT_SELF_HOSTED_MODEL = 'qwen2.5-coder-7b-instruct';

/** Expected quality of a configured or catalog model on the router's scale (mean of its per-language figures). */
export function modelQuality(config: GatewayConfig, model: string): number | undefined {
  const info = config.registry.model(model);
  if (!info) return undefined;
  return qualityProfile(info.qualityPriors, info.tier, config.routing.quality.get(model)).fallback;
}

/** Everything `breakeven` needs besides the traffic, from flags: throws RangeError with the flag's name on bad input. */
export function breakevenSettings(
  config: GatewayConfig,
  options: BreakevenOptions,
): {
  gpu: GpuSpec;
  selfHosted: { name: string; quality: number; maxPromptTokens: number };
  pricePerMillion?: number;
} {
  const number = (
    flag: string,
    text: string | undefined,
    fallback: number,
    check: (value: number) => boolean,
  ): number => {
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || !check(value))
      throw new RangeError(`--${flag}: "${text}" is not valid`);
    return value;
  };
  const preset = gpuPreset(options.gpu ?? 'rtx-6000-ada');
  if (!preset && options.gpuHourly === undefined)
    throw new RangeError(
      `--gpu: unknown preset "${options.gpu}" (known: ${GPU_PRESETS.map((entry) => entry.name).join(', ')}); or give --gpu-hourly USD`,
    );
  const hourly = number(
    'gpu-hourly',
    options.gpuHourly,
    preset?.hourlyUsd ?? 0,
    (value) => value > 0,
  );
  const gpu: GpuSpec = {
    name: options.gpuHourly === undefined ? preset!.name : (options.gpu ?? 'custom GPU'),
    hourlyUsd: hourly,
    source:
      options.gpuHourly === undefined
        ? `${preset!.source}, read ${preset!.asOf}`
        : 'given with --gpu-hourly',
    tokensPerSecond: number('tokens-per-second', options.tokensPerSecond, 60, (value) => value > 0),
    concurrency: number(
      'concurrency',
      options.concurrency,
      1,
      (value) => Number.isInteger(value) && value >= 1,
    ),
    utilisation: number(
      'utilisation',
      options.utilisation,
      0.5,
      (value) => value > 0 && value <= 1,
    ),
  };
  const modelName = options.model ?? DEFAULT_SELF_HOSTED_MODEL;
  let quality: number | undefined;
  if (options.quality !== undefined)
    quality = number('quality', options.quality, 0, (value) => value > 0 && value <= 100);
  else {
    quality = modelQuality(config, modelName);
    if (quality === undefined)
      throw new RangeError(
        `--model: the catalog has no quality figures for "${modelName}"; give --quality PASS@1 instead`,
      );
  }
  const pricePerMillion =
    options.pricePerMillion === undefined
      ? undefined
      : number('price-per-million', options.pricePerMillion, 0, (value) => value > 0);
  return {
    gpu,
    selfHosted: {
      name:
        options.quality !== undefined && options.model === undefined
          ? `a model of quality ${quality}`
          : modelName,
      quality,
      maxPromptTokens: number(
        'max-prompt-tokens',
        options.maxPromptTokens,
        16_000,
        (value) => value >= 1000,
      ),
    },
    ...(pricePerMillion === undefined ? {} : { pricePerMillion }),
  };
}

/** Today's catalog price of a configured deployment, or of the catalog's own entry. */
export function deploymentPrice(config: GatewayConfig, model: string, provider: string) {
  return (
    config.models.get(model)?.deployments.find((deployment) => deployment.provider === provider)
      ?.price ?? config.registry.deployment(model, provider)?.price
  );
}

export function breakevenFromTraffic(
  config: GatewayConfig,
  traffic: readonly TrafficRow[],
  days: number,
  options: BreakevenOptions,
): BreakevenResult {
  const settings = breakevenSettings(config, options);
  return computeBreakeven({
    traffic,
    days,
    priceOf: (model, provider) => deploymentPrice(config, model, provider),
    qualityOf: (model) => modelQuality(config, model),
    selfHosted: settings.selfHosted,
    gpu: settings.gpu,
    ...(settings.pricePerMillion === undefined
      ? {}
      : { pricePerMillionOverride: settings.pricePerMillion }),
  });
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
