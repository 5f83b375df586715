import { afterAll, beforeAll, describe, it } from 'vitest';
import { listCases, runConformanceCase, type Wire } from './conformance-runner.js';
import { FixtureServer } from './fixture-server.js';

/**
 * Every adapter runs the same case runner over its fixtures in test/fixtures/<wire>/<case>/:
 * canonical request in, exact upstream request checked, recorded upstream answer served by a
 * real HTTP server (streams in odd-sized pieces), canonical result compared.
 */
const WIRES: Wire[] = ['openai-compatible', 'openai-responses', 'anthropic'];

describe.each(WIRES)('%s adapter conformance', (wire) => {
  const server = new FixtureServer();
  let origin = '';

  beforeAll(async () => {
    origin = await server.start();
  });

  afterAll(async () => {
    await server.stop();
  });

  it.each(listCases(wire))('%s', async (caseName) => {
    await runConformanceCase(server, origin, wire, caseName);
  });
});
