import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ClientIdentity, VirtualKey } from '../keys/key-types.js';
import { GatewayError } from '../core/errors.js';

/** Looks up virtual keys by secret (see src/keys); synchronous, from memory. */
export interface KeyLookup {
  authenticate(secret: string): VirtualKey | undefined;
}

export type { ClientIdentity } from '../keys/key-types.js';

const ANONYMOUS: ClientIdentity = { keyId: null };

export interface AuthenticatorOptions {
  /** Keys from the config file (no limits). */
  staticKeys: string[];
  /** Refuse requests without a valid key. Always true when static keys are configured. */
  required: boolean;
  virtualKeys?: KeyLookup;
}

/**
 * Client authentication. A request presents its key as `Authorization: Bearer <key>` (OpenAI
 * SDKs) or `x-api-key: <key>` (Anthropic SDKs). Static keys are kept only as SHA-256 digests.
 * In open mode (no key required) a known virtual key is still recognised, so its limits and
 * attribution apply; any other key, or none, is served anonymously.
 */
export class Authenticator {
  private readonly staticKeys: Map<string, string>;
  private readonly required: boolean;
  private readonly virtualKeys: KeyLookup | undefined;

  constructor(options: AuthenticatorOptions) {
    this.staticKeys = new Map(
      options.staticKeys.map((key) => {
        const hash = digest(key);
        return [hash, `static-${hash.slice(0, 12)}`];
      }),
    );
    this.required = options.required || options.staticKeys.length > 0;
    this.virtualKeys = options.virtualKeys;
  }

  get open(): boolean {
    return !this.required;
  }

  identify(headers: IncomingHttpHeaders): ClientIdentity {
    const secret = presentedKey(headers);
    if (secret !== undefined) {
      const key = this.virtualKeys?.authenticate(secret);
      if (key) return { keyId: key.id, key };
      if (this.staticKeys.size > 0) {
        const staticId = this.staticKeys.get(digest(secret));
        if (staticId !== undefined) return { keyId: staticId };
      }
    }
    if (!this.required) return ANONYMOUS;
    if (secret === undefined) {
      throw new GatewayError(
        'unauthorized',
        'Missing API key: send it as "Authorization: Bearer <key>" or "x-api-key: <key>".',
      );
    }
    throw new GatewayError('unauthorized', 'Invalid API key.');
  }
}

export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match) return match[1];
  }
  const apiKey = headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey !== '' ? apiKey : undefined;
}

export function digest(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
