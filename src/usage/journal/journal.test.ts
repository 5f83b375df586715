import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from './journal.js';

const directories: string[] = [];
function temporaryDirectory(): string {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'switchyard-journal-'));
  directories.push(directory);
  return directory;
}
afterEach(() => {
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

describe('Journal', () => {
  it('group-commits the lines appended in one turn (one write and one fdatasync), resolving each once on disk', async () => {
    const directory = temporaryDirectory();
    const { journal, leftover } = Journal.open(directory);
    expect(leftover).toEqual([]);
    const appended = Array.from({ length: 50 }, (_, index) => journal.append(`line ${index}`));
    await Promise.all(appended);
    expect(journal.stats()).toMatchObject({ committed: 50, commits: 1, segments: 1 });
    // Appends made while a commit is in flight share the next commit.
    const first = journal.append('a');
    await new Promise<void>((resolve) => setImmediate(resolve));
    const later = Array.from({ length: 20 }, (_, index) => journal.append(`b${index}`));
    await Promise.all([first, ...later]);
    expect(journal.stats().commits).toBeLessThanOrEqual(3);
    expect(journal.stats().committed).toBe(71);
    const [file] = readdirSync(directory);
    const lines = readFileSync(path.join(directory, file!), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(71);
    expect(lines[0]).toBe('line 0');
    await journal.close({ remove: false });
  });

  it('leaves its segments to the next open, which reads them whole and skips a torn last line', async () => {
    const directory = temporaryDirectory();
    const first = Journal.open(directory).journal;
    await Promise.all([first.append('one'), first.append('two')]);
    first.rotate();
    await first.append('three');
    await first.close({ remove: false });
    const names = readdirSync(directory).sort();
    expect(names).toHaveLength(2);
    appendFileSync(path.join(directory, names[1]!), '{"torn":'); // killed mid-write
    const { journal, leftover } = Journal.open(directory);
    expect(leftover.map((segment) => segment.lines)).toEqual([['one', 'two'], ['three']]);
    // New lines go to a new segment after the leftover ones.
    await journal.append('four');
    expect(readdirSync(directory)).toHaveLength(3);
    for (const segment of leftover) await journal.release(segment.sequence);
    expect(readdirSync(directory)).toHaveLength(1);
    await journal.close({ remove: true });
    expect(readdirSync(directory)).toEqual([]);
  });

  it('rotates only a segment with lines, and release waits for the sealed segment to commit', async () => {
    const directory = temporaryDirectory();
    const { journal } = Journal.open(directory);
    expect(journal.rotate()).toBeUndefined();
    const pending = journal.append('x');
    const sealed = journal.rotate();
    expect(sealed).toBeDefined();
    await journal.release(sealed!);
    await pending;
    expect(readdirSync(directory)).toHaveLength(1);
    await journal.close({ remove: true });
  });

  it('rejects appends after close', async () => {
    const { journal } = Journal.open(temporaryDirectory());
    await journal.close({ remove: true });
    await expect(journal.append('late')).rejects.toThrow(/after close/);
  });
});
