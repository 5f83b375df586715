/** A standard normal draw (Box–Muller). */
function normal(random: () => number): number {
  const u = Math.max(Number.MIN_VALUE, random());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** A Gamma(shape, 1) draw (Marsaglia–Tsang; shape < 1 by the boost u^(1/shape)). */
function gamma(shape: number, random: () => number): number {
  if (shape < 1) return gamma(shape + 1, random) * random() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v)))
      return d * v;
  }
}

/** A Beta(alpha, beta) draw. */
export function sampleBeta(alpha: number, beta: number, random: () => number): number {
  const x = gamma(alpha, random);
  const y = gamma(beta, random);
  return x + y === 0 ? 0.5 : x / (x + y);
}
