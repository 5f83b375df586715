import { describe, expect, it } from 'vitest';
import { validateLimits } from '../keys/key-input.js';
import { parseCreateKey } from './admin-api.js';

describe('limit names', () => {
  it('names inherited from Object.prototype are unknown limits, with the list of known ones', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const body: unknown = JSON.parse(`{"name":"k","limits":{${JSON.stringify(name)}:5}}`);
      expect(() => parseCreateKey(body)).toThrow(
        `Unknown limit "${name}"; known: requests_per_minute, tokens_per_minute, daily_budget_usd, monthly_budget_usd, total_budget_usd.`,
      );
      expect(() => validateLimits(JSON.parse(`{${JSON.stringify(name)}:5}`))).toThrow(
        `unknown limit ${JSON.stringify(name)}`,
      );
    }
  });
});
