import { describe, expect, it } from 'vitest';
import { LruCache } from './lru-cache.js';
import { servePromptCache } from './prompt-cache.js';
import { anthropicPrefixes, openAiPrefixes } from './prompt-prefixes.js';

const mark = { cache_control: { type: 'ephemeral' } };
const SYSTEM = 'You are a coding agent. Follow the project rules. '.repeat(200); // ~2,500 tokens
const scope = 'sim-anthropic\nclaude';

/** A Claude-Code-shaped body after `turns` user turns: marks on the system and the last user block. */
function agentBody(turns: number, marked = true): Record<string, unknown> {
  const messages: Record<string, unknown>[] = [];
  for (let turn = 0; turn < turns; turn++) {
    const last = turn === turns - 1;
    const text = { type: 'text', text: `request ${turn} ${'details '.repeat(50)}` };
    messages.push({ role: 'user', content: [last && marked ? { ...text, ...mark } : text] });
    if (!last)
      messages.push({ role: 'assistant', content: [{ type: 'text', text: `done ${turn}` }] });
  }
  return {
    tools: [{ name: 'Read', input_schema: { type: 'object' } }],
    system: [{ type: 'text', text: SYSTEM, ...(marked ? mark : {}) }],
    messages,
  };
}

const prompt = 100_000;

describe('simulated prompt cache', () => {
  it('marks: the first turn writes up to the last mark, the next turn reads it and writes the rest', () => {
    const store = new LruCache<string, number>(100);
    const turn1 = anthropicPrefixes(agentBody(1), prompt);
    const first = servePromptCache(store, scope, turn1, 'marks', 0);
    expect(first.cachedTokens).toBe(0);
    expect(first.cacheWriteTokens).toBe(turn1[turn1.length - 1]?.tokens);
    const turn2 = anthropicPrefixes(agentBody(2), prompt);
    const second = servePromptCache(store, scope, turn2, 'marks', 1_000);
    // The previous turn's last mark sits on a block that is no longer marked: found by lookback.
    expect(second.cachedTokens).toBe(turn1[turn1.length - 1]?.tokens);
    expect(second.cachedTokens + second.cacheWriteTokens).toBe(turn2[turn2.length - 1]?.tokens);
  });

  it('marks: nothing is cached without a mark, or when the marked prefix is under 1,024 tokens', () => {
    const store = new LruCache<string, number>(100);
    const unmarked = anthropicPrefixes(agentBody(1, false), prompt);
    expect(servePromptCache(store, scope, unmarked, 'marks', 0)).toEqual({
      cachedTokens: 0,
      cacheWriteTokens: 0,
    });
    const small = anthropicPrefixes(
      { system: [{ type: 'text', text: 'short', ...mark }], messages: [] },
      prompt,
    );
    expect(servePromptCache(store, scope, small, 'marks', 0).cacheWriteTokens).toBe(0);
  });

  it('marks: entries expire five minutes after their last use; other scopes never share them', () => {
    const store = new LruCache<string, number>(100);
    const body = anthropicPrefixes(agentBody(1), prompt);
    servePromptCache(store, scope, body, 'marks', 0);
    expect(servePromptCache(store, 'other\nmodel', body, 'marks', 1).cachedTokens).toBe(0);
    expect(servePromptCache(store, scope, body, 'marks', 4 * 60_000).cachedTokens).toBeGreaterThan(
      0,
    );
    expect(servePromptCache(store, scope, body, 'marks', 8 * 60_000).cachedTokens).toBeGreaterThan(
      0,
    );
    expect(servePromptCache(store, scope, body, 'marks', 14 * 60_000).cachedTokens).toBe(0);
  });

  it('marks: a mark more than 20 blocks after the cached one finds only the earlier marks', () => {
    const store = new LruCache<string, number>(100);
    const short = anthropicPrefixes(agentBody(1), prompt);
    servePromptCache(store, scope, short, 'marks', 0);
    const long = anthropicPrefixes(agentBody(15), prompt);
    const systemEnd = long[1]?.tokens ?? 0; // tools, then the marked system block
    expect(servePromptCache(store, scope, long, 'marks', 1).cachedTokens).toBe(systemEnd);
  });

  it('automatic: the longest seen message prefix, in the provider granularity', () => {
    const body = (question: string) => ({
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: question },
      ],
    });
    const deepseek = new LruCache<string, number>(100);
    const first = openAiPrefixes(body('one'), prompt, false);
    expect(servePromptCache(deepseek, scope, first, 'automatic-deepseek', 0).cachedTokens).toBe(0);
    const hit = servePromptCache(
      deepseek,
      scope,
      openAiPrefixes(body('two'), prompt, false),
      'automatic-deepseek',
      1,
    );
    const systemTokens = first[0]?.tokens ?? 0;
    expect(hit.cachedTokens).toBe(Math.floor(systemTokens / 64) * 64);
    expect(hit.cacheWriteTokens).toBe(0);
    const openai = new LruCache<string, number>(100);
    servePromptCache(openai, scope, first, 'automatic-openai', 0);
    const cached = servePromptCache(
      openai,
      scope,
      openAiPrefixes(body('two'), prompt, false),
      'automatic-openai',
      1,
    ).cachedTokens;
    expect(cached).toBe(1024 + Math.floor((systemTokens - 1024) / 128) * 128);
    expect(servePromptCache(openai, scope, first, 'none', 2)).toEqual({
      cachedTokens: 0,
      cacheWriteTokens: 0,
    });
  });

  it('marks: writes under a 1-hour mark are counted apart, up to that mark', () => {
    const store = new LruCache<string, number>(100);
    const body = agentBody(1);
    const system = (body['system'] as Record<string, unknown>[])[0]!;
    system['cache_control'] = { type: 'ephemeral', ttl: '1h' };
    const prefixes = anthropicPrefixes(body, prompt);
    const systemEnd = prefixes.find((prefix) => prefix.mark === '1h')!;
    const usage = servePromptCache(store, scope, prefixes, 'marks', 0);
    expect(usage.cacheWriteTokens).toBe(prefixes[prefixes.length - 1]?.tokens);
    expect(usage.cacheWrite1hTokens).toBe(systemEnd.tokens);
    expect(usage.cacheWrite1hTokens).toBeLessThan(usage.cacheWriteTokens);
    // Next turn: the 1-hour prefix is read, nothing new is written under a 1-hour mark.
    const again = servePromptCache(
      store,
      scope,
      anthropicPrefixes(agentBody(2), prompt),
      'marks',
      1,
    );
    expect(again.cachedTokens).toBeGreaterThanOrEqual(systemEnd.tokens);
    expect(again.cacheWrite1hTokens).toBe(0);
  });

  it('prefix hashes ignore the marks themselves, so a moved mark still matches', () => {
    const marked = anthropicPrefixes(agentBody(2), prompt);
    const unmarked = anthropicPrefixes(agentBody(2, false), prompt);
    expect(marked.map((prefix) => prefix.hash)).toEqual(unmarked.map((prefix) => prefix.hash));
    expect(marked.filter((prefix) => prefix.mark !== undefined)).toHaveLength(2);
  });

  it('marks on the OpenAI wire (an OpenRouter-like provider): content parts are blocks', () => {
    const body = (question: string) => ({
      messages: [
        { role: 'system', content: [{ type: 'text', text: SYSTEM, ...mark }] },
        { role: 'user', content: question },
      ],
    });
    const store = new LruCache<string, number>(100);
    const first = openAiPrefixes(body('one'), prompt, true);
    expect(first[0]?.mark).toBe('5m');
    expect(servePromptCache(store, scope, first, 'marks', 0).cacheWriteTokens).toBe(
      first[0]?.tokens,
    );
    const second = servePromptCache(
      store,
      scope,
      openAiPrefixes(body('two'), prompt, true),
      'marks',
      1,
    );
    expect(second.cachedTokens).toBe(first[0]?.tokens);
    // Without block mode the same body has no marks: nothing is written.
    expect(openAiPrefixes(body('one'), prompt, false).some((prefix) => prefix.mark)).toBe(false);
  });
});
