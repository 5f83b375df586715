import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { holdEnd } from './hold-end.js';

describe('holdEnd', () => {
  it('sends the end of a response only once the promise settles, and only the first end waits', async () => {
    let release!: () => void;
    const events: string[] = [];
    const server = createServer((_request, response) => {
      holdEnd(response, () => {
        events.push('before');
        return new Promise<void>((resolve) => {
          release = () => {
            events.push('released');
            resolve();
          };
        });
      });
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('start ');
      response.end('end');
      events.push(`end returned, writableEnded ${response.writableEnded}`);
      setTimeout(() => release(), 100);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const body = await new Promise<string>((resolve, reject) => {
      request({ port, host: '127.0.0.1', path: '/' }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (chunk.includes('end')) events.push('client saw the end');
          text += chunk;
        });
        response.on('end', () => resolve(text));
      })
        .on('error', reject)
        .end();
    });
    server.close();
    expect(body).toBe('start end');
    expect(events).toEqual([
      'before',
      'end returned, writableEnded false',
      'released',
      'client saw the end',
    ]);
  });

  it('ends at once when the hook returns undefined or throws', async () => {
    let calls = 0;
    let endedAtOnce = false;
    const server = createServer((_request, response) => {
      holdEnd(response, () => {
        calls += 1;
        throw new Error('hook failed');
      });
      response.end('ended');
      endedAtOnce = response.writableEnded;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/`);
    expect(await response.text()).toBe('ended');
    expect({ calls, endedAtOnce }).toEqual({ calls: 1, endedAtOnce: true });
    server.close();
  });
});
