import { z } from 'zod';

/**
 * The `logging:` config section, kept next to the code it configures; src/config/schema.ts and
 * resolve-config.ts plug it in. Tracing is configured by the standard OpenTelemetry environment
 * variables (OTEL_EXPORTER_OTLP_ENDPOINT…), not here.
 */

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const loggingConfigSchema = z
  .object({
    /** `json` (default): one JSON object per line, for log collectors; `text`: readable lines for a terminal. */
    format: z.enum(['json', 'text']),
    /** Lowest level written (default info). */
    level: z.enum(LOG_LEVELS),
    /** One line per request (default true). */
    requests: z.boolean(),
    /** Request bodies on the request line, secrets redacted, cut at max_bytes (default off). */
    bodies: z
      .object({
        enabled: z.boolean(),
        max_bytes: z
          .number()
          .int()
          .min(64)
          .max(1024 * 1024),
      })
      .partial()
      .strict(),
  })
  .partial()
  .strict();

export type LoggingConfigFile = z.infer<typeof loggingConfigSchema>;

export interface LoggingSettings {
  format: 'json' | 'text';
  level: LogLevel;
  requests: boolean;
  bodies: { enabled: boolean; maxBytes: number };
}

export const DEFAULT_BODY_MAX_BYTES = 4096;

/** `server.access_log: false` (the older switch) turns request lines off when `logging.requests` is not given. */
export function resolveLoggingSettings(
  file: LoggingConfigFile | undefined,
  accessLog: boolean | undefined,
): LoggingSettings {
  return {
    format: file?.format ?? 'json',
    level: file?.level ?? 'info',
    requests: file?.requests ?? accessLog ?? true,
    bodies: {
      enabled: file?.bodies?.enabled ?? false,
      maxBytes: file?.bodies?.max_bytes ?? DEFAULT_BODY_MAX_BYTES,
    },
  };
}
