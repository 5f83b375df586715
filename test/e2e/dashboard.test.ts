import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumAvailable } from '../helpers/chromium.js';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';
import { selfHostedPrices } from '../../src/config/self-hosted-prices.js';

/**
 * The dashboard in real Chromium: a seeded workload (several models, a cache hit, an error, a
 * virtual key with a budget) and the page's figures compared with the ledger's own report.
 * Screenshots go to test-artifacts/dashboard/ (gitignored).
 */
const ADMIN_TOKEN = 'dashboard-admin-token-0123456789';
const ARTIFACTS = path.resolve(import.meta.dirname, '..', '..', 'test-artifacts', 'dashboard');
const haveChromium = chromiumAvailable();

let gateway: TestGateway;
let browser: Browser;
let keySecret: string;

const chat = (model: string, content: string, key?: string) =>
  fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: JSON.stringify({ model, messages: [{ role: 'user', content }] }),
  });

const text = (page: Page, selector: string) => page.locator(selector).innerText();

describe.skipIf(!haveChromium)('dashboard in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    gateway = await startTestGateway(
      { admin: { token_env: 'DASHBOARD_ADMIN_TOKEN' } },
      { DASHBOARD_ADMIN_TOKEN: ADMIN_TOKEN },
    );
    const created = await fetch(`${gateway.url}/admin/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'team-a', limits: { daily_budget_usd: 5 } }),
    });
    keySecret = ((await created.json()) as { key: string }).key;
    // The workload: auto-routed and direct requests, one repeated (a cache hit), one unknown model.
    const workload = [
      chat('auto', 'Write a Python hello world [[sim:tokens=20]]', keySecret),
      chat('deepseek-chat', 'Explain closures [[sim:tokens=30]]', keySecret),
      chat('gpt-4o-mini', 'Name three sorting algorithms [[sim:tokens=12]]'),
      chat('claude-sonnet-4-20250514', 'Refactor this function [[sim:tokens=40]]'),
      chat('no-such-model', 'hello'),
    ];
    const answered = await Promise.all(workload);
    for (const response of answered) await response.arrayBuffer();
    // Outcomes: the client's feedback on two routed answers (a pass and a failure), and a JSON
    // answer that stays invalid, so the executor escalates away from each model it tries.
    const second = await chat('auto', 'Write a Go hello world [[sim:tokens=20]]', keySecret);
    await second.arrayBuffer();
    const invalid = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keySecret}` },
      body: JSON.stringify({
        model: 'auto',
        response_format: { type: 'json_object' },
        messages: [{ role: 'user', content: 'Reply in json [[sim:fault=malformed]]' }],
      }),
    });
    await invalid.arrayBuffer();
    for (const [response, outcome] of [
      [answered[0]!, 'pass'],
      [second, 'fail'],
    ] as const) {
      const sent = await fetch(`${gateway.url}/v1/feedback`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          request_id: response.headers.get('x-request-id'),
          outcome,
          source: 'pytest',
        }),
      });
      expect(sent.status).toBe(200);
      await sent.arrayBuffer();
    }
    const again = await chat('deepseek-chat', 'Explain closures [[sim:tokens=30]]', keySecret);
    expect(again.headers.get('x-switchyard-cache')).toBe('hit');
    await again.arrayBuffer();
    await gateway.ledger!.flush();
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it('refuses the page and its APIs without the admin token', async () => {
    const page = await browser.newPage();
    const refused = await page.goto(`${gateway.url}/dashboard`);
    expect(refused?.status()).toBe(401);
    expect(await page.locator('form input[name=token]').count()).toBe(1);
    for (const api of [
      '/admin/usage',
      '/admin/requests',
      '/admin/latency',
      '/dashboard/assets/dashboard.js',
    ]) {
      expect((await fetch(`${gateway.url}${api}`)).status, api).toBe(401);
    }
    // A wrong token is refused too; the cookie does not let a write through.
    await page.fill('input[name=token]', 'not-the-token');
    await page.click('button[type=submit]');
    expect(await page.locator('[role=alert]').innerText()).toContain('not the admin token');
    await page.screenshot({ path: path.join(ARTIFACTS, 'refused.png') });
    await page.close();
  });

  it("shows the seeded workload's figures as the ledger reports them, and a request's route decision on click", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`));
    await page.goto(`${gateway.url}/dashboard`);
    await page.fill('input[name=token]', ADMIN_TOKEN);
    await Promise.all([
      page.waitForURL(`${gateway.url}/dashboard`),
      page.click('button[type=submit]'),
    ]);
    await page.waitForSelector('body[data-refreshed]');

    const now = Date.now();
    const report = await gateway.ledger!.report({
      from: now - 86_400_000,
      to: now + 1,
      groupBy: ['model'],
      selfHosted: selfHostedPrices(gateway.config),
    });
    const totals = report.totals;
    expect(totals.requests).toBe(8);
    expect(await text(page, '[data-figure=requests] dd')).toBe(String(totals.requests));
    expect(await text(page, '[data-figure=errors] dd')).toContain(String(totals.errors));
    expect(await text(page, '[data-figure=cache_hits] dd')).toBe(String(totals.cacheHits));
    expect(await text(page, '[data-figure=cost_usd] dd')).toBe(`$${totals.costUsd.toFixed(6)}`);
    expect(await text(page, '[data-figure=saved_by_cache_usd] dd')).toBe(
      `$${totals.savedByCacheUsd.toFixed(6)}`,
    );
    expect(await text(page, '[data-figure=saved_by_routing_usd] dd')).toBe(
      `$${totals.savedByRoutingUsd.toFixed(6)}`,
    );
    expect(await text(page, '[data-figure=self_hosted_usd] dd')).toBe(
      `$${totals.selfHostedUsd.toFixed(6)}`,
    );
    // The spend legend (text next to the canvas) carries the same totals.
    expect(await text(page, '#spend-table tbody tr:nth-child(1) [data-field=total]')).toBe(
      `$${totals.costUsd.toFixed(6)}`,
    );
    expect(await page.locator('#spend-chart canvas').count()).toBeGreaterThan(0);

    // Model mix: one row per model the ledger groups, with its requests and spend.
    for (const row of report.rows) {
      const name = row.group.model ?? '(none)';
      const line = page.locator('#models-table tbody tr', {
        has: page.locator('[data-field=model]', {
          hasText: new RegExp(`^${name.replace(/[()]/g, '\\$&')}$`),
        }),
      });
      expect(await line.locator('[data-field=requests]').innerText(), name).toBe(
        String(row.requests),
      );
      expect(await line.locator('[data-field=cost_usd]').innerText(), name).toBe(
        `$${row.costUsd.toFixed(6)}`,
      );
    }
    // Latency per deployment lists every deployment that got an attempt.
    const attempts = await gateway.ledger!.attemptRows({ from: now - 86_400_000, to: now + 1 });
    for (const attempt of attempts)
      await expect
        .poll(() => text(page, '#latency-table'))
        .toContain(`${attempt.provider}/${attempt.model}`);
    // Recent requests: eight rows; the key's budget use.
    expect(await page.locator('#requests-table tbody tr').count()).toBe(8);
    const keyRow = await text(page, '#keys-table tbody');
    expect(keyRow).toContain('team-a');
    expect(keyRow).toContain('of $5.000000');
    expect(await text(page, '#breakers-table')).toContain('closed');
    expect(await text(page, '#breakeven [data-field=breakeven]')).toContain('Break-even');
    // Outcomes and escalations: the figures the ledger holds, as text.
    const outcomes = await gateway.ledger!.outcomeReport({ from: now - 86_400_000, to: now + 1 });
    const escalations = await gateway.ledger!.escalationReport({
      from: now - 86_400_000,
      to: now + 1,
    });
    const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
    const outcomeCount = sum(outcomes.map((row) => row.outcomes));
    const passCount = sum(outcomes.map((row) => row.passCount));
    expect(outcomes.filter((row) => row.signal === 'feedback')).toHaveLength(2);
    expect(await text(page, '#outcomes-summary [data-figure=outcomes] dd')).toBe(
      String(outcomeCount),
    );
    expect(await text(page, '#outcomes-summary [data-figure=passed] dd')).toBe(String(passCount));
    expect(await text(page, '#outcomes-summary [data-figure=failed] dd')).toBe(
      String(outcomeCount - passCount),
    );
    expect(escalations.length).toBeGreaterThan(0);
    expect(await text(page, '#outcomes-summary [data-figure=structured_output] dd')).toBe(
      String(sum(escalations.map((row) => row.escalations))),
    );
    // Per deployment and bucket (over all signals): the ledger's rows summed.
    const expected = new Map<string, [number, number]>();
    for (const row of outcomes) {
      const key = `${row.provider}/${row.model} ${row.bucket}`;
      const [seen, passed] = expected.get(key) ?? [0, 0];
      expected.set(key, [seen + row.outcomes, passed + row.passCount]);
    }
    const shown = await page
      .locator('#outcomes-deployments-table tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) =>
          ['deployment', 'bucket', 'outcomes', 'passed'].map(
            (field) => row.querySelector(`[data-field=${field}]`)?.textContent ?? '',
          ),
        ),
      );
    expect(
      new Map(
        shown.map(([deployment, bucket, seen, passed]) => [
          `${deployment} ${bucket}`,
          [Number(seen), Number(passed)],
        ]),
      ),
    ).toEqual(expected);
    const feedbackRow = await text(
      page,
      '#outcomes-signals-table tbody tr:has([data-field=signal]:text-is("feedback"))',
    );
    expect(feedbackRow).toContain('client feedback');
    expect(await page.locator('#escalations-table tbody tr').count()).toBe(escalations.length);
    expect(await page.locator('#recent-outcomes-table tbody tr').count()).toBe(outcomeCount);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });

    // A click on the auto-routed request shows its whole route decision.
    const autoRow = page.locator('#requests-table tbody tr', {
      has: page.locator('[data-field=model_asked]', { hasText: /^auto$/ }),
    });
    await autoRow.first().click();
    await page.waitForSelector('#explanation-table tbody tr');
    const explanation = await text(page, '#explanation');
    expect(explanation).toContain('Route decision for');
    expect(explanation).toContain('Policy:');
    expect(await page.locator('#explanation-table tbody tr').count()).toBeGreaterThan(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'explanation.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
