// Benchmark plumbing: start child processes and wait until they listen, run autocannon with a
// warm-up and a measured window, and make sure every child dies with the orchestrator.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import autocannon from 'autocannon';

const children = new Set();

/**
 * Spawns `command args`, resolves once a stdout/stderr line matches `ready` (the first capture
 * group is returned as `url`). Rejects if the child exits or is not ready within `timeoutMs`.
 */
export function startChild(name, command, args, { ready, env, timeoutMs = 20_000 } = {}) {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const handle = { name, child, url: undefined, output: '', stop: () => stopChild(handle) };
  children.add(handle);
  child.once('exit', () => children.delete(handle));
  return new Promise((resolve, reject) => {
    const fail = (why) => {
      clearTimeout(timer);
      stopChild(handle);
      reject(new Error(`${name}: ${why}\n--- output ---\n${handle.output.slice(-2000)}`));
    };
    const timer = setTimeout(() => fail(`not ready after ${timeoutMs} ms`), timeoutMs);
    const onData = (chunk) => {
      // Keep a bounded tail for error messages; the pipe must be drained either way.
      handle.output = (handle.output + chunk).slice(-8000);
      if (handle.url !== undefined) return;
      const match = ready.exec(handle.output);
      if (match) {
        handle.url = match[1];
        clearTimeout(timer);
        resolve(handle);
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) => {
      if (handle.url === undefined) fail(`exited early (code ${code}, signal ${signal})`);
    });
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the child is gone. */
export function stopChild(handle, graceMs = 3000) {
  const { child } = handle;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export function stopAll() {
  return Promise.all([...children].map((handle) => stopChild(handle)));
}

/**
 * Kills every child however the orchestrator ends: normal exit, error, Ctrl-C, SIGTERM, or the
 * `deadlineMs` watchdog that bounds the whole run.
 */
export function installCleanup(deadlineMs) {
  process.on('exit', () => {
    for (const { child } of children) child.kill('SIGKILL');
  });
  const abort = (why, code) => {
    process.stderr.write(`\n${why}: stopping all targets…\n`);
    stopAll().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => abort('SIGINT', 130));
  process.once('SIGTERM', () => abort('SIGTERM', 143));
  process.on('uncaughtException', (error) => abort(`uncaught: ${error.stack ?? error}`, 1));
  process.on('unhandledRejection', (error) =>
    abort(`unhandled rejection: ${error?.stack ?? error}`, 1),
  );
  setTimeout(
    () => abort(`watchdog: run exceeded ${Math.round(deadlineMs / 1000)} s`, 1),
    deadlineMs,
  ).unref();
}

/**
 * One load test: `warmup` seconds (discarded), then `duration` seconds measured, both at
 * `connections` concurrency. Latency percentiles come from every 2xx response of the measured
 * window (not autocannon's whole-ms histogram). `verifyBody` checks each body cheaply; a failed
 * check counts as an error (mismatch).
 */
export async function runLoad({
  url,
  headers,
  body,
  connections,
  warmup,
  duration,
  verifyBody,
  cpuPid,
}) {
  const base = { url, method: 'POST', headers, body, connections, timeout: 10, verifyBody };
  if (warmup > 0) await autocannon({ ...base, duration: warmup });
  const cpuBefore = cpuPid === undefined ? undefined : processCpuMs(cpuPid);
  const machineBefore = machineBusyMs();

  let latencies = new Float64Array(1 << 16);
  let count = 0;
  const instance = autocannon({ ...base, duration });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode < 200 || statusCode >= 300) return;
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = responseTime;
  });
  const result = await instance;
  const cpuAfter = cpuBefore === undefined ? undefined : processCpuMs(cpuPid);
  const machineAfter = machineBusyMs();

  const sorted = latencies.subarray(0, count).sort();
  const percentile = (p) =>
    count === 0 ? NaN : sorted[Math.min(count - 1, Math.ceil((p / 100) * count) - 1)];
  const ok = result['2xx'] - result.mismatches;
  const errors = result.errors + result.non2xx + result.mismatches;
  return {
    reqPerSec: ok / result.duration,
    p50Ms: percentile(50),
    p90Ms: percentile(90),
    p99Ms: percentile(99),
    maxMs: count === 0 ? NaN : sorted[count - 1],
    ok,
    errors,
    // CPU time (user + system, all threads) the process at cpuPid used per answered request in
    // the measured window; undefined when not asked for or not on Linux.
    cpuUsPerRequest:
      cpuBefore === undefined || cpuAfter === undefined || ok + errors === 0
        ? undefined
        : ((cpuAfter - cpuBefore) * 1000) / (ok + errors),
    // Busy CPU time of the whole machine (every core, every process: the load generator, the
    // upstream and the target) per answered request; undefined when /proc/stat is unreadable.
    machineCpuUsPerRequest:
      machineBefore === undefined || machineAfter === undefined || ok + errors === 0
        ? undefined
        : ((machineAfter - machineBefore) * 1000) / (ok + errors),
    detail: {
      durationS: result.duration,
      requests: result.requests.total,
      non2xx: result.non2xx,
      transportErrors: result.errors - result.timeouts,
      timeouts: result.timeouts,
      mismatches: result.mismatches,
      statusCodes: Object.fromEntries(
        Object.entries(result.statusCodeStats).map(([code, { count: n }]) => [code, n]),
      ),
      bytesPerSec: result.throughput.average,
    },
  };
}

let clockTicks;

/** /proc CPU times are in clock ticks (CLK_TCK, usually 100 per second). */
function ticksToMs(ticks) {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return (ticks * 1000) / clockTicks;
}

/**
 * CPU time (user + system, every thread) a process has used so far, in ms, from /proc (Linux
 * only; undefined elsewhere or once the process is gone). Resolution is one clock tick (10 ms):
 * fine over a measured window of seconds.
 */
export function processCpuMs(pid) {
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the parenthesized command name (which may hold spaces): utime is the 14th field, stime the 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ticksToMs(Number(fields[11]) + Number(fields[12]));
}

/**
 * Busy CPU time of the whole machine so far, in ms summed over cores: user, nice, system, irq and
 * softirq from /proc/stat (guest time is already inside user; idle, iowait and steal are not work
 * done here). Linux only; undefined elsewhere.
 */
export function machineBusyMs() {
  let stat;
  try {
    stat = readFileSync('/proc/stat', 'utf8');
  } catch {
    return undefined;
  }
  const fields = stat.slice(0, stat.indexOf('\n')).trim().split(/\s+/).slice(1, 8).map(Number);
  const [user, nice, system, , , irq, softirq] = fields;
  return ticksToMs(user + nice + system + irq + softirq);
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAvg: os.loadavg().map((n) => Number(n.toFixed(2))),
  };
}
