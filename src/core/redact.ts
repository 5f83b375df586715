/**
 * Redaction of secrets wherever config, URLs or errors are printed: `config check`, the startup
 * banner, logs and error messages. Imports nothing: every layer may use it.
 */

export const REDACTED = '***';

/**
 * Header and query-parameter names treated as secret without being told: authorization,
 * x-api-key, api-key, cookies, passwords, and anything with key, token, secret, session,
 * password, credential or signature in its name.
 */
const SECRET_NAME = /auth|key|token|secret|session|cookie|passw|credential|signature/i;

export function isSecretName(name: string, extra: ReadonlySet<string> = EMPTY): boolean {
  return SECRET_NAME.test(name) || extra.has(name.toLowerCase());
}

const EMPTY: ReadonlySet<string> = new Set();

/** Header values with the secret ones (built-in names, plus `extra`, lower-cased) replaced by "***". */
export function redactHeaders(
  headers: Readonly<Record<string, string>>,
  extra: ReadonlySet<string> = EMPTY,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      isSecretName(name, extra) ? REDACTED : value,
    ]),
  );
}

/**
 * A URL with its userinfo (`user:password@`) and the values of secret-looking query parameters
 * (`?api-key=`, `?token=`, `?sig=`…) replaced by "***". Text that is not a URL comes back unchanged.
 */
export function redactUrl(url: string): string {
  return url.replace(URL_PATTERN, (match) => redactOneUrl(match));
}

/** Every URL inside a free text (an error message, a log line) redacted as `redactUrl` does. */
export function redactText(text: string): string {
  return text.replace(URL_PATTERN, (match) => redactOneUrl(match));
}

const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;

function redactOneUrl(url: string): string {
  const schemeEnd = url.indexOf('://') + 3;
  let rest = url.slice(schemeEnd);
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  const at = authority.lastIndexOf('@');
  if (at !== -1) rest = `${REDACTED}@${rest.slice(at + 1)}`;
  const query = rest.indexOf('?');
  if (query === -1) return url.slice(0, schemeEnd) + rest;
  const hash = rest.indexOf('#', query);
  const queryText = rest.slice(query + 1, hash === -1 ? undefined : hash);
  const redactedQuery = queryText
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = decodeSafely(equals === -1 ? pair : pair.slice(0, equals));
      return equals !== -1 && (isSecretName(name) || /^(sig|pw|pwd|pass)$/i.test(name))
        ? `${pair.slice(0, equals)}=${REDACTED}`
        : pair;
    })
    .join('&');
  return `${url.slice(0, schemeEnd)}${rest.slice(0, query)}?${redactedQuery}${hash === -1 ? '' : rest.slice(hash)}`;
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
