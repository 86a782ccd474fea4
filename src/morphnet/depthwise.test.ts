// Depthwise layers as the reference's op handlers tie them (MORPHNET.md §4), numbers by hand.
import { describe, expect, it } from 'vitest';
import { aliveCounts, groupAlive } from './alive.ts';
import { networkCost } from './cost.ts';
import { expandSpec } from './expand.ts';
import { buildPlan } from './plan.ts';
import { groupVectors, marginalCosts, regularizerValue } from './regularizer.ts';
import { validateSpec } from './spec.ts';

const net = (name: string, layers: unknown[]) =>
  validateSpec({ name, input: { height: 4, width: 4, channels: 2 }, classes: 2, layers }, name);
const head = (from: string) => [
  { name: 'pool', type: 'gap', from },
  { name: 'logits', type: 'dense', from: 'pool', units: 2 },
];
const T = 0.0625; // exact in float32

// 4×4 throughout: a 1×1 conv has C = 2·16 = 32 FLOPs, the 3×3 depthwise C = 2·16·9 = 288.
describe('depthwise with multiplier 2: channels 2i, 2i+1 tied to input channel i', () => {
  const spec = net('dw-multiplier', [
    { name: 'pw', type: 'conv', from: 'input', filters: 4, kernel: 1 },
    { name: 'dw', type: 'depthwise', from: 'pw', kernel: 3, multiplier: 2 },
    { name: 'out', type: 'conv', from: 'dw', filters: 4, kernel: 1 },
    ...head('out'),
  ]);
  const gammas = {
    pw: [1, 0, 0.5, 0],
    dw: [0, 0, 0, 0.25, 0, 0, 0, 0], // dw[3] keeps pw's channel 1 alive (the OR)
    out: [1, 1, 1, 1],
  };

  it('max-es dw[2i], dw[2i+1] into channel i and counts the OR', () => {
    expect([...(groupVectors(buildPlan(spec), gammas)[0] ?? [])]).toEqual([1, 0.25, 0.5, 0]);
    expect(groupAlive(spec, gammas, T)).toEqual([3, 4]);
    expect(aliveCounts(spec, gammas, T)).toEqual({ pw: 3, dw: 6, out: 4 });
  });

  it('prices the depthwise C·A_out: 32·2·3 + 288·6 + 32·6·4 + 2·4·2 = 2,704', () => {
    const cost = networkCost(spec, { pw: 3, dw: 6, out: 4 });
    expect(cost.layers.map((l) => [l.name, l.flops, l.params])).toEqual([
      ['pw', 192, 6],
      ['dw', 1728, 54],
      ['out', 768, 24],
      ['logits', 16, 8],
    ]);
    expect(cost.flops).toBe(2704);
    expect(buildPlan(spec).terms.map((t) => t.kind)).toEqual(['conv', 'depthwise', 'conv', 'dense']);
  });

  it('gives R = 2,856 FLOPs and 96.75 parameters (S_G = 1.75 counts twice as dw output)', () => {
    // pw 32·2·1.75 = 112; dw 288·(1.75 + 2·1.75) = 1,512; out 32·(6·4 + 4·3.5) = 1,216; logits 2·2·4 = 16.
    expect(regularizerValue(spec, gammas, T, 'flops')).toBe(2856);
    // pw 2·1.75; dw 9·5.25; out 6·4 + 4·3.5; logits 2·4.
    expect(regularizerValue(spec, gammas, T, 'size')).toBe(96.75);
  });

  it('routes each channel of the group to its largest |γ|: 64 + 288 + 2·288 + 2·128 = 1,184', () => {
    const d = marginalCosts(spec, gammas, T, 'flops');
    expect([...(d['pw'] ?? [])]).toEqual([1184, 0, 1184, 1184]); // channel 3: a tie of zeros, the first member
    expect([...(d['dw'] ?? [])]).toEqual([0, 0, 0, 1184, 0, 0, 0, 0]);
    expect([...(d['out'] ?? [])]).toEqual([196, 196, 196, 196]); // 32·6 + 2·2
  });

  it("expands from pw's count, not the depthwise's 6: pw 3, out 5 at 2,900 FLOPs under 3,600", () => {
    // F(ω) = 32·2·p + 288·2p + 32·2p·o + 4·o, p = round(3ω), o = round(4ω): p = 4 needs ω ≥ 7/6,
    // where o = 5 and F = 3,860 > 3,600; below it the largest is p = 3, o = 5.
    const r = expandSpec(spec, { pw: 3, dw: 6, out: 4 }, { target: 'flops' });
    expect(networkCost(spec).flops).toBe(3600);
    expect(r.widths).toEqual({ pw: 3, dw: 6, out: 5 });
    expect(r.cost.flops).toBe(2900);
    expect(r.omega).toBeGreaterThanOrEqual(1.125);
    expect(r.omega).toBeLessThan(7 / 6);
  });
});

describe('depthwise reading a concat: cut along the towers', () => {
  const spec = net('dw-concat', [
    { name: 'a', type: 'conv', from: 'input', filters: 2, kernel: 1 },
    { name: 'b', type: 'conv', from: 'input', filters: 3, kernel: 1 },
    { name: 'cat', type: 'concat', from: ['a', 'b'] },
    { name: 'dw', type: 'depthwise', from: 'cat', kernel: 3 },
    { name: 'out', type: 'conv', from: 'dw', filters: 4, kernel: 1 },
    ...head('out'),
  ]);
  // dw[0..1] sit on tower a, dw[2..4] on tower b.
  const gammas = { a: [0.03125, 0], b: [1, 0, 0.25], dw: [0, 0.03125, 1, 0, 0.5], out: [1, 1, 1, 1] };

  it('ties dw[0..1] to a and dw[2..4] to b', () => {
    const plan = buildPlan(spec);
    expect(plan.groups.map((g) => [g.members, g.slices])).toEqual([
      [
        ['a', 'dw'],
        [
          { offset: 0, multiplier: 1 },
          { offset: 0, multiplier: 1 },
        ],
      ],
      [
        ['b', 'dw'],
        [
          { offset: 0, multiplier: 1 },
          { offset: 2, multiplier: 1 },
        ],
      ],
      [['out'], undefined],
    ]);
    expect(groupVectors(plan, gammas).map((v) => [...v])).toEqual([
      [0.03125, 0.03125],
      [1, 0, 0.5],
      [1, 1, 1, 1],
    ]);
  });

  it('lets tower a die: alive a 0, b 2, dw 2, and R = 4 + 96 + 900 + 456 + 16 = 1,472', () => {
    expect(aliveCounts(spec, gammas, T)).toEqual({ a: 0, b: 2, dw: 2, out: 4 });
    // a 32·2·S_A, b 32·2·S_B, dw 288·(2·(S_A + S_B)), out 32·(2·4 + 4·(S_A + S_B)), logits 2·2·4;
    // S_A = 0.0625, S_B = 1.5.
    expect(regularizerValue(spec, gammas, T, 'flops')).toBe(1472);
    expect(networkCost(spec, aliveCounts(spec, gammas, T)).flops).toBe(0 + 128 + 576 + 256 + 16);
  });

  it('gives the depthwise its gradient on each tower: 64 + 288 + 288 + 128 = 768 per channel', () => {
    const d = marginalCosts(spec, gammas, T, 'flops');
    expect([...(d['a'] ?? [])]).toEqual([768, 0]);
    expect([...(d['b'] ?? [])]).toEqual([768, 768, 0]); // channel 0: b and dw tie at 1, b is first
    expect([...(d['dw'] ?? [])]).toEqual([0, 768, 0, 0, 768]);
    expect([...(d['out'] ?? [])]).toEqual([68, 68, 68, 68]);
  });

  it("keeps tower a alive where the depthwise's |γ| on it is (the OR)", () => {
    const kept = { ...gammas, dw: [0.5, 0.03125, 1, 0, 0.5] };
    expect(aliveCounts(spec, kept, T)).toEqual({ a: 1, b: 2, dw: 3, out: 4 });
  });

  it('removes the dead tower when expanding: b 4, out 7 at 2,332 FLOPs under 2,416', () => {
    // Without a: F(ω) = 32·2·q + 288·q + 32·q·o + 4·o, q = round(2ω), o = round(4ω); ω ≥ 1.875
    // gives q = 4, o = 8 and 2,464 > 2,416.
    expect(networkCost(spec).flops).toBe(2416);
    const r = expandSpec(spec, aliveCounts(spec, gammas, T), { target: 'flops' });
    expect(r.spec.layers.map((l) => l.name)).toEqual(['b', 'dw', 'out', 'pool', 'logits']);
    expect(r.widths).toEqual({ a: 0, b: 4, dw: 4, out: 7 });
    expect(r.cost.flops).toBe(2332);
  });
});
