import type { OutcomeReportRow } from '../ledger/ledger.js';

/** The outcomes report as a table: per model, provider, bucket and signal, how many and the pass rate. */
export function formatOutcomesTable(
  rows: readonly OutcomeReportRow[],
  from: number,
  to: number,
): string {
  const lines = [
    `Answer outcomes ${new Date(from).toISOString().slice(0, 16).replace('T', ' ')} – ${new Date(to).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
  ];
  if (rows.length === 0)
    return `${lines.join('\n')}No outcomes recorded (POST /v1/feedback, or the implicit signals in docs/routing.md).\n`;
  const header = ['model', 'provider', 'bucket', 'signal', 'outcomes', 'passed'];
  const cells = rows.map((row) => [
    row.model,
    row.provider,
    row.bucket,
    row.signal,
    String(row.outcomes),
    `${((row.passed / Math.max(1, row.outcomes)) * 100).toFixed(1)}%`,
  ]);
  const widths = header.map((name, index) =>
    Math.max(name.length, ...cells.map((row) => row[index]!.length)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, index) =>
        index >= 4 ? value.padStart(widths[index]!) : value.padEnd(widths[index]!),
      )
      .join('  ')
      .trimEnd();
  lines.push(line(header), ...cells.map(line));
  return `${lines.join('\n')}\n`;
}
