import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { describe, expect, it, vi } from 'vitest';
import { Cancel, NEVER_CANCELLED } from './cancel.js';

describe('Cancel', () => {
  it('fires each listener once, in order, with the first reason only', () => {
    const cancel = new Cancel();
    const calls: string[] = [];
    cancel.addEventListener('abort', () => calls.push('a'));
    cancel.addEventListener('abort', () => calls.push('b'));
    const reason = new Error('first');
    cancel.abort(reason);
    cancel.abort(new Error('second'));
    expect(calls).toEqual(['a', 'b']);
    expect(cancel.aborted).toBe(true);
    expect(cancel.reason).toBe(reason);
  });

  it('defaults the reason to an AbortError like AbortController', () => {
    const cancel = new Cancel();
    cancel.abort();
    expect(cancel.reason).toBeInstanceOf(DOMException);
    expect((cancel.reason as DOMException).name).toBe('AbortError');
    expect(() => cancel.throwIfAborted()).toThrow(DOMException);
  });

  it('registers a listener once, forgets removed ones and ignores listeners added after the abort', () => {
    const cancel = new Cancel();
    const listener = vi.fn();
    const removed = vi.fn();
    cancel.addEventListener('abort', listener);
    cancel.addEventListener('abort', listener);
    cancel.addEventListener('abort', removed);
    cancel.removeEventListener('abort', removed);
    cancel.abort('why');
    const late = vi.fn();
    cancel.addEventListener('abort', late);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(removed).not.toHaveBeenCalled();
    expect(late).not.toHaveBeenCalled();
  });

  it('keeps calling the other listeners when one throws, and reports the error on a later tick', async () => {
    const cancel = new Cancel();
    const after = vi.fn();
    const reported = new Promise<unknown>((resolve) => {
      const original = process.listeners('uncaughtException');
      process.removeAllListeners('uncaughtException');
      process.once('uncaughtException', (error) => {
        for (const handler of original) process.on('uncaughtException', handler);
        resolve(error);
      });
    });
    const boom = new Error('listener failed');
    cancel.addEventListener('abort', () => {
      throw boom;
    });
    cancel.addEventListener('abort', after);
    cancel.abort();
    expect(after).toHaveBeenCalledTimes(1);
    await expect(reported).resolves.toBe(boom);
  });

  it('NEVER_CANCELLED is never aborted', () => {
    expect(NEVER_CANCELLED.aborted).toBe(false);
  });

  it('aborts a real undici request in flight, with its reason', async () => {
    // The upstream answers headers, then hangs: only the abort can end the call.
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('partial');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const pool = new Pool(`http://127.0.0.1:${port}`);
    try {
      const cancel = new Cancel();
      const before = new Cancel();
      before.abort(new Error('already gone'));
      await expect(pool.request({ path: '/', method: 'GET', signal: before })).rejects.toThrow(
        'already gone',
      );

      const answer = await pool.request({ path: '/', method: 'GET', signal: cancel });
      const reading = answer.body.text();
      const reason = new Error('client left');
      cancel.abort(reason);
      await expect(reading).rejects.toBe(reason);
    } finally {
      await pool.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
