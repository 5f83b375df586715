import { mkdirSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/** Journal segment files: `ledger-journal-<sequence>.log`, one JSON text per line. */
const SEGMENT_PATTERN = /^ledger-journal-(\d{12})\.log$/;

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Segment {
  sequence: number;
  path: string;
  handle: Promise<FileHandle>;
  pending: string[];
  waiters: Waiter[];
  /** Lines appended to this segment so far. */
  appended: number;
  /** A commit is scheduled for a later turn. */
  scheduled: boolean;
  /** Commits (write + fdatasync) in flight. */
  running: Set<Promise<void>>;
}

/**
 * Commits in flight at once per segment: lines appended while one runs wait for it and share the
 * next. Four in flight (lines are independent and each commit is one O_APPEND write, so that is
 * safe) gave smaller groups, more fdatasyncs and no throughput gain in bench/ledger-durability.mjs.
 */
const MAX_COMMITS_IN_FLIGHT = 1;

export interface JournalStats {
  /** Lines appended and made durable. */
  committed: number;
  /** Group commits (one write and one fdatasync each). */
  commits: number;
  /** Segments on disk (the current one included). */
  segments: number;
}

/**
 * An append-only, group-committed journal of text lines in a directory. `append` resolves once the
 * line is written and fdatasync'd: lines appended while a commit is in flight share the next one
 * (one write, one fdatasync per batch). `rotate` starts a new segment and returns the sequence of
 * the old one, which `release` deletes once its lines are safe elsewhere. `replay` (before any
 * append) reads every segment left by an earlier process.
 */
export class Journal {
  private current: Segment;
  private readonly sealed = new Map<number, Segment>();
  private readonly leftover: Set<number>;
  private committed = 0;
  private commits = 0;
  private closed = false;

  private constructor(
    private readonly directory: string,
    firstSequence: number,
    leftover: number[],
  ) {
    this.leftover = new Set(leftover);
    this.current = this.openSegment(firstSequence);
  }

  /** Opens the journal in `directory` (created); a new segment follows any left by an earlier process. */
  static open(directory: string): { journal: Journal; leftover: LeftoverSegment[] } {
    mkdirSync(directory, { recursive: true });
    const leftover = listSegments(directory);
    const last = leftover[leftover.length - 1];
    const sequences = leftover.map((segment) => segment.sequence);
    return { journal: new Journal(directory, (last?.sequence ?? 0) + 1, sequences), leftover };
  }

  /** Appends one line (it must not contain a newline); resolves once it is on disk. */
  append(line: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error('journal: append after close'));
    const segment = this.current;
    segment.pending.push(line);
    segment.appended += 1;
    return new Promise<void>((resolve, reject) => {
      segment.waiters.push({ resolve, reject });
      this.schedule(segment);
    });
  }

  /**
   * Starts a new segment and returns the sequence of the one sealed (its pending lines still
   * commit); undefined when the current segment has no lines yet (nothing to seal).
   */
  rotate(): number | undefined {
    const old = this.current;
    if (old.appended === 0) return undefined;
    this.sealed.set(old.sequence, old);
    this.current = this.openSegment(old.sequence + 1);
    return old.sequence;
  }

  /** Deletes a sealed segment (after its pending lines committed), or a leftover one by sequence. */
  async release(sequence: number): Promise<void> {
    const segment = this.sealed.get(sequence);
    this.leftover.delete(sequence);
    if (segment) {
      this.sealed.delete(sequence);
      await settled(segment);
      await (await segment.handle).close();
    }
    removeFile(segmentPath(this.directory, sequence));
  }

  stats(): JournalStats {
    return {
      committed: this.committed,
      commits: this.commits,
      segments: this.leftover.size + this.sealed.size + 1,
    };
  }

  /**
   * Waits for pending commits and closes the files. With `remove` (everything journaled is safe
   * elsewhere) every segment is deleted; without, they stay for the next start to replay.
   */
  async close(options: { remove: boolean }): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const open = [...this.sealed.values(), this.current];
    this.sealed.clear();
    for (const segment of open) {
      await settled(segment);
      await (await segment.handle).close();
    }
    if (!options.remove) return;
    for (const sequence of [...this.leftover, ...open.map((segment) => segment.sequence)])
      removeFile(segmentPath(this.directory, sequence));
    this.leftover.clear();
  }

  private openSegment(sequence: number): Segment {
    const path = segmentPath(this.directory, sequence);
    const handle = open(path, 'a');
    handle.catch(() => undefined); // reported through the appends' promises
    return {
      sequence,
      path,
      handle,
      pending: [],
      waiters: [],
      appended: 0,
      scheduled: false,
      running: new Set(),
    };
  }

  private schedule(segment: Segment): void {
    if (segment.scheduled || segment.running.size >= MAX_COMMITS_IN_FLIGHT) return;
    segment.scheduled = true;
    // One turn later, so the appends of this turn share the commit.
    setImmediate(() => {
      segment.scheduled = false;
      const commit = this.commit(segment);
      segment.running.add(commit);
      void commit.finally(() => {
        segment.running.delete(commit);
        if (segment.pending.length > 0) this.schedule(segment);
      });
    });
  }

  private async commit(segment: Segment): Promise<void> {
    const lines = segment.pending;
    const waiters = segment.waiters;
    if (lines.length === 0) return;
    segment.pending = [];
    segment.waiters = [];
    try {
      const file = await segment.handle;
      await file.write(`${lines.join('\n')}\n`);
      await file.datasync();
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
      return;
    }
    this.committed += lines.length;
    this.commits += 1;
    for (const waiter of waiters) waiter.resolve();
  }
}

/** Resolves once nothing is pending, scheduled or running in the segment. */
async function settled(segment: Segment): Promise<void> {
  while (segment.pending.length > 0 || segment.scheduled || segment.running.size > 0) {
    if (segment.running.size > 0) await Promise.allSettled([...segment.running]);
    else await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

export interface LeftoverSegment {
  sequence: number;
  /** The parsed lines; a torn last line (the process died mid-write) is left out. */
  lines: string[];
}

function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function segmentPath(directory: string, sequence: number): string {
  return join(directory, `ledger-journal-${String(sequence).padStart(12, '0')}.log`);
}

function listSegments(directory: string): LeftoverSegment[] {
  const sequences: number[] = [];
  for (const name of readdirSync(directory)) {
    const match = SEGMENT_PATTERN.exec(name);
    if (match?.[1]) sequences.push(Number(match[1]));
  }
  sequences.sort((a, b) => a - b);
  return sequences.map((sequence) => ({
    sequence,
    lines: readLines(segmentPath(directory, sequence)),
  }));
}

function readLines(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  // Everything before the last newline was written whole; what follows it is a torn write.
  lines.pop();
  return lines.filter((line) => line !== '');
}
