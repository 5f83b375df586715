import { createLogger, type Logger } from './create-logger.js';
import type { LoggingSettings } from './logging-config.js';
import {
  createOtlpExporter,
  otlpTracesUrl,
  parseOtlpHeaders,
  type OtlpExporter,
} from './otlp-exporter.js';
import { createRequestLog } from './request-log.js';
import { requestSpans } from './request-spans.js';
import type { RequestReport } from '../core/request-report.js';

export interface Telemetry {
  logger: Logger;
  /** Call once per finished request: its log line and, when tracing, its spans. */
  observe(record: RequestReport): void;
  /** Start a trace for every request (an OTLP endpoint is configured). */
  tracing: boolean;
  /** Keep request bodies on the record for the log (`logging.bodies.enabled`). */
  captureBodies: boolean;
  exporter?: OtlpExporter;
  /** Sends queued spans and flushes the log. */
  close(): Promise<void>;
}

export interface CreateTelemetryOptions {
  logging: LoggingSettings;
  environment?: Record<string, string | undefined>;
  serviceVersion: string;
  /** Where log lines go (default standard output). */
  write?: (line: string) => void;
}

/** The logger, the request log and the OTLP exporter (when OTEL_EXPORTER_OTLP_ENDPOINT is set), as one observer. */
export function createTelemetry(options: CreateTelemetryOptions): Telemetry {
  const environment = options.environment ?? process.env;
  const { logging } = options;
  const logger = createLogger({
    format: logging.format,
    level: logging.level,
    ...(options.write ? { write: options.write } : {}),
  });
  const requestLog = logging.requests
    ? createRequestLog(
        logger,
        logging.bodies.enabled ? { bodies: { maxBytes: logging.bodies.maxBytes } } : {},
      )
    : undefined;
  const url = otlpTracesUrl(environment);
  const protocol =
    environment.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? environment.OTEL_EXPORTER_OTLP_PROTOCOL;
  if (url && protocol !== undefined && protocol !== 'http/json') {
    logger.warn(
      { protocol },
      'OTLP: only http/json is implemented; spans are sent as OTLP/HTTP JSON',
    );
  }
  const exporter = url
    ? createOtlpExporter({
        url,
        headers: parseOtlpHeaders(
          environment.OTEL_EXPORTER_OTLP_TRACES_HEADERS ?? environment.OTEL_EXPORTER_OTLP_HEADERS,
        ),
        serviceName: environment.OTEL_SERVICE_NAME || 'switchyard',
        serviceVersion: options.serviceVersion,
        log: (message) => logger.warn(message),
      })
    : undefined;
  return {
    logger,
    tracing: exporter !== undefined,
    captureBodies: requestLog !== undefined && logging.bodies.enabled,
    ...(exporter ? { exporter } : {}),
    observe(record) {
      requestLog?.(record);
      if (exporter && record.trace?.sampled && record.path.startsWith('/v1/'))
        exporter.export(requestSpans(record));
    },
    async close() {
      await exporter?.close();
      logger.flush();
    },
  };
}
