import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { GatewayError } from '../core/errors.js';
import type { FeedbackInput, LearningLoop } from '../learning/learning-loop.js';
import { digest, presentedKey, type Authenticator } from './authenticate.js';
import { sendJson } from './respond.js';

export const FEEDBACK_PATH = '/v1/feedback';

const FIELDS = new Set(['request_id', 'outcome', 'reason', 'source']);

/** The body of `POST /v1/feedback`, checked field by field (unknown fields are refused by name). */
export function readFeedback(body: unknown): FeedbackInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new GatewayError('invalid_request', 'The feedback body must be a JSON object.');
  const fields = body as Record<string, unknown>;
  for (const name of Object.keys(fields))
    if (!FIELDS.has(name))
      throw new GatewayError(
        'invalid_request',
        `Unknown feedback field "${name.slice(0, 64)}"; accepted: request_id, outcome, reason, source.`,
        { param: name.slice(0, 64) },
      );
  const requestId = fields.request_id;
  if (typeof requestId !== 'string' || requestId === '' || requestId.length > 200)
    throw new GatewayError(
      'invalid_request',
      'request_id must be the x-request-id of an answered request.',
      {
        param: 'request_id',
      },
    );
  const outcome = fields.outcome;
  const score =
    outcome === 'pass'
      ? 1
      : outcome === 'fail'
        ? 0
        : typeof outcome === 'number' && outcome >= 0 && outcome <= 1
          ? outcome
          : undefined;
  if (score === undefined)
    throw new GatewayError(
      'invalid_request',
      'outcome must be "pass", "fail" or a score from 0 to 1.',
      {
        param: 'outcome',
      },
    );
  const text = (name: 'reason' | 'source', max: number): string | undefined => {
    const value = fields[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.length > max)
      throw new GatewayError(
        'invalid_request',
        `${name} must be a string of at most ${max} characters.`,
        {
          param: name,
        },
      );
    return value;
  };
  const reason = text('reason', 500);
  const source = text('source', 100);
  return {
    requestId,
    score,
    ...(reason === undefined ? {} : { reason }),
    ...(source === undefined ? {} : { source }),
  };
}

/** `POST /v1/feedback`: an answer's outcome, from the key that made the request or the admin token. */
export async function serveFeedback(
  body: unknown,
  headers: IncomingHttpHeaders,
  learning: LearningLoop,
  authenticator: Authenticator,
  adminToken: string | undefined,
  response: ServerResponse,
): Promise<void> {
  const input = readFeedback(body);
  const presented = presentedKey(headers);
  const admin =
    adminToken !== undefined &&
    presented !== undefined &&
    timingSafeEqual(Buffer.from(digest(presented), 'hex'), Buffer.from(digest(adminToken), 'hex'));
  const keyId = admin ? null : authenticator.identify(headers).keyId;
  sendJson(response, 200, await learning.feedback(input, { keyId, admin }));
}
