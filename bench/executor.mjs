// The executor's own cost per request, in process: executeCall over a one-attempt plan whose
// adapter answers at once (no network), with the shipped resilience defaults and one client
// AbortController per request, as the gateway does.
//
//   npm run build && node bench/executor.mjs [--calls 100000] [--rounds 3]
import { parseArgs } from 'node:util';
import { executeCall } from '../dist/execution/execute-plan.js';
import { createExecutionPolicy } from '../dist/execution/execution-policy.js';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '3' },
  },
});
const calls = Number(values.calls);
const policy = createExecutionPolicy();
const answer = {
  id: 'x',
  model: 'm',
  created: 1,
  choices: [{ index: 0, text: 'hi', toolCalls: [], finishReason: 'stop' }],
  usage: { inputTokens: 1, outputTokens: 2 },
};
const adapter = {
  id: 'a',
  wire: 'openai-compatible',
  chat: async () => answer,
  streamChat: async () => [],
  close: async () => {},
};
const target = {
  model: { name: 'm', deployments: [] },
  deployment: { provider: 'a', upstreamModel: 'm' },
  adapter,
  key: 'a/m',
};
const plan = {
  modelAsked: 'm',
  policy: 'direct',
  attempts: [target],
  candidates: [],
  summary: 'a/m',
};
const request = { kind: 'chat', model: 'm', messages: [], stream: false };
const call = (chosen, canonical, context) => chosen.chat(canonical, context);

async function round(count) {
  const started = performance.now();
  for (let index = 0; index < count; index += 1) {
    const client = new AbortController();
    await executeCall(
      plan,
      request,
      call,
      { requestId: 'r', signal: client.signal, attempts: [] },
      policy,
    );
  }
  return ((performance.now() - started) * 1000) / count;
}

await round(Math.min(20_000, calls)); // warm-up
const results = [];
for (let index = 0; index < Number(values.rounds); index += 1) results.push(await round(calls));
console.log(
  `executeCall, one attempt, no network: ${results.map((micros) => micros.toFixed(2)).join(' / ')} µs per call (${calls} calls per round; node ${process.version})`,
);
