export { formatCostsTable, runCosts, usd, type RunCostsOptions } from './format-costs.js';
export { parseGroupBy, parseTimeBound } from './report-range.js';
