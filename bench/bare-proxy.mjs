// The floor for any Node gateway: a minimal OpenAI-style forwarding proxy.
// It reads the request body, JSON.parse + JSON.stringify (the least a gateway that looks at the
// request must do), forwards it with an undici Pool and relays status, headers and body (streamed
// as it arrives, so SSE passes through untouched). No routing, no validation, no logging.
//
//   node bench/bare-proxy.mjs --upstream http://127.0.0.1:4100/sim-openai/v1 [--port 0] [--host 127.0.0.1]
//
// A request to <proxy>/v1/<rest> goes to <upstream base path>/<rest>.
import http from 'node:http';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

const { values } = parseArgs({
  options: {
    upstream: { type: 'string' },
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    connections: { type: 'string', default: '128' },
  },
});
if (!values.upstream) {
  process.stderr.write('bare-proxy: --upstream <base url> is required\n');
  process.exit(2);
}

const upstream = new URL(values.upstream);
const basePath = upstream.pathname.replace(/\/$/, '');
const pool = new Pool(upstream.origin, { connections: Number(values.connections) });

// Hop-by-hop headers are never relayed (RFC 9110 §7.6.1).
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-connection',
]);

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function sendError(res, status, message) {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, type: 'proxy_error' } }));
}

async function handle(req, res) {
  let body;
  try {
    body = JSON.stringify(JSON.parse(await readBody(req)));
  } catch {
    return sendError(res, 400, 'request body is not valid JSON');
  }
  const rest = req.url.startsWith('/v1/') ? req.url.slice(3) : req.url;
  const headers = { 'content-type': 'application/json' };
  if (req.headers.authorization) headers.authorization = req.headers.authorization;

  let answer;
  try {
    answer = await pool.request({ path: `${basePath}${rest}`, method: req.method, headers, body });
  } catch (error) {
    return sendError(res, 502, `upstream: ${error.message}`);
  }
  const relayed = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    if (!HOP_BY_HOP.has(name)) relayed[name] = value;
  }
  res.writeHead(answer.statusCode, relayed);
  // Plain pipe: stream/promises' pipeline costs an AbortController + DOMException per request.
  answer.body.on('error', () => res.destroy());
  res.on('close', () => answer.body.destroy());
  answer.body.pipe(res);
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((error) => sendError(res, 500, String(error)));
});
server.keepAliveTimeout = 65_000;

server.listen(Number(values.port), values.host, () => {
  const { port } = server.address();
  process.stdout.write(
    `bare proxy listening on http://${values.host}:${port} → ${upstream.href}\n`,
  );
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close();
    pool.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
  });
}
