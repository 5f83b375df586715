import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { request } from 'undici';
import type { Dispatcher } from 'undici';
import { CatalogError } from '../catalog-error.js';

/** OpenRouter's full `/models` document is a few MB; anything far larger is not a price list. */
export const MAX_PRICE_DOCUMENT_BYTES = 32 * 1024 * 1024;
export const DEFAULT_PRICE_DOCUMENT_TIMEOUT_MS = 30_000;

export interface LoadPriceDocumentOptions {
  /** Directory relative paths are resolved against; default the working directory. */
  cwd?: string;
  timeoutMs?: number;
  /** Injected HTTP dispatcher (tests); default undici's global one. */
  dispatcher?: Dispatcher;
}

export interface PriceDocument {
  text: string;
  /** The resolved file path or the URL. */
  source: string;
}

/**
 * Reads the operator-given price document: an http(s) URL (GET, JSON expected) or a file path.
 * Only the operator chooses this location (a CLI flag), never a client request.
 */
export async function loadPriceDocument(
  location: string,
  options: LoadPriceDocumentOptions = {},
): Promise<PriceDocument> {
  if (/^https?:\/\//i.test(location))
    return { text: await download(location, options), source: location };
  const path = resolve(options.cwd ?? process.cwd(), location);
  try {
    return { text: await readFile(path, 'utf8'), source: path };
  } catch (error) {
    throw new CatalogError(
      'price_document_unreadable',
      path,
      [
        `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      ],
      { cause: error },
    );
  }
}

async function download(url: string, options: LoadPriceDocumentOptions): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PRICE_DOCUMENT_TIMEOUT_MS;
  try {
    const response = await request(url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
      ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
    });
    if (response.statusCode < 200 || response.statusCode >= 300) {
      await response.body.dump();
      throw new CatalogError('price_document_unreadable', url, [`HTTP ${response.statusCode}`]);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      size += buffer.length;
      if (size > MAX_PRICE_DOCUMENT_BYTES) {
        response.body.destroy();
        throw new CatalogError('price_document_unreadable', url, [
          `larger than ${MAX_PRICE_DOCUMENT_BYTES} bytes`,
        ]);
      }
      chunks.push(buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (error) {
    if (error instanceof CatalogError) throw error;
    const reason =
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : (error as Error).message;
    throw new CatalogError('price_document_unreadable', url, [reason], { cause: error });
  }
}
