import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './logging-config.js';

export type { Logger } from 'pino';

export interface CreateLoggerOptions {
  format: 'json' | 'text';
  level: LogLevel;
  /** Where lines go (default: standard output). */
  write?: (line: string) => void;
}

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
/** Fields the text format shows in its head, not as `name=value`. */
const HEAD_FIELDS = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

/**
 * The gateway's logger (pino): one JSON object per line, ISO time, level names as labels.
 * `text` renders the same records as `time LEVEL message name=value…` for a terminal.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const settings = {
    level: options.level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  // JSON to standard output: pino's own destination (sonic-boom on fd 1).
  if (options.format === 'json' && options.write === undefined)
    return pino(settings, pino.destination(1));
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const destination: DestinationStream = {
    write: options.format === 'text' ? (line) => write(textLine(line)) : write,
  };
  return pino(settings, destination);
}

/** A JSON log line as readable text. */
export function textLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const level =
    typeof record.level === 'number'
      ? (LEVEL_NAMES[record.level] ?? String(record.level))
      : String(record.level ?? '').toUpperCase();
  const fields = Object.entries(record)
    .filter(([name, value]) => !HEAD_FIELDS.has(name) && value !== null && value !== undefined)
    .map(
      ([name, value]) =>
        `${name}=${typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value)}`,
    );
  return `${String(record.time ?? '')} ${level.padEnd(5)} ${String(record.msg ?? '')}${fields.length > 0 ? ` ${fields.join(' ')}` : ''}\n`;
}
