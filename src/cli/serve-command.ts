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
  let telemetry = createTelemetry({ logging: config.logging, serviceVersion: VERSION });
  const gateway = await startGateway(config, {
    processMetrics: true,
    observer: (record) => telemetry.observe(record),
    traceRequests: telemetry.tracing,
    captureBodies: telemetry.captureBodies,
    loadConfig: load,
    // A reloaded logging section: a new logger and request log; the old one flushes and closes.
    onLoggingChange: (next) => {
      const old = telemetry;
      telemetry = createTelemetry({ logging: next.logging, serviceVersion: VERSION });
      void old.close();
      return { traceRequests: telemetry.tracing, captureBodies: telemetry.captureBodies };
    },
    log: (message, fields) => telemetry.logger.info(fields ?? {}, message),
  });
  // SIGHUP (systemctl reload, log rotation) re-reads the config instead of ending the process.
  process.on('SIGHUP', () => void gateway.reload());
  const tracing = telemetry.exporter
    ? 'Tracing: OpenTelemetry spans are exported over OTLP/HTTP JSON (OTEL_EXPORTER_OTLP_ENDPOINT).'
    : undefined;
  if (config.logging.format === 'json') {
    // The JSON log on standard output stays JSON: the banner is one log line with its facts as
    // fields; the text for a person goes to standard error.
    process.stderr.write(`${startupBanner(gateway)}\n${tracing ? `  ${tracing}\n` : ''}`);
    telemetry.logger.info(
      { ...startupFacts(gateway), ...(tracing ? { tracing } : {}) },
      `Switchyard ${VERSION} listening on ${gateway.url} ${allSimulated(gateway) ? '(providers SIMULATED: no real provider is called)' : `(${gateway.config.providers.size} providers)`}`,
    );
  } else {
    process.stdout.write(`${startupBanner(gateway)}\n`);
    if (tracing) process.stdout.write(`  ${tracing}\n`);
  }
  onShutdown(async () => {
    await gateway.close();
    await telemetry.close();
  });
  return 0;
}

function allSimulated(gateway: RunningGateway): boolean {
  const providers = [...gateway.config.providers.values()];
  return providers.length > 0 && providers.every((provider) => provider.simulated);
}

/** The banner's facts as log fields (JSON logs): where it listens, providers and their models, endpoints, auth. */
export function startupFacts(gateway: RunningGateway): Record<string, unknown> {
  const { config } = gateway;
  return {
    url: gateway.url,
    config: config.source,
    providers: [...config.providers].map(([id, provider]) => ({
      id,
      wire: provider.settings.wire,
      simulated: provider.simulated,
      where: provider.embeddedSimulator
        ? 'embedded simulator'
        : redactUrl(provider.settings.baseUrl),
      models: [...config.models.values(), ...config.embeddingModels.values()]
        .filter((model) => model.deployments.some((deployment) => deployment.provider === id))
        .map((model) => model.name),
    })),
    endpoints: Object.fromEntries(
      [...namesByEndpoint(config)].map(([endpoint, names]) => [ENDPOINT_PATHS[endpoint], names]),
    ),
    routing: [...config.routing.policies].map(([name, policy]) => `${name} (${policy.type})`),
    auth: config.auth.requireKeys ? 'keys required' : 'open',
    catalog_warnings: config.catalogWarnings,
  };
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
