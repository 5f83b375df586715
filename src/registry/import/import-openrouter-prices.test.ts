import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CatalogError } from '../catalog-error.js';
import { buildModelRegistry } from '../model-registry.js';
import { importOpenRouterPrices } from './import-openrouter-prices.js';
import { loadPriceDocument } from './load-price-document.js';
import { perMillion } from './parse-openrouter-document.js';

const fixturePath = fileURLToPath(new URL('./fixtures/openrouter-models.json', import.meta.url));
const fixture = readFileSync(fixturePath, 'utf8');
const registry = buildModelRegistry();

describe('importOpenRouterPrices', () => {
  it('adds OpenRouter deployments for mapped models and never invents models', () => {
    const report = importOpenRouterPrices(registry, fixture, {
      source: 'fixture.json',
      asOf: '2026-11-28',
    });
    expect(report.provider).toBe('openrouter');
    expect(report.added.map((entry) => entry.model).sort()).toEqual([
      'claude-sonnet-4-20250514',
      'deepseek-chat',
      'gpt-4.1-mini',
      'gpt-4o',
    ]);
    expect(report.unmatched).toEqual(['mistralai/mistral-nemo']);
    expect(report.invalid.map((entry) => entry.id ?? `#${entry.index}`)).toEqual([
      'openrouter/auto',
      '#6',
    ]);
    expect(report.missingFromDocument.some((entry) => entry.model === 'gpt-5')).toBe(true);
    expect(report.overrides.models?.['mistral-nemo']).toBeUndefined();

    const updated = buildModelRegistry({}, { overlays: [report.overrides] });
    expect(updated.deployment('claude-sonnet-4-20250514', 'openrouter')).toMatchObject({
      upstreamModel: 'anthropic/claude-sonnet-4',
      price: {
        inputPerMillion: 3,
        cachedInputPerMillion: 0.3,
        cacheWritePerMillion: 3.75,
        outputPerMillion: 15,
        asOf: '2026-11-28',
      },
      contextWindow: 1_000_000,
      maxOutputTokens: 64_000,
    });
  });

  it('reports old → new figures when applied to an existing provider', () => {
    const report = importOpenRouterPrices(registry, fixture, {
      source: 'fixture.json',
      provider: 'openai',
      asOf: '2026-11-28',
    });
    expect(report.unchanged).toContain('gpt-4o');
    expect(report.added).toEqual([]);
    expect(report.skipped).toEqual(
      expect.arrayContaining(['claude-sonnet-4-20250514', 'deepseek-chat']),
    );
    expect(report.changes.filter((change) => change.model === 'gpt-4.1-mini')).toEqual([
      { model: 'gpt-4.1-mini', provider: 'openai', field: 'input', from: 0.4, to: 0.45 },
      { model: 'gpt-4.1-mini', provider: 'openai', field: 'output', from: 1.6, to: 1.8 },
    ]);
    const updated = buildModelRegistry({}, { overlays: [report.overrides] });
    expect(updated.deployment('gpt-4.1-mini', 'openai')!.price.source).toContain(
      'fixture.json (openai/gpt-4.1-mini)',
    );
    expect(updated.deployment('gpt-4.1-mini', 'openai')!.upstreamModel).toBe('gpt-4.1-mini');
  });

  it('keeps cache prices and tiers the document does not carry', () => {
    const document = JSON.stringify({
      data: [
        { id: 'qwen/qwen3-coder-plus', pricing: { prompt: '0.0000012', completion: '0.000006' } },
      ],
    });
    const report = importOpenRouterPrices(registry, document, {
      source: 'doc',
      provider: 'qwen',
      asOf: '2026-11-28',
    });
    const price = buildModelRegistry({}, { overlays: [report.overrides] }).deployment(
      'qwen3-coder-plus',
      'qwen',
    )!.price;
    expect(price).toMatchObject({
      inputPerMillion: 1.2,
      cachedInputPerMillion: 0.1,
      outputPerMillion: 6,
    });
    expect(price.tiers).toHaveLength(3);
  });

  it('rejects documents that are not OpenRouter-shaped', () => {
    expect(() => importOpenRouterPrices(registry, '{"models": []}', { source: 'x' })).toThrow(
      CatalogError,
    );
    expect(() => importOpenRouterPrices(registry, 'not json', { source: 'x' })).toThrow(
      /not valid JSON/,
    );
  });
});

describe('perMillion', () => {
  it('converts USD per token strings without float noise', () => {
    expect(perMillion('0.00000028')).toBe(0.28);
    expect(perMillion('0.000015')).toBe(15);
    expect(perMillion('0')).toBe(0);
    expect(perMillion('-1')).toBeUndefined();
    expect(perMillion('abc')).toBeUndefined();
    expect(perMillion(null)).toBeUndefined();
  });
});

describe('loadPriceDocument', () => {
  it('reads a file and an http URL', async () => {
    expect((await loadPriceDocument(fixturePath)).text).toBe(fixture);
    const server = createServer((request, response) => {
      if (request.url === '/api/v1/models') response.end(fixture);
      else response.writeHead(404).end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    try {
      const document = await loadPriceDocument(`http://127.0.0.1:${port}/api/v1/models`);
      expect(document.text).toBe(fixture);
      await expect(loadPriceDocument(`http://127.0.0.1:${port}/missing`)).rejects.toMatchObject({
        code: 'price_document_unreadable',
      });
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it('fails clearly for a missing file', async () => {
    await expect(loadPriceDocument('/nonexistent/prices.json')).rejects.toMatchObject({
      code: 'price_document_unreadable',
      problems: ['cannot read the file: ENOENT'],
    });
  });
});
