import { loadConfig } from '../config/load-config.js';
import type { KeyLimits, VirtualKey } from '../keys/key-types.js';
import { openKeyStore } from '../keys/open-key-store.js';

export interface KeysCommandOptions {
  config?: string;
  /** `create`, `list` or `revoke`. */
  action: string | undefined;
  /** The key id, for `revoke`. */
  id?: string;
  name?: string;
  /** Comma-separated allowed models. */
  models?: string;
  rpm?: string;
  tpm?: string;
  dailyBudget?: string;
  monthlyBudget?: string;
  totalBudget?: string;
  json?: boolean;
  stdout?: { write(text: string): unknown };
}

/**
 * `switchyard keys create|list|revoke`: manages virtual keys directly in the store the gateway
 * uses (the SQLite file in data_dir, or DATABASE_URL). A running gateway sees changes within its
 * refresh interval (5 s); the admin API applies them at once.
 */
export async function runKeys(options: KeysCommandOptions): Promise<number> {
  const out = options.stdout ?? process.stdout;
  const config = loadConfig({ ...(options.config === undefined ? {} : { path: options.config }) });
  const store = await openKeyStore({
    dataDir: config.dataDir,
    databaseUrl: config.ledger.databaseUrl,
  });
  try {
    switch (options.action) {
      case 'create': {
        if (!options.name) throw new Error('keys create needs --name');
        const limits: KeyLimits = {};
        setNumber(limits, 'requestsPerMinute', options.rpm, '--rpm');
        setNumber(limits, 'tokensPerMinute', options.tpm, '--tpm');
        setNumber(limits, 'dailyBudgetUsd', options.dailyBudget, '--daily-budget');
        setNumber(limits, 'monthlyBudgetUsd', options.monthlyBudget, '--monthly-budget');
        setNumber(limits, 'totalBudgetUsd', options.totalBudget, '--total-budget');
        const models = options.models
          ?.split(',')
          .map((model) => model.trim())
          .filter((model) => model !== '');
        const { key, secret } = await store.create({
          name: options.name,
          limits,
          ...(models && models.length > 0 ? { allowedModels: models } : {}),
        });
        if (options.json)
          out.write(`${JSON.stringify({ ...key, hash: undefined, key: secret }, null, 2)}\n`);
        else
          out.write(
            `Created ${key.id} (${key.name}). The key is shown only this once:\n\n  ${secret}\n\n${describe(key)}\n`,
          );
        return 0;
      }
      case 'list': {
        const keys = await store.list();
        if (options.json)
          out.write(
            `${JSON.stringify(
              keys.map((key) => ({ ...key, hash: undefined })),
              null,
              2,
            )}\n`,
          );
        else out.write(keys.length === 0 ? 'No keys.\n' : `${keys.map(describe).join('\n')}\n`);
        return 0;
      }
      case 'revoke': {
        if (!options.id) throw new Error('keys revoke needs the key id');
        if (!(await store.revoke(options.id))) {
          process.stderr.write(`No key with id ${options.id}.\n`);
          return 1;
        }
        out.write(`Revoked ${options.id}.\n`);
        return 0;
      }
      default:
        throw new Error(
          'usage: switchyard keys create --name N [--models a,b] [--rpm N] [--tpm N] [--daily-budget USD] [--monthly-budget USD] [--total-budget USD] | keys list [--json] | keys revoke ID',
        );
    }
  } finally {
    await store.close();
  }
}

function setNumber(
  limits: KeyLimits,
  field: keyof KeyLimits,
  text: string | undefined,
  flag: string,
): void {
  if (text === undefined) return;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${flag} must be a positive number, got "${text}"`);
  limits[field] = value;
}

function describe(key: VirtualKey): string {
  const limits =
    Object.entries(key.limits)
      .map(([name, value]) => `${name}=${value}`)
      .join(' ') || 'no limits';
  const state =
    key.revokedAt === undefined ? 'active' : `revoked ${new Date(key.revokedAt).toISOString()}`;
  return `${key.id}  ${key.prefix}…  ${key.name}  [${state}]  models: ${key.allowedModels?.join(',') ?? 'all'}  ${limits}`;
}
