import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../core/errors.js';
import { dashboardAsset } from '../dashboard/dashboard-assets.js';
import type { AdminAuth } from './admin-auth.js';

export const DASHBOARD_PATH = '/dashboard';

/** Only the gateway's own files and API: no CDN, no inline script, no framing. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * `GET /dashboard` (the page), `GET /dashboard/assets/{file}`, `POST /dashboard/login`. The page
 * and its files need the admin token: the `Authorization` header, or the cookie the login form
 * sets. Without it the answer is a 401 with the login form. The page reads only the admin JSON
 * APIs (docs/observability.md).
 */
export async function serveDashboard(
  auth: AdminAuth,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
): Promise<void> {
  if (!auth.enabled)
    throw new GatewayError(
      'not_found',
      'The dashboard needs the admin API: set admin.token_env in the config to enable it.',
    );
  const method = request.method ?? 'GET';
  if (path === `${DASHBOARD_PATH}/login`) {
    if (method !== 'POST') {
      response.setHeader('allow', 'POST');
      throw new GatewayError('method_not_allowed', `${path} accepts POST, not ${method}.`);
    }
    const form = new URLSearchParams(await readForm(request));
    const token = form.get('token') ?? undefined;
    if (!auth.matches(token)) {
      sendLogin(response, 'That is not the admin token.');
      return;
    }
    const secure = request.headers['x-forwarded-proto'] === 'https';
    response.writeHead(303, {
      location: DASHBOARD_PATH,
      'set-cookie': auth.sessionCookie(token!, secure),
      'cache-control': 'no-store',
    });
    response.end();
    return;
  }
  if (method !== 'GET' && method !== 'HEAD') {
    response.setHeader('allow', 'GET');
    throw new GatewayError('method_not_allowed', `${path} accepts GET, not ${method}.`);
  }
  const name = path === DASHBOARD_PATH ? 'index.html' : assetName(path);
  const asset = name === undefined ? undefined : dashboardAsset(name);
  if (!asset) throw new GatewayError('not_found', `No dashboard file ${path}.`);
  if (!auth.allows(request.headers, method)) {
    if (name === 'index.html') sendLogin(response);
    else throw new GatewayError('unauthorized', 'The dashboard needs the admin token.');
    return;
  }
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': asset.contentType,
    'content-length': asset.body.length,
    'cache-control': name === 'index.html' ? 'no-store' : 'private, max-age=300',
  });
  response.end(method === 'HEAD' ? undefined : asset.body);
}

function assetName(path: string): string | undefined {
  const match = /^\/dashboard\/assets\/([A-Za-z0-9._-]+)$/.exec(path);
  return match?.[1];
}

function sendLogin(response: ServerResponse, problem?: string): void {
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Switchyard dashboard: sign in</title></head>
<body><h1>Switchyard dashboard</h1>
<p>The dashboard needs the admin token (the value of the variable named by <code>admin.token_env</code>).</p>
${problem ? `<p role="alert"><strong>${problem}</strong></p>` : ''}
<form method="post" action="${DASHBOARD_PATH}/login">
<label>Admin token <input type="password" name="token" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form></body></html>\n`;
  response.writeHead(401, {
    ...SECURITY_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'www-authenticate': 'Bearer realm="switchyard-admin"',
  });
  response.end(body);
}

/** The login form's body (a few bytes): refused past 4 KiB. */
async function readForm(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 4096)
      throw new GatewayError('body_too_large', 'The login form is larger than 4096 bytes.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
