// The two clients of the slowloris checks, shared by bench/slowloris.mjs (and its attackers.mjs)
// and test/e2e/slowloris.test.ts: an attacker that trickles a request and never finishes it, and
// a normal chat completion timed end to end. Types: clients.d.mts.
import { connect } from 'node:net';
import { request } from 'node:http';

/** The request line the attackers open with: its path decides the dialect of their 408. */
export const ATTACK_HEAD = {
  headers: 'POST /v1/messages HTTP/1.1\r\nHost: x\r\n',
  body: 'POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"model":"auto",',
};

/**
 * One slowloris connection: trickles its headers (or, `body`, a body) a few bytes every 150 ms
 * and never finishes. Resolves when the server closes it (or after `giveUpMs`, so a caller fails
 * by measurement, not by hanging) with how long it stayed open and what the server sent.
 */
export function slowloris(url, phase, giveUpMs = 30_000) {
  const target = new URL(url);
  return new Promise((resolve) => {
    const started = performance.now();
    let text = '';
    let timer;
    const socket = connect(Number(target.port), target.hostname, () => {
      socket.write(ATTACK_HEAD[phase]);
      timer = setInterval(() => socket.write(phase === 'headers' ? 'x-a: b\r\n' : ' '), 150);
    });
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ phase, openMs: performance.now() - started, text });
    });
    setTimeout(() => socket.destroy(), giveUpMs).unref();
  });
}

const CHAT_BODY =
  '{"model":"auto","messages":[{"role":"user","content":"Write a Python hello world"}]}';

/** One uncached chat completion on `agent`; resolves with its latency in ms, rejects unless 200. */
export function timedChat(url, agent) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const outgoing = request(
      `${url}/v1/chat/completions`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          response.statusCode === 200
            ? resolve(performance.now() - started)
            : reject(new Error(`status ${response.statusCode}`)),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(CHAT_BODY);
  });
}
