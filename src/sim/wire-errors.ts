import { SimHttpError } from './prepared-request.js';
import type { SimOutcome, SimWire } from './sim-types.js';

interface OpenAiErrorOptions {
  type?: string;
  param?: string | null;
  code?: string | null;
  outcome?: SimOutcome;
}

/** `{error: {message, type, param, code}}` */
export function openAiError(
  status: number,
  message: string,
  options: OpenAiErrorOptions = {},
): SimHttpError {
  const body = {
    error: {
      message,
      type: options.type ?? 'invalid_request_error',
      param: options.param ?? null,
      code: options.code ?? null,
    },
  };
  return new SimHttpError(status, body, options.outcome ?? outcomeForStatus(status));
}

/** `{type: 'error', error: {type, message}}` */
export function anthropicError(
  status: number,
  type: string,
  message: string,
  outcome?: SimOutcome,
): SimHttpError {
  return new SimHttpError(
    status,
    { type: 'error', error: { type, message } },
    outcome ?? outcomeForStatus(status),
  );
}

function outcomeForStatus(status: number): SimOutcome {
  if (status === 401) return 'unauthorized';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status === 529) return 'overloaded';
  if (status === 503) return 'unavailable';
  if (status >= 500) return 'server_error';
  return 'bad_request';
}

export function invalidRequest(
  wire: SimWire,
  message: string,
  param: string | null = null,
  code: string | null = null,
): SimHttpError {
  return wire === 'anthropic'
    ? anthropicError(400, 'invalid_request_error', message)
    : openAiError(400, message, { param, code });
}

export function notFound(wire: SimWire, message: string): SimHttpError {
  return wire === 'anthropic'
    ? anthropicError(404, 'not_found_error', message)
    : openAiError(404, message, { code: 'not_found' });
}

export function modelNotFound(wire: SimWire, model: string): SimHttpError {
  return wire === 'anthropic'
    ? anthropicError(404, 'not_found_error', `model: ${model}`)
    : openAiError(404, `The model \`${model}\` does not exist or you do not have access to it.`, {
        code: 'model_not_found',
      });
}

export function unauthorized(wire: SimWire, keyGiven: boolean): SimHttpError {
  if (wire === 'anthropic')
    return anthropicError(
      401,
      'authentication_error',
      keyGiven ? 'invalid x-api-key' : 'x-api-key header is required',
    );
  return keyGiven
    ? openAiError(
        401,
        'Incorrect API key provided. You can find your API key in your account settings.',
        { code: 'invalid_api_key' },
      )
    : openAiError(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth.",
        { code: 'invalid_api_key' },
      );
}

export function methodNotAllowed(wire: SimWire, method: string): SimHttpError {
  return wire === 'anthropic'
    ? anthropicError(405, 'invalid_request_error', `Method ${method} not allowed`, 'not_found')
    : openAiError(405, `Method ${method} not allowed for this endpoint.`, { outcome: 'not_found' });
}

export type SimHttpFault = '429' | '500' | '503' | '529';

/** A simulated upstream failure in the wire's shape (429 carries retry-after headers). */
export function faultError(
  wire: SimWire,
  fault: SimHttpFault,
  retryAfterSeconds: number,
): SimHttpError {
  if (fault === '429') {
    const error =
      wire === 'anthropic'
        ? anthropicError(
            429,
            'rate_limit_error',
            'Number of requests has exceeded your per-minute rate limit (simulated).',
          )
        : openAiError(429, 'Rate limit reached for requests (simulated). Please try again later.', {
            type: 'requests',
            code: 'rate_limit_exceeded',
          });
    return new SimHttpError(429, error.body, 'rate_limited', {
      'retry-after': String(retryAfterSeconds),
      'retry-after-ms': String(Math.round(retryAfterSeconds * 1000)),
    });
  }
  if (fault === '500') {
    return wire === 'anthropic'
      ? anthropicError(500, 'api_error', 'Internal server error (simulated).')
      : openAiError(500, 'The server had an error while processing your request (simulated).', {
          type: 'server_error',
        });
  }
  if (wire === 'anthropic') {
    return fault === '529'
      ? anthropicError(529, 'overloaded_error', 'Overloaded (simulated).')
      : anthropicError(503, 'api_error', 'Service unavailable (simulated).');
  }
  return openAiError(
    503,
    'The engine is currently overloaded, please try again later (simulated).',
    { type: 'server_error', outcome: 'unavailable' },
  );
}
