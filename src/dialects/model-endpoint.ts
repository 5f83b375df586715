import type { IncomingHttpHeaders } from 'node:http';
import type { CallContext, PartStream, ProviderAdapter } from '../core/provider.js';
import type { CanonicalRequest } from '../core/request.js';
import type { ModelResponse } from '../core/response.js';
import type { UpstreamRefusals } from './field-policy.js';
import type { EncodeContext, StreamEncoder } from './types.js';

export type DialectName = 'openai' | 'anthropic';

/**
 * One client-facing model endpoint: how its dialect decodes and encodes, and which adapter
 * method serves it. Every endpoint runs through the same request pipeline (src/pipeline).
 */
export interface ModelEndpoint<R extends CanonicalRequest> {
  dialect: DialectName;
  /** Wire body → canonical request; may look things up first (the Responses API's previous response). */
  decode(body: unknown, client: DecodeClient): R | Promise<R>;
  encodeResponse(response: ModelResponse, context: EncodeContext, request: R): object;
  createStreamEncoder(context: EncodeContext, request: R): StreamEncoder;
  call(adapter: ProviderAdapter, request: R, context: CallContext): Promise<ModelResponse>;
  stream(adapter: ProviderAdapter, request: R, context: CallContext): Promise<PartStream>;
  /** The request's fields some upstream wire refuses, per adapter, for the router (field policy). */
  upstreamRefusals?(request: R): UpstreamRefusals | undefined;
}

/** Who sent the request, for decoders that read state the client owns. */
export interface DecodeClient {
  /** The client key's ledger id; null when anonymous. */
  keyId: string | null;
  /** The request's headers (the Anthropic dialect reads `anthropic-beta`). */
  headers?: IncomingHttpHeaders;
}
