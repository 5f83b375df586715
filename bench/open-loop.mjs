// Open-loop load: requests leave on a fixed schedule, `rate` per second, whatever the answers do.
// Each latency counts from the request's scheduled send time, not from when it was actually sent,
// so a stall that holds requests back shows in their latency too (no coordinated omission: a
// closed-loop generator such as autocannon waits for answers and so stops sending during a stall).
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

/**
 * One open-loop run: `warmup` seconds (discarded), then `duration` seconds measured, at `rate`
 * requests per second. A body is read whole; latency is from the scheduled send to its last byte.
 * `lagMs` is how late the generator itself sent (p99, max): when it is large, the generator, not
 * the target, could not keep the schedule on this machine.
 */
export async function runOpenLoop({
  url,
  headers,
  body,
  rate,
  warmup,
  duration,
  verifyBody,
  connections = 1024,
}) {
  const target = new URL(url);
  const pool = new Pool(target.origin, {
    connections,
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  const path = `${target.pathname}${target.search}`;
  const interval = 1000 / rate;
  const total = Math.round((warmup + duration) * rate);
  const measuredFrom = Math.round(warmup * rate);

  const latencies = new Float64Array(total - measuredFrom);
  const lags = new Float64Array(total - measuredFrom);
  let measured = 0;
  let ok = 0;
  let errors = 0;
  let sent = 0;
  const inFlight = new Set();

  const send = (index, scheduledAt) => {
    const lag = performance.now() - scheduledAt;
    const counted = index >= measuredFrom;
    const call = pool
      .request({ path, method: 'POST', headers, body })
      .then(async (answer) => {
        const text = await answer.body.text();
        const latency = performance.now() - scheduledAt;
        if (!counted) return;
        if (answer.statusCode >= 200 && answer.statusCode < 300 && verifyBody(text)) {
          latencies[measured] = latency;
          lags[measured] = lag;
          measured += 1;
          ok += 1;
        } else errors += 1;
      })
      .catch(() => {
        if (counted) errors += 1;
      })
      .finally(() => inFlight.delete(call));
    inFlight.add(call);
  };

  const start = performance.now() + 5;
  await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      // Every request whose time has come leaves now, each with its own scheduled time.
      while (sent < total && start + sent * interval <= now) {
        send(sent, start + sent * interval);
        sent += 1;
      }
      if (sent === total) resolve();
      else setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
    };
    setTimeout(tick, 5);
  });
  await Promise.allSettled([...inFlight]);
  await pool.close();

  const sorted = latencies.subarray(0, measured).sort();
  const sortedLags = lags.subarray(0, measured).sort();
  const percentile = (values, p) =>
    values.length === 0
      ? Number.NaN
      : values[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)];
  return {
    rate,
    ok,
    errors,
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    p999Ms: percentile(sorted, 99.9),
    maxMs: measured === 0 ? Number.NaN : sorted[measured - 1],
    lagP99Ms: percentile(sortedLags, 99),
    lagMaxMs: measured === 0 ? Number.NaN : sortedLags[measured - 1],
  };
}
