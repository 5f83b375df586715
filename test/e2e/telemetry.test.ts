import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { startGateway, type RunningGateway } from '../../src/app/start-gateway.js';
import { createTelemetry, type Telemetry } from '../../src/telemetry/create-telemetry.js';

interface OtlpSpanJson {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
}
interface ExportBody {
  resourceSpans: Array<{
    resource: { attributes: unknown[] };
    scopeSpans: Array<{ spans: OtlpSpanJson[] }>;
  }>;
}

/** An OpenAI-compatible upstream that remembers the headers of each call. */
function startUpstream(seen: IncomingHttpHeaders[]): Promise<Server> {
  const server = createServer((request, response) => {
    seen.push(request.headers);
    request.resume().on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'chatcmpl-1',
          object: 'chat.completion',
          created: 1,
          model: 'tiny-1',
          choices: [
            { index: 0, message: { role: 'assistant', content: 'hello' }, finish_reason: 'stop' },
          ],
          usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
        }),
      );
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** An in-process OTLP/HTTP receiver: collects every ExportTraceServiceRequest body. */
function startReceiver(
  bodies: Array<{ path: string; contentType: string | undefined; body: ExportBody }>,
): Promise<Server> {
  const server = createServer((request, response) => {
    let text = '';
    request
      .setEncoding('utf8')
      .on('data', (chunk: string) => (text += chunk))
      .on('end', () => {
        bodies.push({
          path: request.url ?? '',
          contentType: request.headers['content-type'],
          body: JSON.parse(text) as ExportBody,
        });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{}');
      });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const portOf = (server: Server): number => (server.address() as AddressInfo).port;

describe('logs and traces', () => {
  const upstreamHeaders: IncomingHttpHeaders[] = [];
  const exports: Array<{ path: string; contentType: string | undefined; body: ExportBody }> = [];
  const lines: string[] = [];
  let upstream: Server;
  let receiver: Server;
  let gateway: RunningGateway;
  let telemetry: Telemetry;

  beforeAll(async () => {
    upstream = await startUpstream(upstreamHeaders);
    receiver = await startReceiver(exports);
    const config = resolveConfig(
      {
        server: { host: '127.0.0.1', port: 0 },
        data_dir: mkdtempSync(join(tmpdir(), 'switchyard-telemetry-')),
        ledger: { enabled: false },
        providers: {
          local: {
            type: 'openai-compatible',
            base_url: `http://127.0.0.1:${portOf(upstream)}/v1`,
            api_key: 'sk-upstream-secret-value-123',
          },
        },
        models: { 'tiny-1': { deployments: [{ provider: 'local' }] } },
        logging: { bodies: { enabled: true, max_bytes: 2048 } },
      },
      'test',
      {},
    );
    telemetry = createTelemetry({
      logging: config.logging,
      serviceVersion: 'test',
      environment: {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${portOf(receiver)}`,
        OTEL_SERVICE_NAME: 'switchyard-test',
      },
      write: (line) => lines.push(line),
    });
    gateway = await startGateway(config, {
      observer: (record) => telemetry.observe(record),
      traceRequests: telemetry.tracing,
      captureBodies: telemetry.captureBodies,
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await telemetry?.close();
    upstream?.close();
    receiver?.close();
  });

  it('continues the client trace upstream, logs one JSON line and exports GenAI spans over OTLP/HTTP JSON', async () => {
    const clientTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const clientSpan = '00f067aa0ba902b7';
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        traceparent: `00-${clientTrace}-${clientSpan}-01`,
        'x-request-id': 'trace-test-1',
      },
      body: JSON.stringify({
        model: 'tiny-1',
        messages: [{ role: 'user', content: 'my token is sk-abcdefghijklmnopqrst' }],
      }),
    });
    expect(response.status).toBe(200);
    await response.text();

    // Upstream got the same trace with a span of the gateway's (not the client's).
    const traceparent = String(upstreamHeaders.at(-1)?.traceparent);
    expect(traceparent).toMatch(new RegExp(`^00-${clientTrace}-[0-9a-f]{16}-01$`));
    const attemptSpan = traceparent.split('-')[2];
    expect(attemptSpan).not.toBe(clientSpan);

    await expect.poll(() => lines.length).toBeGreaterThan(0);
    const line = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    expect(line).toMatchObject({
      msg: 'request',
      level: 'info',
      request_id: 'trace-test-1',
      model: 'tiny-1',
      provider: 'local',
      status: 200,
      input_tokens: 7,
      output_tokens: 3,
      attempts: 1,
      trace_id: clientTrace,
    });
    expect(String(line.body)).toContain('[REDACTED]');
    expect(lines.join('')).not.toContain('sk-abcdefghijklmnopqrst');
    expect(lines.join('')).not.toContain('sk-upstream-secret-value-123');

    await telemetry.exporter!.flush();
    expect(exports).toHaveLength(1);
    expect(exports[0]!.path).toBe('/v1/traces');
    expect(exports[0]!.contentType).toBe('application/json');
    const resource = exports[0]!.body.resourceSpans[0];
    expect(resource!.resource.attributes).toContainEqual({
      key: 'service.name',
      value: { stringValue: 'switchyard-test' },
    });
    const spans = resource!.scopeSpans[0]!.spans;
    const attribute = (span: (typeof spans)[number], key: string) =>
      span.attributes.find((entry) => entry.key === key)?.value;
    const server = spans.find((span) => span.kind === 2)!;
    const client = spans.find((span) => span.kind === 3)!;
    expect(server).toMatchObject({
      traceId: clientTrace,
      parentSpanId: clientSpan,
      name: 'POST /v1/chat/completions',
    });
    expect(client).toMatchObject({
      traceId: clientTrace,
      spanId: attemptSpan,
      parentSpanId: server.spanId,
      name: 'chat tiny-1',
    });
    expect(attribute(client, 'gen_ai.operation.name')).toEqual({ stringValue: 'chat' });
    expect(attribute(client, 'gen_ai.provider.name')).toEqual({ stringValue: 'local' });
    expect(attribute(client, 'gen_ai.request.model')).toEqual({ stringValue: 'tiny-1' });
    expect(attribute(client, 'gen_ai.usage.input_tokens')).toEqual({ intValue: '7' });
    expect(attribute(client, 'gen_ai.usage.output_tokens')).toEqual({ intValue: '3' });
    expect(attribute(server, 'switchyard.request_id')).toEqual({ stringValue: 'trace-test-1' });
    expect(BigInt(server.endTimeUnixNano) >= BigInt(server.startTimeUnixNano)).toBe(true);
  });

  it('starts a new trace when the client sends none', async () => {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tiny-1', messages: [{ role: 'user', content: 'hi' }] }),
    });
    await response.text();
    expect(String(upstreamHeaders.at(-1)?.traceparent)).toMatch(
      /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/,
    );
    await telemetry.exporter!.flush();
    const spans = exports.at(-1)!.body.resourceSpans[0]!.scopeSpans[0]!.spans;
    expect(spans.find((span) => span.kind === 2)!.parentSpanId).toBeUndefined();
  });
});
