import { loadConfig } from '../config/load-config.js';
import { startGateway } from '../app/start-gateway.js';
import type { RunningGateway } from '../app/start-gateway.js';
import type { CommonOptions } from './config-check-command.js';
import { VERSION } from '../version.js';
import { ENDPOINT_PATHS, namesByEndpoint } from '../server/served-endpoints.js';
import { onShutdown } from './shutdown.js';
import { redactUrl } from '../core/redact.js';
import { createTelemetry } from '../telemetry/create-telemetry.js';

/** `switchyard serve`: load config, start the gateway, say what is live, stop cleanly on signals. */
export async function runServe(options: CommonOptions): Promise<number> {
  const load = () =>
    loadConfig({
      ...(options.config === undefined ? {} : { path: options.config }),
      overrides: {
        ...(options.port === undefined ? {} : { port: options.port }),
        ...(options.host === undefined ? {} : { host: options.host }),
      },
    });
  const config = load();
  const telemetry = createTelemetry({ logging: config.logging, serviceVersion: VERSION });
  const gateway = await startGateway(config, {
    processMetrics: true,
    observer: (record) => telemetry.observe(record),
    traceRequests: telemetry.tracing,
    captureBodies: telemetry.captureBodies,
    loadConfig: load,
    log: (message, fields) => telemetry.logger.info(fields ?? {}, message),
  });
  // SIGHUP (systemctl reload, log rotation) re-reads the config instead of ending the process.
  process.on('SIGHUP', () => void gateway.reload());
  process.stdout.write(`${startupBanner(gateway)}\n`);
  if (telemetry.exporter)
    process.stdout.write(
      '  Tracing: OpenTelemetry spans are exported over OTLP/HTTP JSON (OTEL_EXPORTER_OTLP_ENDPOINT).\n',
    );
  onShutdown(async () => {
    await gateway.close();
    await telemetry.close();
  });
  return 0;
}

export function startupBanner(gateway: RunningGateway): string {
  const { config } = gateway;
  const lines = [
    `Switchyard ${VERSION} listening on ${gateway.url}`,
    `  config: ${config.source}`,
    '',
  ];
  const simulated = [...config.providers.values()].filter((provider) => provider.simulated);
  if (simulated.length === config.providers.size) {
    lines.push(
      'Providers — SIMULATED: no real provider is called; answers are generated locally by the built-in simulator.',
    );
  } else if (simulated.length > 0) {
    lines.push(`Providers (${simulated.length} of ${config.providers.size} simulated):`);
  } else {
    lines.push('Providers:');
  }
  for (const [id, provider] of config.providers) {
    const models = [...config.models.values(), ...config.embeddingModels.values()]
      .filter((model) => model.deployments.some((d) => d.provider === id))
      .map((model) => model.name);
    const where = provider.embeddedSimulator
      ? 'embedded simulator'
      : redactUrl(provider.settings.baseUrl);
    lines.push(
      `  ${id.padEnd(16)} ${provider.settings.wire.padEnd(18)} ${provider.simulated ? '[simulated] ' : ''}${where}`,
    );
    lines.push(`  ${''.padEnd(16)} models: ${models.join(', ') || '(none)'}`);
  }
  if (config.catalogWarnings.length > 0) {
    lines.push('', 'Catalog: cost will be reported as unknown for:');
    for (const warning of config.catalogWarnings) lines.push(`  ${warning}`);
  }
  const aliases = [...config.aliases]
    .filter(([alias]) => !config.routing.policies.has(alias))
    .map(([alias, target]) => `${alias} → ${target}`)
    .join(', ');
  const policies = [...config.routing.policies]
    .map(([name, policy]) => `${name} (${policy.type})`)
    .join(', ');
  const patterns = config.aliasPatterns
    .map((pattern) => `${pattern.pattern} → ${pattern.target}`)
    .join(', ');
  const agents = config.aliasPatterns.some((pattern) => pattern.target === 'auto')
    ? ' (the model names Claude Code, Codex CLI and opencode send by default are routed by auto)'
    : '';
  lines.push(
    '',
    ...(policies ? [`Routing: ${policies}; explain a decision with POST /v1/route/explain`] : []),
    ...(aliases ? [`Aliases: ${aliases}`] : []),
    ...(patterns ? [`Alias patterns${agents}: ${patterns}`] : []),
    '',
  );
  lines.push('Endpoints (and the names each serves; GET /v1/models lists them per name):');
  for (const [endpoint, names] of namesByEndpoint(config)) {
    lines.push(
      `  ${ENDPOINT_PATHS[endpoint].padEnd(38)} ${names.length > 0 ? names.join(', ') : '(none configured)'}`,
    );
  }
  lines.push('');
  lines.push('Point your SDK at it:');
  lines.push(`  OpenAI SDK:    OPENAI_BASE_URL=${gateway.url}/v1`);
  lines.push(`  Anthropic SDK: ANTHROPIC_BASE_URL=${gateway.url}`);
  lines.push(
    config.auth.requireKeys
      ? `  Auth: an API key is required (Authorization: Bearer … or x-api-key): virtual keys${config.auth.apiKeys.length > 0 ? ` or one of ${config.auth.apiKeys.length} static key(s)` : ''}.`
      : '  Auth: OPEN — no key required; any key (or none) is accepted, virtual keys are still recognised and limited.',
  );
  lines.push(
    `  Try: curl ${gateway.url}/v1/chat/completions -H 'content-type: application/json' -d '{"model":"auto","messages":[{"role":"user","content":"Write a Python hello world"}]}'`,
  );
  return lines.join('\n');
}
