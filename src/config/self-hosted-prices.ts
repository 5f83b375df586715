import type { GatewayConfig } from './gateway-config.js';

/**
 * The deployments paid by the hour (`hourly_usd`), by provider and model name as the ledger
 * records them: what the savings figures charge their requests (docs/breakeven.md).
 */
export function selfHostedPrices(
  config: Pick<GatewayConfig, 'models'>,
): Array<{ provider: string; model: string; hourlyUsd: number }> {
  return [...config.models.values()].flatMap((model) =>
    model.deployments.flatMap((deployment) =>
      deployment.hourlyUsd === undefined || deployment.hourlyUsd <= 0
        ? []
        : [{ provider: deployment.provider, model: model.name, hourlyUsd: deployment.hourlyUsd }],
    ),
  );
}
