// Several replicas of one gateway on one Redis and one PostgreSQL (or SQLite when DATABASE_URL is
// unset): prints the budget overshoot of concurrent requests spread over the replicas, how long a
// key creation and a revocation take to reach the other replicas, how long an opened breaker and
// a deployment's latency figures take to reach them, and the upstream calls each burst of
// identical requests makes.
//
//   npm run build && REDIS_URL=redis://127.0.0.1:6379 DATABASE_URL=postgres://… node bench/replicas.mjs [--replicas 3] [--requests 200]
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Redis } from 'ioredis';
import { embeddedConfigFile } from '../dist/config/load-config.js';
import { resolveConfig } from '../dist/config/resolve-config.js';
import { startGateway } from '../dist/app/start-gateway.js';

const { values } = parseArgs({
  options: {
    replicas: { type: 'string', default: '3' },
    requests: { type: 'string', default: '200' },
  },
});
const count = Number(values.replicas);
const requests = Number(values.requests);
const REDIS_URL = process.env.REDIS_URL;
const DATABASE_URL = process.env.DATABASE_URL;
if (!REDIS_URL) throw new Error('REDIS_URL is required');
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const prefix = `switchyard-bench:${randomUUID()}:`;
const schema = `sy_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-replicas-'));

let databaseUrl;
if (DATABASE_URL) {
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  databaseUrl = `${DATABASE_URL}${DATABASE_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

const gateways = [];
try {
  for (let index = 0; index < count; index += 1) {
    const file = {
      ...embeddedConfigFile(),
      data_dir: dataDir,
      server: { port: 0, host: '127.0.0.1' },
      simulator: { enabled: true, time_scale: 0.2 },
      auth: { require_keys: true },
      admin: { token_env: 'BENCH_ADMIN_TOKEN' },
      ledger: { database_url_env: 'BENCH_DATABASE_URL', flush_interval_ms: 20 },
      shared_state: { key_prefix: prefix, key_refresh_ms: 0 },
      resilience: {
        retries: { max_per_deployment: 0 },
        breaker: { consecutive_failures: 2, open_ms: 60_000 },
      },
    };
    const environment = {
      BENCH_ADMIN_TOKEN: ADMIN_TOKEN,
      REDIS_URL,
      SWITCHYARD_REPLICA_ID: `bench-${index}`,
      ...(databaseUrl ? { BENCH_DATABASE_URL: databaseUrl } : {}),
    };
    gateways.push(await startGateway(resolveConfig(file, 'bench', environment)));
  }

  const admin = async (gateway, method, route, body) =>
    (
      await fetch(`${gateway.url}${route}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      })
    ).json();
  const ask = async (gateway, secret, body) => {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await response.arrayBuffer();
    return response.status;
  };
  const until = async (check) => {
    const start = performance.now();
    while (!(await check())) {
      if (performance.now() - start > 10_000) return Number.NaN;
    }
    return performance.now() - start;
  };

  // 1. Budget overshoot: `requests` concurrent requests near a $0.05 budget, round robin.
  const budgetUsd = 0.05;
  const budgeted = await admin(gateways[0], 'POST', '/admin/keys', {
    name: 'bench-budget',
    limits: { total_budget_usd: budgetUsd },
  });
  for (const gateway of gateways)
    await until(
      async () =>
        (await ask(gateway, budgeted.key, {
          model: 'gpt-4.1',
          max_tokens: 1,
          messages: [{ role: 'user', content: 'warm [[sim:tokens=1]]' }],
        })) === 200,
    );
  const statuses = await Promise.all(
    Array.from({ length: requests }, (_, index) =>
      ask(gateways[index % count], budgeted.key, {
        model: 'gpt-4.1',
        max_tokens: 300,
        messages: [{ role: 'user', content: `task ${index} [[sim:tokens=300]]` }],
      }),
    ),
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  const usage = (await admin(gateways[count - 1], 'GET', `/admin/keys/${budgeted.id}`)).usage;
  console.log(
    `budget: ${count} replicas, ${requests} concurrent requests, budget $${budgetUsd}: ${statuses.filter((status) => status === 200).length} served, spend $${usage.totalUsd.toFixed(6)}, overshoot $${Math.max(0, usage.totalUsd - budgetUsd).toFixed(6)} (${((usage.totalUsd / budgetUsd - 1) * 100).toFixed(2)}%)`,
  );

  // 2. Key propagation: create on replica 0, time until every other replica accepts; revoke, time until all refuse.
  const probe = {
    model: 'gpt-4o-mini',
    max_tokens: 1,
    messages: [{ role: 'user', content: 'ping [[sim:tokens=1]]' }],
  };
  const createDelays = [];
  const revokeDelays = [];
  for (let round = 0; round < 5; round += 1) {
    const made = await admin(gateways[0], 'POST', '/admin/keys', { name: `bench-${round}` });
    const madeAt = performance.now();
    const reached = await Promise.all(
      gateways
        .slice(1)
        .map((gateway) =>
          until(async () => (await ask(gateway, made.key, probe)) === 200).then(
            () => performance.now() - madeAt,
          ),
        ),
    );
    createDelays.push(Math.max(...reached));
    const revokedAt = performance.now();
    await admin(gateways[1 % count], 'DELETE', `/admin/keys/${made.id}`);
    const refused = await Promise.all(
      gateways.map((gateway) =>
        until(async () => (await ask(gateway, made.key, probe)) === 401).then(
          () => performance.now() - revokedAt,
        ),
      ),
    );
    revokeDelays.push(Math.max(...refused));
  }
  const summary = (list) =>
    `median ${[...list].sort((a, b) => a - b)[Math.floor(list.length / 2)].toFixed(1)} ms, max ${Math.max(...list).toFixed(1)} ms`;
  console.log(
    `key created on one replica, accepted by all (admin answer to last acceptance, probe round trips included): ${summary(createDelays)}`,
  );
  console.log(
    `key revoked on one replica, refused by all (from the DELETE call): ${summary(revokeDelays)}`,
  );

  // 3. Identical bursts: six identical concurrent requests, round robin over the replicas.
  const open = await admin(gateways[0], 'POST', '/admin/keys', { name: 'bench-burst' });
  for (const gateway of gateways)
    await until(async () => (await ask(gateway, open.key, probe)) === 200);
  const calls = [];
  for (let round = 0; round < 5; round += 1) {
    const before =
      gateways[0].simulator.stats().requests +
      gateways.slice(1).reduce((sum, gateway) => sum + gateway.simulator.stats().requests, 0);
    const body = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `burst ${randomUUID()} [[sim:tokens=60]]` }],
    };
    await Promise.all(
      Array.from({ length: 6 }, (_, index) => ask(gateways[index % count], open.key, body)),
    );
    const after = gateways.reduce((sum, gateway) => sum + gateway.simulator.stats().requests, 0);
    calls.push(after - before);
  }
  console.log(
    `upstream calls per burst of 6 identical concurrent requests over ${count} replicas: ${calls.join(', ')}`,
  );

  // 4. Breaker propagation: open one on replica 0 (two failures), time until every other replica shows it open.
  const breakerState = async (gateway, deployment) =>
    (await admin(gateway, 'GET', '/admin/breakers')).data.find(
      (entry) => entry.deployment === deployment,
    )?.state;
  const breakerDelays = [];
  const deployments = [
    ['deepseek-chat', 'sim-deepseek/deepseek-chat'],
    ['codestral-latest', 'sim-mistral/codestral-latest'],
    ['deepseek-reasoner', 'sim-deepseek/deepseek-reasoner'],
  ];
  for (const [model, deployment] of deployments) {
    for (let index = 0; index < 2; index += 1)
      await ask(gateways[0], open.key, {
        model,
        messages: [{ role: 'user', content: `fail ${randomUUID()} [[sim:fault=503]]` }],
      });
    const openedAt = performance.now();
    const reached = await Promise.all(
      gateways
        .slice(1)
        .map((gateway) =>
          until(async () => (await breakerState(gateway, deployment)) === 'open').then(
            () => performance.now() - openedAt,
          ),
        ),
    );
    breakerDelays.push(Math.max(...reached));
  }
  console.log(
    `breaker opened on one replica, open on all (admin API round trips included): ${summary(breakerDelays)}`,
  );

  // 5. Latency figures: 5 requests to a model on replica 0 only; time until the others' route
  // explain counts those samples (summaries go out every shared_state.latency_interval_ms, 1 s).
  const samplesOn = async (gateway, model) => {
    const response = await fetch(`${gateway.url}/v1/route/explain`, {
      method: 'POST',
      headers: { authorization: `Bearer ${open.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
    });
    return (await response.json()).candidates[0]?.latency_samples ?? 0;
  };
  const latencyModel = 'claude-3-5-haiku-20241022';
  for (let index = 0; index < 5; index += 1)
    await ask(gateways[0], open.key, {
      model: latencyModel,
      messages: [{ role: 'user', content: `measure ${index} [[sim:tokens=5]]` }],
    });
  const measuredAt = performance.now();
  const latencyReached = await Promise.all(
    gateways
      .slice(1)
      .map((gateway) =>
        until(async () => (await samplesOn(gateway, latencyModel)) >= 5).then(
          () => performance.now() - measuredAt,
        ),
      ),
  );
  console.log(
    `latency samples of one replica counted by the others: after ${latencyReached.map((delay) => `${delay.toFixed(0)} ms`).join(', ')}`,
  );
} finally {
  await Promise.all(gateways.map((gateway) => gateway.close(1000)));
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  if (DATABASE_URL) {
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}
