// What the head capture (src/server/request-head.ts, ADR 0020) costs a request that arrives
// whole: a bare node:http server with and without `RequestHead.watch` on each connection (and
// the gateway's begin / idle calls around each request), 16 keep-alive autocannon connections
// sending a small POST, rounds alternating. Prints req/s and p99 per round and the medians.
//
//   npm run build && node bench/request-head.mjs [--rounds 6] [--seconds 3]
import { createServer } from 'node:http';
import os from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { RequestHead } from '../dist/server/request-head.js';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '6' }, seconds: { type: 'string', default: '3' } },
});
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);

let watching = false;
const heads = new Map();
const server = createServer((request, response) => {
  const head = heads.get(request.socket);
  head?.requestBegan();
  response.once('close', () => head?.idle());
  request.resume();
  request.on('end', () => response.end('{"ok":true}'));
});
server.on('connection', (socket) => {
  if (!watching) return;
  heads.set(socket, RequestHead.watch(socket));
  socket.once('close', () => heads.delete(socket));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/v1/chat/completions`;
const body = JSON.stringify({
  model: 'auto',
  messages: [{ role: 'user', content: 'x'.repeat(300) }],
});

const run = (duration) =>
  autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: 16,
    duration,
  });
await run(1);
const results = { without: [], with: [] };
for (let round = 1; round <= rounds; round += 1) {
  for (const watch of [false, true]) {
    watching = watch;
    const result = await run(seconds);
    const name = watch ? 'with' : 'without';
    results[name].push(result.requests.average);
    console.log(
      `round ${round}, ${name.padEnd(7)} the capture: ${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms; load ${os.loadavg()[0].toFixed(1)}`,
    );
  }
}
const median = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
console.log(
  `median: without ${Math.round(median(results.without))} req/s, with ${Math.round(median(results.with))} req/s (${((median(results.with) / median(results.without) - 1) * 100).toFixed(1)}%)`,
);
server.close();
