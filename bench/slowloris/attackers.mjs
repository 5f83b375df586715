// Slowloris clients in their own process (so their timers do not share the probe's event loop):
// `node attackers.mjs URL COUNT`; half trickle headers, half a body, a few bytes every 150 ms, and
// never finish. Prints one JSON line when every connection has been closed by the server: how
// long each phase stayed open at most, the statuses, and the error shapes (every attacker's path
// is /v1/messages, so every 408 should be Anthropic's).
import { slowloris } from './clients.mjs';

const [url, countText] = process.argv.slice(2);
const count = Number(countText);

const results = await Promise.all(
  Array.from({ length: count }, (_, index) => slowloris(url, index % 2 ? 'body' : 'headers')),
);
const max = (phase) =>
  Math.max(...results.filter((entry) => entry.phase === phase).map((entry) => entry.openMs));
const tally = (key) => {
  const counts = {};
  for (const entry of results) counts[key(entry)] = (counts[key(entry)] ?? 0) + 1;
  return counts;
};
process.stdout.write(
  `${JSON.stringify({
    headersMaxOpenMs: Math.round(max('headers')),
    bodyMaxOpenMs: Math.round(max('body')),
    statuses: tally((entry) => entry.text.slice(9, 12)),
    shapes: tally((entry) => (entry.text.includes('"type":"error"') ? 'anthropic' : 'other')),
  })}\n`,
);
