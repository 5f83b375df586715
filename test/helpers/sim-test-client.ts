import type { RunningSimulator } from '../../src/sim/sim-types.js';

/** One parsed SSE event. `data` is the parsed JSON, or the raw text (e.g. `[DONE]`). */
export interface SseEvent {
  event: string | undefined;
  data: unknown;
}

/** `body` is the parsed JSON, typed by the caller (often the official SDKs' wire types). */
export interface JsonAnswer<T> {
  status: number;
  headers: Headers;
  body: T;
}

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
}

export interface StreamAnswer {
  status: number;
  headers: Headers;
  text: string;
  events: SseEvent[];
}

export function parseSse(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of text.split('\n\n')) {
    if (block.trim() === '') continue;
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    const joined = data.join('\n');
    let parsed: unknown = joined;
    try {
      parsed = JSON.parse(joined);
    } catch {
      // `[DONE]` and other non-JSON data stay text.
    }
    events.push({ event, data: parsed });
  }
  return events;
}

export const ANTHROPIC_HEADERS = { 'anthropic-version': '2023-06-01' };

/** Small fetch helpers for simulator tests (test-only). */
export class SimTestClient {
  constructor(private readonly sim: RunningSimulator) {}

  url(providerId: string, path: string): string {
    return `${this.sim.baseUrlFor(providerId)}${path}`;
  }

  async post<T>(
    providerId: string,
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<JsonAnswer<T>> {
    const response = await fetch(this.url(providerId, path), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text === '' ? undefined : JSON.parse(text)) as T,
    };
  }

  async stream(
    providerId: string,
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<StreamAnswer> {
    const response = await fetch(this.url(providerId, path), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, events: parseSse(text) };
  }

  chat<T>(providerId: string, body: unknown): Promise<JsonAnswer<T>> {
    return this.post<T>(providerId, '/chat/completions', body);
  }

  messages<T>(body: unknown, providerId = 'sim-anthropic'): Promise<JsonAnswer<T>> {
    return this.post<T>(providerId, '/messages', body, ANTHROPIC_HEADERS);
  }
}
