import { redactText } from '../core/redact.js';
import { parseArgs } from 'node:util';
import { ConfigError } from '../core/config-error.js';
import { VERSION } from '../version.js';
import { runConfigCheck } from './config-check-command.js';
import { runModels } from './models-command.js';
import { runKeys } from './keys-command.js';
import { loadConfig } from '../config/load-config.js';
import { runCosts } from '../usage/reports/format-costs.js';
import { selfHostedPrices } from '../config/self-hosted-prices.js';
import { runServe } from './serve-command.js';
import { runSim } from './sim-command.js';
import { runRoute } from './route-command.js';
import { runBreakeven } from './breakeven-command.js';
import { runDoctor } from './doctor-command.js';
import { runInit } from './init-command.js';
import { readFileSync } from 'node:fs';

const USAGE = `Usage: switchyard <command> [options]

Commands:
  serve            Run the gateway (default). With no config: the built-in simulated providers.
  sim              Run only the simulator fleet (simulated upstream providers).
  config check     Validate the config and print it with secrets redacted.
  costs            Spend, tokens and savings from the usage ledger (data_dir SQLite or DATABASE_URL).
                   --from 7d|30d|today|YYYY-MM-DD (default 7d) --to now|… --group-by model,provider,key,day --json;
                   --outcomes: answer outcomes per model, bucket and signal (docs/routing.md)
  keys             Virtual API keys: keys create --name N [--models a,b] [--rpm N] [--tpm N]
                   [--daily-budget USD] [--monthly-budget USD] [--total-budget USD]; keys list; keys revoke ID
  route --explain  Explain how a request would be routed, without calling any provider:
                   --prompt TEXT | --file body.json | chat body on stdin; [--model auto]
                   [--latency-budget-ms N] [--json]
  breakeven        Self-hosting break-even over the ledger's traffic: --gpu PRESET | --gpu-hourly USD,
                   [--tokens-per-second 60] [--concurrency 1] [--utilisation 0.5] [--from 30d]
                   [--model CATALOG-MODEL | --quality PASS@1] [--max-prompt-tokens 16000]
                   [--price-per-million USD] [--json] (docs/breakeven.md)
  init             Write a commented ./switchyard.yaml (or --config FILE) for the providers whose
                   key variables are set (DEEPSEEK_API_KEY, ANTHROPIC_API_KEY, …); --force overwrites.
  doctor           Send one real 1-token request to every configured deployment and print status,
                   latency and price source (--json). Calls the providers: spends a few tokens.
  models           The model catalog: prices (with sources), limits, capabilities, tiers.
                   --json; --import-prices <file|url> [--import-provider ID] reports what an
                   OpenRouter-shaped /api/v1/models document would change.

Options:
  --config <file>  Config file (default: $SWITCHYARD_CONFIG, else ./switchyard.yaml, else embedded defaults)
  --port <n>       Listen port (default: $PORT, else server.port, else 4000; sim: 4100)
  --host <addr>    Listen address (default: $HOST, else server.host, else 127.0.0.1)
  --time-scale <x> sim: multiply simulated latencies (0 = instant)
  -h, --help       Show this help
  -v, --version    Show the version
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'time-scale': { type: 'string' },
      json: { type: 'boolean' },
      from: { type: 'string' },
      to: { type: 'string' },
      'group-by': { type: 'string' },
      outcomes: { type: 'boolean' },
      name: { type: 'string' },
      models: { type: 'string' },
      rpm: { type: 'string' },
      tpm: { type: 'string' },
      'daily-budget': { type: 'string' },
      'monthly-budget': { type: 'string' },
      'total-budget': { type: 'string' },
      'import-prices': { type: 'string' },
      'import-provider': { type: 'string' },
      explain: { type: 'boolean' },
      prompt: { type: 'string' },
      file: { type: 'string' },
      model: { type: 'string' },
      'latency-budget-ms': { type: 'string' },
      gpu: { type: 'string' },
      'gpu-hourly': { type: 'string' },
      'tokens-per-second': { type: 'string' },
      concurrency: { type: 'string' },
      utilisation: { type: 'string' },
      quality: { type: 'string' },
      'max-prompt-tokens': { type: 'string' },
      'price-per-million': { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const port = values.port === undefined ? undefined : parsePort(values.port);
  const [command = 'serve', subcommand] = positionals;
  const common = {
    ...(values.config === undefined ? {} : { config: values.config }),
    ...(port === undefined ? {} : { port }),
    ...(values.host === undefined ? {} : { host: values.host }),
  };
  switch (command) {
    case 'serve':
      return runServe(common);
    case 'sim':
      return runSim({
        ...common,
        ...(values['time-scale'] === undefined ? {} : { timeScale: Number(values['time-scale']) }),
      });
    case 'keys':
      return runKeys({
        ...(values.config === undefined ? {} : { config: values.config }),
        action: subcommand,
        ...definedFlags({
          id: positionals[2],
          name: values.name,
          models: values.models,
          rpm: values.rpm,
          tpm: values.tpm,
          dailyBudget: values['daily-budget'],
          monthlyBudget: values['monthly-budget'],
          totalBudget: values['total-budget'],
        }),
        ...(values.json ? { json: true } : {}),
      });
    case 'costs': {
      const config = loadConfig({
        ...(values.config === undefined ? {} : { path: values.config }),
      });
      return runCosts({
        dataDir: config.dataDir,
        databaseUrl: config.ledger.databaseUrl,
        from: values.from,
        to: values.to,
        groupBy: values['group-by'],
        json: values.json,
        outcomes: values.outcomes,
        selfHosted: selfHostedPrices(config),
      });
    }
    case 'init':
      return runInit({
        ...(values.config === undefined ? {} : { path: values.config }),
        ...(values.force ? { force: true } : {}),
      });
    case 'doctor':
      return runDoctor({
        ...(values.config === undefined ? {} : { config: values.config }),
        ...(values.json ? { json: true } : {}),
      });
    case 'models':
      return runModels({
        ...common,
        ...(values.json ? { json: true } : {}),
        ...(values['import-prices'] === undefined ? {} : { importPrices: values['import-prices'] }),
        ...(values['import-provider'] === undefined
          ? {}
          : { importProvider: values['import-provider'] }),
      });
    case 'route':
      return runRoute({
        explain: values.explain ?? false,
        readStdin: () => readFileSync(0, 'utf8'),
        ...(values.json ? { json: true } : {}),
        ...definedFlags({
          config: values.config,
          prompt: values.prompt,
          file: values.file,
          model: values.model,
          latencyBudgetMs: values['latency-budget-ms'],
        }),
      });
    case 'breakeven':
      return runBreakeven({
        ...definedFlags({
          config: values.config,
          gpu: values.gpu,
          gpuHourly: values['gpu-hourly'],
          tokensPerSecond: values['tokens-per-second'],
          concurrency: values.concurrency,
          utilisation: values.utilisation,
          from: values.from,
          model: values.model,
          quality: values.quality,
          maxPromptTokens: values['max-prompt-tokens'],
          pricePerMillion: values['price-per-million'],
        }),
        ...(values.json ? { json: true } : {}),
      });
    case 'config':
      if (subcommand === 'check') return runConfigCheck(common);
      break;
  }
  process.stderr.write(`Unknown command: ${positionals.join(' ')}\n\n${USAGE}`);
  return 2;
}

function definedFlags(flags: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(flags).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError('--port', [`--port must be an integer 0-65535, got "${text}"`]);
  return port;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0 || process.exitCode === undefined) process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
    else if (
      error instanceof TypeError &&
      (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')
    )
      process.stderr.write(`${error.message}\n\n${USAGE}`);
    else
      process.stderr.write(
        `switchyard: ${redactText(error instanceof Error ? error.message : String(error))}\n`,
      );
    // Exit now: a failed start may leave timers or database handles that would keep the process up.
    process.exit(1);
  },
);
