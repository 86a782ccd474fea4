// Pinned groups, fixed components and networks with no batch norm (README "Decisions past the
// paper"): alive counts, cost, R and expansion, each number worked out by hand.
import { describe, expect, it } from 'vitest';
import { aliveCounts, groupAlive } from './alive.ts';
import { networkCost } from './cost.ts';
import { expandSpec } from './expand.ts';
import { buildPlan, traceChannels } from './plan.ts';
import { marginalCosts, regularizerValue } from './regularizer.ts';
import { validateSpec } from './spec.ts';

// 4×4×2 input, 1×1 convs: C = 2·16 = 32 FLOPs each; the logits (2 units) C = 2.
const net = (name: string, layers: unknown[]) =>
  validateSpec(
    {
      name,
      input: { height: 4, width: 4, channels: 2 },
      classes: 2,
      layers: [
        ...layers,
        { name: 'pool', type: 'gap', from: 'c' },
        { name: 'logits', type: 'dense', from: 'pool', units: 2 },
      ],
    },
    name,
  );
const conv = (name: string, from: string, filters: number, bn = true) =>
  bn
    ? { name, type: 'conv', from, filters, kernel: 1 }
    : { name, type: 'conv', from, filters, kernel: 1, bn: false };
const T = 0.0625;

describe('a group pinned by a conv without batch norm', () => {
  const spec = net('pinned', [
    conv('a', 'input', 4),
    conv('b', 'input', 4, false),
    { name: 'sum', type: 'add', from: ['a', 'b'] },
    conv('c', 'sum', 3),
  ]);

  it('counts it fully alive whatever its γ, and R leaves it out', () => {
    const g = { a: [0, 0, 0, 0], c: [1, 0, 0] };
    expect(groupAlive(spec, g, T)).toEqual([4, 1]);
    expect(aliveCounts(spec, g, T)).toEqual({ a: 4, b: 4, c: 1 });
    // Only c: 32·(4·1 + 1·0) + 2·(1·0 + 2·1) = 132; a's channels cost nothing (never regularized).
    expect(regularizerValue(spec, g, T, 'flops')).toBe(132);
    expect([...(marginalCosts(spec, g, T, 'flops')['a'] ?? [])]).toEqual([0, 0, 0, 0]);
  });

  it('prices it at full width even when a file says fewer: 256 + 256 + 128 + 4', () => {
    expect(networkCost(spec, { a: 2, c: 1 }).flops).toBe(644);
  });

  it('scales it from its full width: a = b = 5, c = 1 at 804 FLOPs under 908', () => {
    // F(ω) = 2·32·2·p + 32·p·q + 2·q·2, p = round(4ω), q = max(1, round(ω)); p = 6 from ω = 1.375
    // costs 964 > 908; below it p = 5, q = 1.
    expect(networkCost(spec).flops).toBe(908);
    expect(traceChannels(spec).components.map((c) => [c.mode, c.layers])).toEqual([
      ['pinned', ['a', 'b']],
      ['group', ['c']],
    ]);
    const r = expandSpec(spec, { a: 2, c: 1 }, { target: 'flops' });
    expect(r.widths).toEqual({ a: 5, b: 5, c: 1 });
    expect(r.cost.flops).toBe(804);
  });
});

describe('a component tied to the image (fixed)', () => {
  const spec = net('fixed', [
    conv('a', 'input', 2),
    { name: 'sum', type: 'add', from: ['input', 'a'] },
    conv('c', 'sum', 3),
  ]);

  it('keeps the seed width of a dead a and hits the budget exactly: c = 3 at 332 FLOPs', () => {
    expect(aliveCounts(spec, { a: [0, 0], c: [1, 0, 0] }, T)).toEqual({ a: 2, c: 1 });
    // F = 32·2·2 + 32·2·q + 2·q·2 = 128 + 68q ≤ 332 = F(seed): q = 3 uses the whole budget.
    expect(networkCost(spec).flops).toBe(332);
    expect(traceChannels(spec).components.map((c) => c.mode)).toEqual(['fixed', 'group']);
    const r = expandSpec(spec, { a: 0, c: 1 }, { target: 'flops' });
    expect(r.widths).toEqual({ a: 2, c: 3 });
    expect(r.cost.flops).toBe(332);
    expect(r.omega).toBeGreaterThanOrEqual(2.5);
    expect(r.omega).toBeLessThan(3.5);
  });

  it('expands nothing when nothing can scale: ω = 1, the seed as it was', () => {
    const alone = validateSpec(
      {
        name: 'alone',
        input: { height: 4, width: 4, channels: 2 },
        classes: 2,
        layers: [
          conv('a', 'input', 2),
          { name: 'sum', type: 'add', from: ['input', 'a'] },
          { name: 'pool', type: 'gap', from: 'sum' },
          { name: 'logits', type: 'dense', from: 'pool', units: 2 },
        ],
      },
      'alone',
    );
    const r = expandSpec(alone, { a: 0 }, { target: 'flops', budget: 1000 });
    expect(r.omega).toBe(1);
    expect(r.widths).toEqual({ a: 2 });
    expect(r.cost.flops).toBe(128 + 8);
    expect(r.limit).toBeNull();
  });
});

describe('an add whose inputs are split into segments differently', () => {
  const spec = net('split', [
    conv('x', 'input', 2),
    conv('y', 'input', 2),
    { name: 'cat', type: 'concat', from: ['x', 'y'] },
    conv('z', 'input', 4),
    { name: 'sum', type: 'add', from: ['cat', 'z'] },
    conv('c', 'sum', 3),
  ]);
  const g = { x: [0, 0], y: [1, 1], z: [0, 0, 0, 0], c: [1, 0, 0] };

  it('pins x, y and z (fixed) and regularizes c only', () => {
    const plan = buildPlan(spec);
    expect(plan.groups.map((x) => [x.members, x.pinned])).toEqual([
      [['x'], true],
      [['y'], true],
      [['z'], true],
      [['c'], false],
    ]);
    expect(traceChannels(spec).components.map((c) => c.mode)).toEqual(['fixed', 'fixed', 'fixed', 'group']);
    expect(aliveCounts(spec, g, T)).toEqual({ x: 2, y: 2, z: 4, c: 1 });
    expect(regularizerValue(spec, g, T, 'flops')).toBe(132); // 32·(4·1) + 2·(2·1)
  });

  it('keeps their seed widths and spends the rest on c: c = 3 at exactly 908', () => {
    // F = 128 + 128 + 256 + 32·4·q + 4q = 512 + 132q ≤ 908: q = 3.
    const r = expandSpec(spec, { x: 0, y: 0, z: 0, c: 1 }, { target: 'flops' });
    expect(r.widths).toEqual({ x: 2, y: 2, z: 4, c: 3 });
    expect(r.cost.flops).toBe(908);
  });
});

describe('a network with no batch norm at all', () => {
  const spec = net('raw', [conv('a', 'input', 4, false), conv('c', 'a', 3, false)]);

  it('has no groups, R = 0, every channel alive (the engine: regularizer.test.ts)', () => {
    const plan = buildPlan(spec);
    expect(plan.groups).toEqual([]);
    expect(plan.groupOf).toEqual({});
    expect(plan.terms.map((t) => [t.input, t.output])).toEqual([
      [[{ kind: 'static', size: 2 }], [{ kind: 'static', size: 4 }]],
      [[{ kind: 'static', size: 4 }], [{ kind: 'static', size: 3 }]],
      [[{ kind: 'static', size: 3 }], [{ kind: 'static', size: 2 }]],
    ]);
    expect(regularizerValue(spec, {}, T, 'flops')).toBe(0);
    expect(marginalCosts(spec, {}, T, 'size')).toEqual({});
    expect(aliveCounts(spec, {}, T)).toEqual({ a: 4, c: 3 });
  });

  it('scales from full widths: a 5, c 3 at 812 FLOPs under 900', () => {
    // F = 32·2·p + 32·p·q + 2·q·2, p = round(4ω), q = round(3ω): q = 4 from ω = 7/6 with p = 5
    // costs 976 > 900; p = 5, q = 3 (ω in [1.125, 7/6)) costs 812.
    expect(networkCost(spec).flops).toBe(652);
    const r = expandSpec(spec, {}, { target: 'flops', budget: 900 });
    expect(r.widths).toEqual({ a: 5, c: 3 });
    expect(r.cost.flops).toBe(812);
  });
});
