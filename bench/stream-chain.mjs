// The streamed relay's per-answer work in process, without HTTP: one simulated upstream body
// (OpenAI chat chunks, fetched once from an in-process simulator) through UTF-8 decoding, the SSE
// parser, the wire decoder and the OpenAI stream encoder, then the UTF-8 length Node computes for
// the write. CPU µs per answer, median of 20 measured rounds. See docs/benchmarks.md.
//
//   npm run build && node bench/stream-chain.mjs [--tokens 25]
import { parseArgs } from 'node:util';
import { createChatStreamEncoder } from '../dist/dialects/openai/create-chat-stream-encoder.js';
import { OpenAIStreamDecoder } from '../dist/providers/openai-compatible/decode-stream.js';
import { SseParser } from '../dist/providers/sse-parser.js';
import { Utf8Chunks } from '../dist/providers/upstream-stream.js';
import { startSimulator } from '../dist/sim/index.js';
import { machineInfo } from './harness.mjs';

const { values } = parseArgs({ options: { tokens: { type: 'string', default: '25' } } });
const tokens = Number(values.tokens);
const sim = await startSimulator({ timeScale: 0 });
let body;
try {
  const answer = await fetch(`${sim.baseUrlFor('sim-openai')}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: `Write a Python hello world [[sim:tokens=${tokens}]]` }],
    }),
  });
  body = Buffer.from(await answer.arrayBuffer());
} finally {
  await sim.close();
}

const context = { provider: 'sim-openai' };
const encodeContext = { model: 'gpt-4o-mini', requestId: 'req-bench' };
const text = new Utf8Chunks().decode(body);
const events = new SseParser().feed(text);
/** The wire decoder over parsed events, as the relay runs it: parts up to and including the end. */
const decodeEvents = (parsed, fastPath = true) => {
  const decoder = new OpenAIStreamDecoder(context, 'gpt-4o-mini', fastPath);
  const parts = [];
  for (const event of parsed) {
    decoder.push(event, parts);
    if (decoder.isComplete) {
      decoder.end(parts);
      break;
    }
  }
  return parts;
};
/** The OpenAI stream encoder over parts, concatenated as the relay writes one batch. */
const encodeParts = (parts) => {
  const encoder = createChatStreamEncoder(encodeContext, { includeUsage: false });
  let out = '';
  for (const part of parts) out += encoder.push(part);
  return out + encoder.end();
};
const parts = decodeEvents(events);
const encode = () => encodeParts(parts);

function time(label, fn) {
  const rounds = [];
  for (let round = 0; round < 25; round += 1) {
    const start = process.cpuUsage();
    for (let i = 0; i < 2000; i += 1) fn();
    const used = process.cpuUsage(start);
    if (round >= 5) rounds.push((used.user + used.system) / 2000);
  }
  rounds.sort((a, b) => a - b);
  console.log(`  ${label.padEnd(44)} ${rounds[rounds.length >> 1].toFixed(2).padStart(7)} µs`);
}

const machine = machineInfo();
console.log(`machine: ${machine.cpu}, ${machine.cores} cores; node ${machine.node}`);
console.log(
  `one streamed answer: ${tokens} tokens, ${body.length} bytes upstream, ${events.length} SSE events, ${parts.length} parts, ${encode().length} characters encoded`,
);
time('UTF-8 decode of the body', () => new Utf8Chunks().decode(body));
time('SSE parse', () => new SseParser().feed(text));
time('wire decode (template fast path)', () => decodeEvents(events, true));
time('wire decode (JSON.parse of every event)', () => decodeEvents(events, false));
time('encode (OpenAI chunks, one cons string)', encode);
time('encode + Buffer.byteLength (as write() does)', () => Buffer.byteLength(encode()));
time('whole chain', () =>
  Buffer.byteLength(encodeParts(decodeEvents(new SseParser().feed(new Utf8Chunks().decode(body))))),
);
