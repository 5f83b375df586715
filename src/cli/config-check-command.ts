import { loadConfig, redactedConfig } from '../config/load-config.js';

export interface CommonOptions {
  config?: string;
  port?: number;
  host?: string;
}

/** `switchyard config check`: validate, then print the resolved config with secrets redacted. */
export function runConfigCheck(options: CommonOptions): number {
  const config = loadConfig({ ...(options.config === undefined ? {} : { path: options.config }) });
  process.stdout.write(
    `${JSON.stringify(redactedConfig(config), null, 2)}\nConfiguration OK (${config.source}).\n`,
  );
  return 0;
}
