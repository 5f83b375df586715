import type { GatewayError } from '../core/errors.js';
import type { StreamPart } from '../core/response.js';

/** What a dialect needs to know to encode an answer for the client. */
export interface EncodeContext {
  /** The model name shown to the client: the gateway's name of the model that served. */
  model: string;
  /** Gateway request id; used as the response id when the upstream gave none. */
  requestId: string;
}

/**
 * Turns canonical stream parts into the dialect's SSE text, one part at a time, keeping only
 * the little state the wire format needs (open content blocks, pending finish, …).
 */
export interface StreamEncoder {
  /** SSE text for one part; '' when the part produces nothing yet. */
  push(part: StreamPart): string;
  /** SSE text that closes a stream that completed normally. */
  end(): string;
  /** SSE text that reports an error after the stream began (headers already sent). */
  error(error: GatewayError): string;
}

/** An error in the dialect's wire shape with its HTTP status. */
export interface EncodedError {
  status: number;
  body: Record<string, unknown>;
}
