import type { Capabilities, ModelDeployment } from './catalog-types.js';
import type { PriceImportReport } from './import/import-openrouter-prices.js';
import type { ConfiguredDeployment } from './match-config-provider.js';

const CAPABILITY_LABELS: ReadonlyArray<[keyof Capabilities, string]> = [
  ['tools', 'tools'],
  ['jsonMode', 'json'],
  ['fim', 'fim'],
  ['streaming', 'stream'],
  ['reasoning', 'reason'],
];

const HEADERS = [
  '',
  'model',
  'provider',
  'upstream',
  '$/M in',
  'cached',
  'out',
  'context',
  'capabilities',
  'tier',
  'price date',
];

export interface CatalogTableInput {
  deployments: readonly ModelDeployment[];
  /** Deployments the loaded config serves: marked `*`; those missing from the catalog get a row. */
  configured: readonly ConfiguredDeployment[];
}

/**
 * The catalog as a text table: one row per deployment, `*` marking those the config serves,
 * `?` for unknown figures, `-` for a cached price that falls back to the input price.
 */
export function formatCatalogTable(input: CatalogTableInput): string {
  const served = new Set(
    input.configured.flatMap((entry) => (entry.catalog ? [key(entry.catalog)] : [])),
  );
  const rows = input.deployments.map((deployment) => [
    served.has(key(deployment)) ? '*' : '',
    deployment.model,
    deployment.provider,
    deployment.upstreamModel,
    money(deployment.price.inputPerMillion),
    deployment.price.cachedInputPerMillion === undefined &&
    deployment.price.inputPerMillion !== undefined
      ? '-'
      : money(deployment.price.cachedInputPerMillion),
    money(deployment.price.outputPerMillion),
    deployment.contextWindow === undefined ? '?' : tokens(deployment.contextWindow),
    capabilityList(deployment.capabilities),
    String(deployment.tier),
    `${deployment.price.asOf ?? '?'}${deployment.price.tiers ? ' tiered' : ''}`,
  ]);
  for (const entry of input.configured) {
    if (!entry.catalog)
      rows.push([
        '*',
        entry.model,
        entry.provider,
        entry.upstreamModel,
        '?',
        '?',
        '?',
        '?',
        '?',
        '?',
        'not in catalog',
      ]);
  }
  const widths = HEADERS.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column >= 4 && column <= 7 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  return [line(HEADERS), ...rows.map(line)].join('\n');
}

function key(deployment: { model: string; provider: string }): string {
  return `${deployment.model}\u0000${deployment.provider}`;
}

function money(value: number | undefined): string {
  return value === undefined ? '?' : String(Number(value.toPrecision(6)));
}

function tokens(value: number): string {
  return value.toLocaleString('en-US');
}

function capabilityList(capabilities: Capabilities): string {
  return (
    CAPABILITY_LABELS.flatMap(([name, label]) => (capabilities[name] === true ? [label] : [])).join(
      ',',
    ) || '-'
  );
}

/** The price-import report as readable text (the overrides are printed separately). */
export function formatImportReport(report: PriceImportReport): string {
  const lines = [
    `Price import from ${report.source} into provider "${report.provider}" (as of ${report.asOf})`,
  ];
  if (report.changes.length > 0) {
    lines.push('', 'Changed:');
    for (const change of report.changes) {
      lines.push(
        `  ${change.model} @ ${change.provider}  ${change.field}: ${change.from ?? '(none)'} → ${change.to}`,
      );
    }
  }
  if (report.added.length > 0) {
    lines.push('', 'Added deployments:');
    for (const entry of report.added) {
      lines.push(
        `  ${entry.model} @ ${entry.provider} as ${entry.upstreamModel}: ${Object.entries(
          entry.figures,
        )
          .map(([field, value]) => `${field} ${value}`)
          .join(', ')}`,
      );
    }
  }
  if (report.unchanged.length > 0) lines.push('', `Unchanged: ${report.unchanged.join(', ')}`);
  if (report.skipped.length > 0)
    lines.push('', `Skipped (no deployment on ${report.provider}): ${report.skipped.join(', ')}`);
  if (report.missingFromDocument.length > 0) {
    lines.push(
      '',
      `Not in the document: ${report.missingFromDocument.map((entry) => `${entry.model} (${entry.openRouterId})`).join(', ')}`,
    );
  }
  if (report.unmatched.length > 0) {
    const shown = report.unmatched.slice(0, 20);
    const more = report.unmatched.length - shown.length;
    lines.push(
      '',
      `Document entries matching no catalog model (${report.unmatched.length}, not imported): ${shown.join(', ')}${more > 0 ? `, … ${more} more` : ''}`,
    );
  }
  if (report.invalid.length > 0) {
    lines.push('', 'Invalid entries (skipped):');
    for (const entry of report.invalid)
      lines.push(
        `  #${entry.index}${entry.id === undefined ? '' : ` ${entry.id}`}: ${entry.problem}`,
      );
  }
  return lines.join('\n');
}
