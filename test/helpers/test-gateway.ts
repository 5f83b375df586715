import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedConfigFile } from '../../src/config/load-config.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import type { ConfigFile } from '../../src/config/schema.js';
import type { RequestRecord } from '../../src/pipeline/request-record.js';
import { startGateway } from '../../src/app/start-gateway.js';
import type { RunningGateway } from '../../src/app/start-gateway.js';

export interface TestGateway extends RunningGateway {
  /** Every finished request, in order of completion. */
  records: RequestRecord[];
  /** Resolves with the record of the next request to finish. */
  nextRecord(): Promise<RequestRecord>;
}

/**
 * A real gateway on an ephemeral loopback port, backed by its embedded simulator fleet
 * (time scale 0 unless given), with config overrides merged over the embedded defaults.
 */
export async function startTestGateway(
  overrides: Partial<ConfigFile> = {},
  environment: Record<string, string> = {},
): Promise<TestGateway> {
  const base = embeddedConfigFile();
  const file: ConfigFile = {
    ...base,
    data_dir: mkdtempSync(join(tmpdir(), 'switchyard-test-data-')),
    ...overrides,
    server: { port: 0, host: '127.0.0.1', ...overrides.server },
    simulator: { enabled: true, time_scale: 0, ...overrides.simulator },
    // Retries wait milliseconds, never the simulator's one-second Retry-After, unless a test asks.
    resilience: {
      ...overrides.resilience,
      retries: {
        base_delay_ms: 1,
        max_delay_ms: 4,
        max_retry_after_ms: 0,
        ...overrides.resilience?.retries,
      },
    },
  };
  const config = resolveConfig(file, 'test', environment);
  const records: RequestRecord[] = [];
  const waiters: Array<(record: RequestRecord) => void> = [];
  const gateway = await startGateway(config, {
    observer: (record) => {
      records.push(record);
      waiters.shift()?.(record);
    },
  });
  return {
    ...gateway,
    records,
    nextRecord: () => new Promise((resolve) => waiters.push(resolve)),
  };
}
