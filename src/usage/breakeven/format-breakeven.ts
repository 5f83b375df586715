import type { BreakevenResult } from './compute-breakeven.js';

const tokens = (value: number): string =>
  Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '∞';
const dollars = (value: number): string =>
  `$${value.toFixed(value !== 0 && Math.abs(value) < 1 ? 4 : 2)}`;

/** The `switchyard breakeven` report: the traffic mix, the box, the break-even, both monthly costs and the split. */
export function formatBreakeven(result: BreakevenResult, selfHostedName: string): string {
  const { gpu } = result;
  const out: string[] = [];
  out.push(
    `Traffic: ${result.days.toFixed(1)} days from the ledger (answered, non-cached requests), priced at today's API prices.`,
    '',
  );
  if (result.lines.length === 0) out.push('  No traffic in this window.');
  else {
    const header = [
      'Model',
      'Provider',
      'Prompt',
      'Req/day',
      'Tokens/day',
      'API $/day',
      'Self-host?',
    ];
    const rows = result.lines.map((line) => [
      line.model,
      line.provider,
      line.bucket,
      line.requestsPerDay.toFixed(1),
      tokens(line.tokensPerDay),
      `${line.priced === 'ledger' ? '~' : ''}${dollars(line.apiUsdPerDay)}`,
      `${line.servable ? 'yes' : 'no'}: ${line.why}`,
    ]);
    const widths = header.map((_, index) =>
      Math.max(...[header, ...rows].map((row) => (row[index] ?? '').length)),
    );
    const render = (row: string[]): string =>
      row
        .map((cell, index) =>
          index >= 3 && index <= 5 ? cell.padStart(widths[index]!) : cell.padEnd(widths[index]!),
        )
        .join('  ')
        .trimEnd();
    out.push(`  ${render(header)}`, ...rows.map((row) => `  ${render(row)}`));
    if (result.lines.some((line) => line.priced === 'ledger'))
      out.push('  ~ no catalog price for this deployment: priced at the cost the ledger recorded.');
  }
  out.push(
    '',
    `Total: ${tokens(result.tokensPerDay)} tokens/day, ${dollars(result.apiUsdPerDay)}/day on APIs.`,
    `Servable by ${selfHostedName}: ${tokens(result.servableTokensPerDay)} tokens/day (${(result.servableShare * 100).toFixed(1)}%), ${dollars(result.servableApiUsdPerDay)}/day, i.e. $${result.servableUsdPerMillion.toFixed(3)} per million tokens.`,
    '',
    `GPU: ${gpu.name} at $${gpu.hourlyUsd.toFixed(3)}/hour (${gpu.source}) = ${dollars(gpu.usdPerDay)}/day, ${dollars(gpu.usdPerMonth)}/month.`,
    `  ${gpu.tokensPerSecond} tokens/s × ${gpu.concurrency} concurrent × 86,400 s × ${(gpu.utilisation * 100).toFixed(0)}% utilisation = ${tokens(result.capacityOutputTokensPerDay)} output tokens/day ≈ ${tokens(result.capacityTokensPerDay)} tokens/day of this mix.`,
    '',
    `Break-even: ${tokens(result.breakEvenTokensPerDay)} tokens/day (${dollars(gpu.usdPerDay)}/day ÷ $${result.servableUsdPerMillion.toFixed(3)}/M)${result.breakEvenReachable ? '.' : ' — more than one box can serve.'}`,
    `Monthly: APIs only ${dollars(result.monthly.apiOnly)}; with the GPU ${dollars(result.monthly.hybrid)} (GPU ${dollars(gpu.usdPerMonth)} + APIs for the rest).`,
    '',
    result.recommendation.summary,
    '',
  );
  return out.join('\n');
}
