import { request as httpRequest } from 'undici';
import type { OtlpSpan } from './request-spans.js';

export interface OtlpExporterOptions {
  /** Full URL spans are POSTed to (…/v1/traces). */
  url: string;
  headers?: Record<string, string>;
  serviceName: string;
  serviceVersion: string;
  /** Send when this many spans are queued (default 256). */
  batchSize?: number;
  /** Send what is queued at most this long after the first span (default 1000 ms). */
  flushIntervalMs?: number;
  /** Past this many queued spans new ones are dropped and counted (default 4096). */
  maxQueued?: number;
  /** Failure log sink. */
  log?: (message: string) => void;
}

export interface OtlpExporter {
  export(spans: readonly OtlpSpan[]): void;
  /** Sends everything queued. */
  flush(): Promise<void>;
  close(): Promise<void>;
  stats(): { sent: number; dropped: number; failedPosts: number };
}

/**
 * A small OTLP/HTTP JSON span exporter (ADR 0009): spans are queued off the request path and
 * POSTed in batches as `ExportTraceServiceRequest` JSON. A failed POST is logged and its spans
 * dropped (tracing never holds requests or memory hostage).
 */
export function createOtlpExporter(options: OtlpExporterOptions): OtlpExporter {
  const batchSize = options.batchSize ?? 256;
  const flushIntervalMs = options.flushIntervalMs ?? 1000;
  const maxQueued = options.maxQueued ?? 4096;
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  let queue: OtlpSpan[] = [];
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let sent = 0;
  let dropped = 0;
  let failedPosts = 0;
  let lastFailureLogged = 0;
  const resource = {
    attributes: [
      { key: 'service.name', value: { stringValue: options.serviceName } },
      { key: 'service.version', value: { stringValue: options.serviceVersion } },
    ],
  };

  const post = async (spans: OtlpSpan[]): Promise<void> => {
    const body = JSON.stringify({
      resourceSpans: [
        {
          resource,
          scopeSpans: [{ scope: { name: 'switchyard', version: options.serviceVersion }, spans }],
        },
      ],
    });
    try {
      const response = await httpRequest(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body,
        headersTimeout: 10_000,
        bodyTimeout: 10_000,
      });
      await response.body.dump();
      if (response.statusCode >= 300) throw new Error(`HTTP ${response.statusCode}`);
      sent += spans.length;
    } catch (error) {
      failedPosts++;
      dropped += spans.length;
      // One line per minute at most: a collector that is down should not flood the log.
      if (Date.now() - lastFailureLogged > 60_000) {
        lastFailureLogged = Date.now();
        log(
          `OTLP export to ${options.url} failed (${spans.length} spans dropped): ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  };

  const send = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (queue.length === 0) return inFlight;
    const batch = queue;
    queue = [];
    inFlight = inFlight.then(() => post(batch));
    return inFlight;
  };

  return {
    export(spans) {
      for (const span of spans) {
        if (queue.length >= maxQueued) dropped++;
        else queue.push(span);
      }
      if (queue.length >= batchSize) void send();
      else if (queue.length > 0 && !timer) {
        timer = setTimeout(() => void send(), flushIntervalMs);
        timer.unref();
      }
    },
    flush: send,
    close: send,
    stats: () => ({ sent, dropped, failedPosts }),
  };
}

/** Parses OTEL_EXPORTER_OTLP_HEADERS (`name=value,name2=value2`, values URL-encoded). */
export function parseOtlpHeaders(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    const index = pair.indexOf('=');
    if (index <= 0) continue;
    headers[pair.slice(0, index).trim().toLowerCase()] = decodeURIComponent(
      pair.slice(index + 1).trim(),
    );
  }
  return headers;
}

/**
 * Where traces go, from the standard variables: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, else
 * OTEL_EXPORTER_OTLP_ENDPOINT + `/v1/traces`; undefined when neither is set (tracing off).
 * OTEL_TRACES_EXPORTER=none also turns it off.
 */
export function otlpTracesUrl(environment: Record<string, string | undefined>): string | undefined {
  if (environment.OTEL_TRACES_EXPORTER === 'none' || environment.OTEL_SDK_DISABLED === 'true')
    return undefined;
  const traces = environment.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return traces;
  const base = environment.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined;
}
