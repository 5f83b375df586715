import { embeddedConfigFile } from '../../src/config/load-config.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import type { GatewayConfig } from '../../src/config/gateway-config.js';
import type { ConfigFile } from '../../src/config/schema.js';
import type { ProviderAdapter } from '../../src/core/provider.js';
import type { ChatRequest } from '../../src/core/request.js';

/**
 * The embedded simulator fleet's config with `routing` replaced, and adapters that never call
 * anything: what router tests and the router benchmark plan against.
 */
export function fleetConfig(routing?: ConfigFile['routing'], timeScale = 1): GatewayConfig {
  const file: ConfigFile = {
    ...embeddedConfigFile(),
    simulator: { enabled: true, time_scale: timeScale },
    ...(routing === undefined ? {} : { routing }),
  };
  return resolveConfig(file, 'test', {});
}

export function offlineAdapters(config: GatewayConfig): Map<string, ProviderAdapter> {
  const refuse = (): Promise<never> => Promise.reject(new Error('offline adapter'));
  return new Map(
    [...config.providers].map(([id, provider]) => [
      id,
      {
        id,
        wire: provider.settings.wire,
        quirks: provider.settings.quirks,
        chat: refuse,
        streamChat: refuse,
        close: () => Promise.resolve(),
      },
    ]),
  );
}

export function chatRequest(
  text: string,
  model = 'auto',
  extra: Partial<ChatRequest> = {},
): ChatRequest {
  return {
    kind: 'chat',
    model,
    stream: false,
    messages: [{ role: 'user', content: [{ type: 'text', text }] }],
    ...extra,
  };
}
