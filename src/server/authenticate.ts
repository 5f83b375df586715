import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '../spec/errors.js';

/**
 * Client API key check. Keys are kept only as SHA-256 digests; a request presents its key as
 * `Authorization: Bearer <key>` (OpenAI SDKs) or `x-api-key: <key>` (Anthropic SDKs).
 * With no keys configured every request is accepted (the open demo mode).
 */
export class Authenticator {
  private readonly digests: Set<string>;

  constructor(keys: string[]) {
    this.digests = new Set(keys.map(digest));
  }

  get open(): boolean {
    return this.digests.size === 0;
  }

  check(headers: IncomingHttpHeaders): void {
    if (this.digests.size === 0) return;
    const key = presentedKey(headers);
    if (key === undefined) {
      throw new GatewayError('unauthorized', 'Missing API key: send it as "Authorization: Bearer <key>" or "x-api-key: <key>".');
    }
    if (!this.digests.has(digest(key))) throw new GatewayError('unauthorized', 'Invalid API key.');
  }
}

function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match) return match[1];
  }
  const apiKey = headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey !== '' ? apiKey : undefined;
}

function digest(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
