/**
 * The last few times to first token per deployment, for hedging: p95 of a small ring buffer,
 * computed only when a hedge delay is asked for. Bounded: `size` numbers per configured deployment.
 */
export class TtftWindows {
  private readonly rings = new Map<string, { values: number[]; next: number }>();

  constructor(private readonly size = 64) {}

  add(key: string, milliseconds: number): void {
    let ring = this.rings.get(key);
    if (!ring) {
      ring = { values: [], next: 0 };
      this.rings.set(key, ring);
    }
    if (ring.values.length < this.size) ring.values.push(milliseconds);
    else ring.values[ring.next] = milliseconds;
    ring.next = (ring.next + 1) % this.size;
  }

  /** The p95 of the recent values, or undefined with fewer than `minSamples` of them. */
  p95(key: string, minSamples: number): number | undefined {
    const ring = this.rings.get(key);
    if (!ring || ring.values.length < minSamples) return undefined;
    const sorted = [...ring.values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)];
  }
}
