import { describe, expect, it } from 'vitest';
import { aliveCounts, groupAlive } from './alive.ts';
import { buildPlan } from './plan.ts';
import { groupVectors, isAlive, marginalCosts, regularizerValue } from './regularizer.ts';
import { ones, residualStage, workedExample } from './testing/fixtures.ts';

const allOnes = { conv1: ones(16), conv2: ones(32) };

describe('regularizer (MORPHNET.md §3)', () => {
  it('gives the worked example R with every γ = 1', () => {
    expect(regularizerValue(workedExample, allOnes, 0.01, 'flops')).toBe(5_603_968);
  });

  it('gives each channel its marginal cost', () => {
    const d = marginalCosts(workedExample, allOnes, 0.01, 'flops');
    expect([...(d['conv1'] ?? [])]).toEqual(new Array(16).fill(202_752));
    expect([...(d['conv2'] ?? [])]).toEqual(new Array(32).fill(73_748));
  });

  it('matches a finite difference of R, with dead channels dropping out of A', () => {
    const g = { conv1: ones(16, 0.5), conv2: ones(32, 0.25) };
    g.conv1[0] = 0; // dead: A_out(conv1) = 15
    const d = marginalCosts(workedExample, g, 0.01, 'size');
    const h = 0.125;
    const r0 = regularizerValue(workedExample, g, 0.01, 'size');
    const bumped = { conv1: Float32Array.from(g.conv1), conv2: Float32Array.from(g.conv2) };
    bumped.conv2[3] = 0.25 + h;
    // size: conv2 channel costs 9·15 (as output of conv2) + 1·10 (as input of the logits).
    expect(d['conv2']?.[3]).toBe(9 * 15 + 10);
    expect((regularizerValue(workedExample, bumped, 0.01, 'size') - r0) / h).toBeCloseTo(145, 6);
  });

  it('uses the max over members and routes the gradient to the largest member', () => {
    const plan = buildPlan(residualStage);
    const g = {
      stem: ones(8, 0.5),
      'b1/conv1': ones(4),
      'b1/conv2': ones(8, 0),
      'b2/conv1': ones(4),
      'b2/conv2': ones(8, 0),
    };
    g['b1/conv2'][2] = 0.75; // beats the stem on channel 2
    const trunk = plan.groupOf['stem'] as number;
    expect([...(groupVectors(plan, g)[trunk] ?? [])]).toEqual([0.5, 0.5, 0.75, 0.5, 0.5, 0.5, 0.5, 0.5]);
    const d = marginalCosts(plan, g, 0.01, 'flops');
    expect(d['stem']?.[2]).toBe(0);
    expect(d['b1/conv2']?.[2]).toBeGreaterThan(0);
    expect(d['stem']?.[0]).toBe(d['b1/conv2']?.[2]);
    expect(d['b2/conv2']?.[0]).toBe(0);
  });
});

describe('alive counts (MORPHNET.md §1.2, §4)', () => {
  it('counts |γ| strictly above the threshold, OR-ed over a group', () => {
    const g = {
      stem: ones(8, 0),
      'b1/conv1': ones(4, 0.01),
      'b1/conv2': ones(8, 0),
      'b2/conv1': ones(4, 0.5),
      'b2/conv2': ones(8, 0),
    };
    g.stem[0] = 1;
    g['b2/conv2'][5] = -0.2; // magnitudes: the sign of γ does not matter
    g['b1/conv1'][1] = 0.02;
    const alive = aliveCounts(residualStage, g, 0.01);
    expect(alive).toEqual({ stem: 2, 'b1/conv1': 1, 'b1/conv2': 2, 'b2/conv1': 4, 'b2/conv2': 2 });
    const plan = buildPlan(residualStage);
    expect(groupAlive(plan, g, 0.01)[plan.groupOf['b1/conv1'] as number]).toBe(1);
  });
});

describe('a |γ| exactly at the threshold (§1.2: the step, in float32)', () => {
  const T = 0.001;
  const at = Math.fround(0.001); // 0.0010000000474974513 > 0.001 in float64

  it('is dead, as tf.step(|γ| − T) = 0 calls it; the next float32 up is alive', () => {
    expect(at > T).toBe(true); // the float64 comparison the studio used to make
    expect(isAlive(at, T)).toBe(false);
    expect(isAlive(0.001, T)).toBe(false);
    const up = new Float32Array(new Uint32Array([new Uint32Array(Float32Array.of(at).buffer)[0]! + 1]).buffer)[0]!;
    expect(isAlive(up, T)).toBe(true);
    expect(isAlive(0, 0)).toBe(false);
    expect(isAlive(-0.5, 0.25)).toBe(false); // a magnitude is never negative; a negative one is dead
  });

  it('drops such channels from the alive counts and from A in R', () => {
    const g = { conv1: ones(16, at), conv2: ones(32) };
    expect(aliveCounts(workedExample, g, T)).toEqual({ conv1: 0, conv2: 32 });
    // A1 = 0: R = 18,432·3·S1 + 4,608·(0·32 + 32·S1) + 2·10·32 = 202,752·S1 + 640, S1 = 16·γ.
    // Counted alive (A1 = 16) it would be 2,359,296 larger.
    expect(regularizerValue(workedExample, g, T, 'flops')).toBeCloseTo(202_752 * 16 * at + 640, 6);
    expect(regularizerValue(workedExample, g, T, 'flops')).toBeCloseTo(3884.032, 2);
  });
});
