import { ConfigError } from '../core/config-error.js';

/**
 * Stable codes of registry failures. `catalog_invalid` is a config problem (shown like every other
 * ConfigError); the price-import codes describe a document the operator pointed us at.
 */
export const CATALOG_ERROR_CODES = {
  catalog_invalid:
    'The catalog section of the config (or the built-in data) is invalid or has broken references.',
  price_document_unreadable:
    'The price document could not be read (missing file, HTTP error, timeout).',
  price_document_invalid: 'The price document is not an OpenRouter-shaped `/models` JSON document.',
} as const;

export type CatalogErrorCode = keyof typeof CATALOG_ERROR_CODES;

/** A catalog or price-import failure with every problem found, each prefixed by its path. */
export class CatalogError extends ConfigError {
  readonly code: CatalogErrorCode;

  constructor(
    code: CatalogErrorCode,
    source: string,
    problems: string[],
    options: { cause?: unknown } = {},
  ) {
    super(source, problems);
    this.name = 'CatalogError';
    this.code = code;
    if (code !== 'catalog_invalid') {
      this.message = `Cannot import prices (${source}):\n${problems.map((problem) => `  - ${problem}`).join('\n')}`;
    }
    if (options.cause !== undefined) this.cause = options.cause;
  }
}
