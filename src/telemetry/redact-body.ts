/**
 * Body text for a log line: secrets replaced by "[REDACTED]" and the text cut at `maxBytes`.
 * Redacted are the values of fields named like credentials (api_key, authorization, password,
 * secret, token…) and strings that look like keys wherever they appear (sk-…, Bearer …, AWS
 * access key ids, GitHub and Slack tokens, private key blocks).
 */

const SECRET_FIELD =
  /^(api[-_]?key|x-api-key|authorization|proxy-authorization|password|passwd|secret|client[-_]?secret|access[-_]?token|refresh[-_]?token|id[-_]?token|token|cookie|set-cookie)$/i;

const SECRET_TEXT: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{12,}/g,
  /\bsy-[A-Za-z0-9_-]{12,}/g,
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
];

export const REDACTED = '[REDACTED]';

export function redactText(text: string): string {
  let result = text;
  for (const pattern of SECRET_TEXT) result = result.replace(pattern, REDACTED);
  return result;
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactText(value);
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value))
    copy[name] = SECRET_FIELD.test(name) ? REDACTED : redactValue(field, depth + 1);
  return copy;
}

/** The body as redacted JSON text of at most `maxBytes` UTF-8 bytes (a cut body ends with a marker saying how long it was). */
export function redactBody(body: unknown, maxBytes: number): string {
  const text = JSON.stringify(redactValue(body, 0)) ?? 'null';
  const bytes = Buffer.byteLength(text);
  if (bytes <= maxBytes) return text;
  const marker = `…[truncated, ${bytes} bytes]`;
  // Cut on a character boundary: decode the prefix and drop a partial last character.
  const prefix = Buffer.from(text)
    .subarray(0, Math.max(0, maxBytes - Buffer.byteLength(marker)))
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  return `${prefix}${marker}`;
}
