import { describe, expect, it } from 'vitest';
import { DeploymentBreakers } from './deployment-breakers.js';

const settings = {
  windowMs: 10_000,
  minRequests: 4,
  errorRate: 0.5,
  consecutiveFailures: 3,
  openMs: 1000,
  halfOpenProbes: 1,
  authCooldownMs: 60_000,
};

describe('DeploymentBreakers', () => {
  it('opens after consecutive failures, lets one probe through after open_ms, closes on its success', () => {
    const breakers = new DeploymentBreakers(settings, () => {});
    for (let index = 0; index < 3; index += 1)
      breakers.failed('p/m', breakers.acquire('p/m', 0)!, 0, 'upstream_unavailable');
    expect(breakers.available('p/m', 10)).toBe(false);
    expect(breakers.acquire('p/m', 10)).toBeUndefined();
    expect(breakers.snapshot(10)[0]).toMatchObject({
      state: 'open',
      opened: 1,
      lastError: 'upstream_unavailable',
    });
    const probe = breakers.acquire('p/m', 1000);
    expect(probe).toBe('probe');
    expect(breakers.acquire('p/m', 1000)).toBeUndefined(); // one probe at a time
    expect(breakers.available('p/m', 1000)).toBe(false);
    breakers.succeeded('p/m', probe!, 1001);
    expect(breakers.snapshot(1001)[0]).toMatchObject({ state: 'closed', available: true });
  });

  it('reopens when the half-open probe fails', () => {
    const breakers = new DeploymentBreakers(settings, () => {});
    for (let index = 0; index < 3; index += 1)
      breakers.failed('p/m', 'normal', 0, 'upstream_timeout');
    const probe = breakers.acquire('p/m', 1000)!;
    breakers.failed('p/m', probe, 1000, 'upstream_timeout');
    expect(breakers.snapshot(1500)[0]).toMatchObject({ state: 'open', opened: 2 });
    expect(breakers.available('p/m', 1999)).toBe(false);
    expect(breakers.available('p/m', 2000)).toBe(true);
  });

  it('opens on the error rate within the window, not on failures spread over older windows', () => {
    const breakers = new DeploymentBreakers({ ...settings, consecutiveFailures: 100 }, () => {});
    // Old failures fall out of the window.
    breakers.failed('p/m', 'normal', 0, 'upstream_unavailable');
    breakers.failed('p/m', 'normal', 0, 'upstream_unavailable');
    breakers.succeeded('p/m', 'normal', 20_000);
    breakers.failed('p/m', 'normal', 20_001, 'upstream_unavailable');
    expect(breakers.snapshot(20_001)[0]!.state).toBe('closed');
    breakers.succeeded('p/m', 'normal', 20_002);
    breakers.failed('p/m', 'normal', 20_003, 'upstream_unavailable');
    expect(breakers.snapshot(20_003)[0]!.state).toBe('open'); // 2 of 4 in the window
  });

  it('cools a deployment down for its Retry-After, and a whole provider whose key was refused, alerting once without the key', () => {
    const alerts: string[] = [];
    const breakers = new DeploymentBreakers(settings, (message) => alerts.push(message));
    breakers.failed('p/m', 'normal', 0, 'upstream_rate_limited', 500);
    expect(breakers.available('p/m', 499)).toBe(false);
    expect(breakers.available('p/m', 500)).toBe(true);
    breakers.coolProvider('q', 0, 'upstream_auth, HTTP 401');
    breakers.coolProvider('q', 1, 'upstream_auth, HTTP 401');
    expect(breakers.available('q/a', 59_999)).toBe(false);
    expect(breakers.available('q/b', 59_999)).toBe(false);
    expect(breakers.available('q/b', 60_000)).toBe(true);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toContain('provider "q" refused');
    expect(breakers.snapshot(10, ['q/a'])[0]).toMatchObject({
      available: false,
      cooldownReason: 'upstream_auth, HTTP 401',
    });
  });
});
