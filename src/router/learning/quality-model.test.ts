import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../sim/hash-text.js';
import { LEARNING_DEFAULTS, QualityModel } from './quality-model.js';
import { sampleBeta } from './sample-beta.js';

describe('QualityModel', () => {
  it('starts at the prior and moves toward the outcomes, pooling other buckets at a lower weight', () => {
    const model = new QualityModel({ ...LEARNING_DEFAULTS, priorStrength: 4, poolWeight: 0.25 });
    const prior = model.posterior('p/m', 'python/algorithm/s', 0.8);
    expect(prior.mean).toBeCloseTo(0.8);
    expect(prior.evidence).toBe(0);
    for (let index = 0; index < 16; index++)
      model.add('p/m', 'python/algorithm/s', index < 4 ? 1 : 0);
    const learned = model.posterior('p/m', 'python/algorithm/s', 0.8);
    // (0.8·4 + 4) / (4 + 16)
    expect(learned.mean).toBeCloseTo(7.2 / 20);
    expect(learned.evidence).toBe(16);
    const elsewhere = model.posterior('p/m', 'go/bug-fix/s', 0.8);
    // (0.8·4 + 0.25·4) / (4 + 0.25·16)
    expect(elsewhere.mean).toBeCloseTo(4.2 / 8);
    expect(elsewhere.evidenceElsewhere).toBe(16);
    expect(model.posterior('other/m', 'python/algorithm/s', 0.8).mean).toBeCloseTo(0.8);
  });

  it('takes scores between 0 and 1, removes an outcome it replaced, and rebuilds from rows', () => {
    const model = new QualityModel();
    model.add('p/m', 'b', 0.5);
    model.add('p/m', 'b', 0, -1);
    expect(model.evidence()).toEqual([{ key: 'p/m', bucket: 'b', successes: 0.5, failures: 0 }]);
    model.replaceAll([
      { key: 'p/m', bucket: 'b', successes: 3, failures: 1 },
      { key: 'p/m', bucket: 'c', successes: 0, failures: 2 },
    ]);
    expect(model.posterior('p/m', 'b', 0.5).evidence).toBe(4);
    expect(model.posterior('p/m', 'b', 0.5).evidenceElsewhere).toBe(2);
    expect(model.learning).toBe(true);
  });

  it('draws from the posterior while evidence is thin, uses the mean once it is not', () => {
    const model = new QualityModel({ ...LEARNING_DEFAULTS, exploreBelow: 10 });
    const random = createSeededRandom(7).next;
    const thin = model.posterior('p/m', 'b', 0.6);
    const draws = Array.from({ length: 200 }, () => model.draw(thin, random));
    expect(new Set(draws).size).toBeGreaterThan(150);
    for (let index = 0; index < 12; index++) model.add('p/m', 'b', 1);
    const firm = model.posterior('p/m', 'b', 0.6);
    expect(model.draw(firm, random)).toBe(firm.mean);
  });

  it('caps what exploration may add to the predicted spend', () => {
    const model = new QualityModel({
      ...LEARNING_DEFAULTS,
      explorationCostShare: 0.1,
      explorationShare: 1,
    });
    expect(model.allowExploration(0.01)).toBe(false);
    model.notePlanned(1);
    expect(model.allowExploration(0.06)).toBe(true);
    expect(model.allowExploration(0.06)).toBe(false);
    expect(model.allowExploration(-1)).toBe(true);
    expect(model.spend()).toMatchObject({ plannedUsd: 1, explorationUsd: 0.06 });
  });

  it('offsets priors by the other candidates’ measured gap, once two others have outcomes', () => {
    const model = new QualityModel();
    const candidates = [
      { key: 'a', prior: 0.8 },
      { key: 'b', prior: 0.9 },
      { key: 'c', prior: 0.9 },
    ];
    for (let index = 0; index < 96; index++) model.add('a', 'x', index < 48 ? 1 : 0);
    // Only one measured: nobody is calibrated.
    expect(model.priorOffsets(candidates, 'x')).toEqual([0, 0, 0]);
    for (let index = 0; index < 96; index++) model.add('b', 'x', index < 58 ? 1 : 0);
    const [a, b, c] = model.priorOffsets(candidates, 'x');
    // a: 50% vs 80%, b: 60% vs 90%, each shrunk by 96/(96+4): c gets their mean, −0.288.
    expect(c).toBeCloseTo(-0.3 * 0.96, 2);
    expect(a).toBe(0);
    expect(b).toBe(0);
    const posterior = model.posterior('c', 'x', 0.9, c);
    expect(posterior.prior).toBeCloseTo(0.612, 2);
    expect(posterior.priorOffset).toBe(c);
  });

  it('lets at most exploration_share of the plans explore, cheaper explorations included', () => {
    const model = new QualityModel({ ...LEARNING_DEFAULTS, explorationShare: 0.1 });
    let allowed = 0;
    for (let plan = 0; plan < 100; plan++) {
      // Every plan would explore towards a cheaper candidate: free in money, not in quality.
      if (model.allowExploration(-0.001)) allowed++;
      model.notePlanned(0.01);
    }
    expect(allowed).toBe(10);
    expect(model.spend()).toMatchObject({ plans: 100, explorations: 10, explorationUsd: 0 });
  });
});

describe('sampleBeta', () => {
  it('has the Beta mean', () => {
    const random = createSeededRandom(3).next;
    let sum = 0;
    for (let index = 0; index < 4000; index++) sum += sampleBeta(2, 6, random);
    expect(sum / 4000).toBeCloseTo(0.25, 1);
    let small = 0;
    for (let index = 0; index < 4000; index++) small += sampleBeta(0.5, 0.5, random);
    expect(small / 4000).toBeCloseTo(0.5, 1);
  });
});
