import type { GatewayConfig } from '../config/gateway-config.js';
import { qualityProfile } from '../router/expected-quality.js';
import {
  computeBreakeven,
  type BreakevenResult,
  type GpuSpec,
} from '../usage/breakeven/compute-breakeven.js';
import { GPU_PRESETS, gpuPreset } from '../usage/breakeven/gpu-presets.js';
import type { TrafficRow } from '../usage/ledger/ledger.js';

/** The break-even settings (GPU, self-hosted model, what-if price), as flags or query parameters. */
export interface BreakevenSettingsInput {
  gpu?: string;
  gpuHourly?: string;
  tokensPerSecond?: string;
  concurrency?: string;
  utilisation?: string;
  model?: string;
  quality?: string;
  maxPromptTokens?: string;
  pricePerMillion?: string;
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
  options: BreakevenSettingsInput,
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
  options: BreakevenSettingsInput,
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

/** `GET /admin/breakeven`: the query's settings (`gpu`, `gpu_hourly`, `tokens_per_second`…) over the ledger's traffic. */
export function breakevenQuery(
  config: () => GatewayConfig,
  trafficMix: (from: number, to: number) => Promise<TrafficRow[]>,
): (query: URLSearchParams, from: number, to: number) => Promise<Record<string, unknown>> {
  return async (query, from, to) => {
    const read = (name: string): string | undefined => query.get(name) ?? undefined;
    const input: BreakevenSettingsInput = {
      gpu: read('gpu'),
      gpuHourly: read('gpu_hourly'),
      tokensPerSecond: read('tokens_per_second'),
      concurrency: read('concurrency'),
      utilisation: read('utilisation'),
      model: read('model'),
      quality: read('quality'),
      maxPromptTokens: read('max_prompt_tokens'),
      pricePerMillion: read('price_per_million'),
    };
    const current = config();
    const settings = breakevenSettings(current, input); // RangeError names the bad setting
    const result = breakevenFromTraffic(
      current,
      await trafficMix(from, to),
      (to - from) / 86_400_000,
      input,
    );
    return {
      self_hosted_model: settings.selfHosted.name,
      result,
      gpu_presets: GPU_PRESETS.map((preset) => ({
        name: preset.name,
        description: preset.description,
        hourly_usd: preset.hourlyUsd,
        source: preset.source,
        as_of: preset.asOf,
      })),
    };
  };
}
