import { runDoctorChecks, type DoctorRow } from '../app/run-doctor.js';
import { loadConfig } from '../config/load-config.js';

export interface DoctorCommandOptions {
  config?: string;
  json?: boolean;
  write?: (text: string) => void;
}

/** `switchyard doctor`: a table of every deployment's 1-token check; exit 1 when any failed. */
export async function runDoctor(options: DoctorCommandOptions): Promise<number> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const config = loadConfig(options.config === undefined ? {} : { path: options.config });
  const rows = await runDoctorChecks(config);
  write(options.json ? `${JSON.stringify(rows, null, 2)}\n` : formatDoctor(rows, config.source));
  return rows.every((row) => row.status === 'ok') ? 0 : 1;
}

export function formatDoctor(rows: readonly DoctorRow[], source: string): string {
  const header = ['deployment', 'status', 'latency', 'price source'];
  const cells = rows.map((row) => [
    `${row.provider}/${row.model}${row.upstreamModel === row.model ? '' : ` (${row.upstreamModel})`}`,
    row.status === 'ok'
      ? 'ok'
      : `${row.status}${row.httpStatus === null ? '' : ` (HTTP ${row.httpStatus})`}`,
    `${row.latencyMs} ms`,
    // The first clause (the primary source); --json has the whole text with its cross-checks.
    row.priceSource.split('; ')[0]!,
  ]);
  const widths = header.map((title, index) =>
    Math.min(60, Math.max(title.length, ...cells.map((line) => line[index]!.length))),
  );
  const line = (values: string[]) =>
    values
      .map((value, index) => (index === values.length - 1 ? value : value.padEnd(widths[index]!)))
      .join('  ');
  const failed = rows.filter((row) => row.status !== 'ok');
  return [
    `switchyard doctor: one real 1-token request per deployment (${source})`,
    '',
    line(header),
    ...cells.map(line),
    '',
    failed.length === 0
      ? `All ${rows.length} deployments answered.`
      : `${failed.length} of ${rows.length} failed:\n${failed.map((row) => `  ${row.provider}/${row.model}: ${row.detail ?? row.status}`).join('\n')}`,
    '',
  ].join('\n');
}
