// Paths the first mutation run (docs/MUTATION.md) found no test entering, each pinned by a number
// worked out by hand. 4×4 maps throughout, same padding: a 1×1 conv has C = 2·16 = 32 FLOPs, a
// 3×3 depthwise C = 2·16·9 = 288, the dense head C = 2.
import { describe, expect, it } from 'vitest';
import { groupAliveFromCounts, targetCost, termCoef } from './cost.ts';
import { ExpandError, expandSpec } from './expand.ts';
import { buildPlan, traceChannels } from './plan.ts';
import { regularizerValue } from './regularizer.ts';
import { MAX_SPEC_BYTES, validateSpec } from './spec.ts';
import { StructureError, importStructure } from './structure.ts';
import type { Flops, Params } from './types.ts';

const net = (name: string, layers: unknown[]) =>
  validateSpec({ name, input: { height: 4, width: 4, channels: 2 }, classes: 2, layers }, name);
const head = (from: string) => [
  { name: 'pool', type: 'gap', from },
  { name: 'logits', type: 'dense', from: 'pool', units: 2 },
];
// One conv of 4 from the image: F = 32·2·w + 2·w·2 = 68·w, the seed (w = 4) 272.
const single = net('single', [
  { name: 'a', type: 'conv', from: 'input', filters: 4, kernel: 1 },
  ...head('a'),
]);

function caught(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('expansion at the edges', () => {
  it('keeps ω = 1 when the only group is dead but feeds the logits (nothing can scale)', () => {
    const r = expandSpec(single, { a: 0 }, { target: 'flops' });
    expect(r.omega).toBe(1);
    expect(r.widths).toEqual({ a: 1 });
    expect(r.cost.flops).toBe(68);
    expect(r.limit).toBeNull();
  });

  it('reports FLOPs and parameters only when no latency device is given (no latencyNs key at all)', () => {
    const r = expandSpec(single, { a: 4 }, { target: 'flops', budget: 272 });
    expect(Object.keys(r.cost).sort()).toEqual(['flops', 'params']);
  });

  it('accepts a budget equal to the smallest network (68) and refuses one below it', () => {
    const r = expandSpec(single, { a: 4 }, { target: 'flops', budget: 68 });
    expect(r.widths).toEqual({ a: 1 });
    expect(r.cost.flops).toBe(68);
    // round(4ω) ≤ 1 while ω < 0.375.
    expect(r.omega).toBeCloseTo(0.375, 9);
    expect(r.omega).toBeLessThan(0.375);
    const e = caught(() => expandSpec(single, { a: 4 }, { target: 'flops', budget: 67 }));
    expect(e).toBeInstanceOf(ExpandError);
    expect(e.name).toBe('ExpandError');
    expect(e.message).toBe(
      'the budget 67 is below the cost of the smallest network at these alive counts (68)',
    );
  });

  it('scales a group that holds a conv and a depthwise: F = 356·w, ω → 2.25 at the seed budget 1,424', () => {
    const spec = net('pw-dw', [
      { name: 'pw', type: 'conv', from: 'input', filters: 4, kernel: 1 },
      { name: 'dw', type: 'depthwise', from: 'pw', kernel: 3 },
      ...head('dw'),
    ]);
    const r = expandSpec(spec, { pw: 2 }, { target: 'flops' });
    expect(r.widths).toEqual({ pw: 4, dw: 4 });
    expect(r.cost.flops).toBe(1424);
    expect(r.omega).toBeCloseTo(2.25, 9);
  });

  it('removes a dead second tower under a depthwise that reads the concat: w = 3, F = 356·3 + 32·9 = 1,356', () => {
    const spec = net('dead-tower', [
      { name: 'a', type: 'conv', from: 'input', filters: 2, kernel: 1 },
      { name: 'b', type: 'conv', from: 'input', filters: 2, kernel: 1 },
      { name: 'cat', type: 'concat', from: ['a', 'b'] },
      { name: 'dw', type: 'depthwise', from: 'cat', kernel: 3 },
      { name: 'out', type: 'conv', from: 'dw', filters: 2, kernel: 1 },
      ...head('out'),
    ]);
    // Seed: 128 + 128 + 288·4 + 32·4·2 + 2·2·2 = 1,672. Without b, with w = round(2ω) for a, dw
    // and out: 64w + 288w + 32w² + 4w; w = 3 gives 1,356, w = 4 gives 1,936.
    const r = expandSpec(spec, { a: 2, b: 0 }, { target: 'flops' });
    expect(r.widths).toEqual({ a: 3, b: 0, dw: 3, out: 3 });
    expect(r.cost.flops).toBe(1356);
    expect(r.omega).toBeCloseTo(1.75, 9);
    expect(r.spec.layers.map((l) => l.name)).toEqual(['a', 'dw', 'out', 'pool', 'logits']);
  });

  it('keeps a conv tied to the image at its seed width: 128 + 68·w ≤ 400, w = 4', () => {
    const spec = net('tied', [
      { name: 'c', type: 'conv', from: 'input', filters: 2, kernel: 1 },
      { name: 's', type: 'add', from: ['input', 'c'] },
      { name: 'x', type: 'conv', from: 's', filters: 4, kernel: 1 },
      ...head('x'),
    ]);
    const r = expandSpec(spec, { x: 2 }, { target: 'flops' });
    expect(r.widths).toEqual({ c: 2, x: 4 });
    expect(r.cost.flops).toBe(400);
    expect(r.omega).toBeCloseTo(2.25, 9);
  });
});

describe('plans with a pinned group or a depthwise without batch norm', () => {
  const pinned = net('pinned', [
    { name: 'a', type: 'conv', from: 'input', filters: 4, kernel: 1 },
    { name: 'b', type: 'conv', from: 'input', filters: 4, kernel: 1, bn: false },
    { name: 's', type: 'add', from: ['a', 'b'] },
    ...head('s'),
  ]);

  it('gives a bn:false conv no group, and a pinned group counts fully alive whatever its members say', () => {
    const plan = buildPlan(pinned);
    expect(plan.groups).toEqual([{ id: 0, members: ['a'], size: 4, pinned: true }]);
    expect({ ...plan.groupOf }).toEqual({ a: 0 });
    expect(groupAliveFromCounts(plan, { a: 1 })).toEqual([4]);
  });

  it('leaves a bn:false depthwise out of its input group', () => {
    const spec = net('dw-nobn', [
      { name: 'pw', type: 'conv', from: 'input', filters: 4, kernel: 1 },
      { name: 'dw', type: 'depthwise', from: 'pw', kernel: 3, bn: false },
      ...head('dw'),
    ]);
    const plan = buildPlan(spec);
    expect(plan.groups).toEqual([{ id: 0, members: ['pw'], size: 4, pinned: false }]);
    expect({ ...plan.groupOf }).toEqual({ pw: 0 });
    expect({ ...plan.widths }).toEqual({ pw: 4, dw: 4 });
  });
});

describe('an add whose inputs are split into segments differently', () => {
  // A = a(11) ++ xd(11 = 1 channel × multiplier 11) ++ c(2); B = yd(11 = 1 × 11) ++ z(1) ++ w(12).
  // Both hold 24 channels, and their segment lists (size×repeat) print alike without separators
  // ("11x111x112x1"), but channel i of A is not channel i of B's segment i: every owner is fixed.
  it('fixes every owner instead of tying the segments pairwise', () => {
    const spec = net('segments', [
      { name: 'a', type: 'conv', from: 'input', filters: 11, kernel: 1 },
      { name: 'x', type: 'conv', from: 'input', filters: 1, kernel: 1 },
      { name: 'xd', type: 'depthwise', from: 'x', kernel: 1, multiplier: 11 },
      { name: 'c', type: 'conv', from: 'input', filters: 2, kernel: 1 },
      { name: 'A', type: 'concat', from: ['a', 'xd', 'c'] },
      { name: 'y', type: 'conv', from: 'input', filters: 1, kernel: 1 },
      { name: 'yd', type: 'depthwise', from: 'y', kernel: 1, multiplier: 11 },
      { name: 'z', type: 'conv', from: 'input', filters: 1, kernel: 1 },
      { name: 'w', type: 'conv', from: 'input', filters: 12, kernel: 1 },
      { name: 'B', type: 'concat', from: ['yd', 'z', 'w'] },
      { name: 's', type: 'add', from: ['A', 'B'] },
      ...head('s'),
    ]);
    const piece = [
      { offset: 0, multiplier: 1 },
      { offset: 0, multiplier: 11 },
    ];
    expect(buildPlan(spec).groups).toEqual([
      { id: 0, members: ['a'], size: 11, pinned: true },
      { id: 1, members: ['x', 'xd'], slices: piece, size: 1, pinned: true },
      { id: 2, members: ['c'], size: 2, pinned: true },
      { id: 3, members: ['y', 'yd'], slices: piece, size: 1, pinned: true },
      { id: 4, members: ['z'], size: 1, pinned: true },
      { id: 5, members: ['w'], size: 12, pinned: true },
    ]);
    expect(traceChannels(spec).components.map((c) => [c.mode, c.layers])).toEqual([
      ['fixed', ['a']],
      ['fixed', ['x', 'xd']],
      ['fixed', ['c']],
      ['fixed', ['y', 'yd']],
      ['fixed', ['z']],
      ['fixed', ['w']],
    ]);
  });
});

describe('the regularizer refuses missing or mis-sized |γ|', () => {
  it('names the layer and the expected length', () => {
    expect(() => regularizerValue(single, {}, 0.0625, 'flops')).toThrow(
      new Error('regularizer: no |γ| for layer "a"'),
    );
    expect(() => regularizerValue(single, { a: [1, 1, 1] }, 0.0625, 'flops')).toThrow(
      new Error('regularizer: layer "a" has 3 |γ| values, expected 4'),
    );
  });
});

describe('structure files that are not one', () => {
  it('says what is wrong, in one line, naming the file as "structure" by default', () => {
    let parse = '';
    try {
      JSON.parse('{"a/Conv2D": ');
    } catch (e) {
      parse = (e as Error).message.split('\n')[0] as string;
    }
    expect(parse.length).toBeGreaterThan(1);
    const bad = caught(() => importStructure('{"a/Conv2D": ', single));
    expect(bad).toBeInstanceOf(StructureError);
    expect(bad.name).toBe('StructureError');
    expect(bad.message).toBe(`structure: not valid JSON: ${parse}`);
    expect(() => importStructure('null', single)).toThrow(
      'structure: must be a JSON object from "<layer>/Conv2D" to an alive count',
    );
    expect(() => importStructure(' '.repeat(MAX_SPEC_BYTES + 1), single, 'big.json')).toThrow(
      'big.json: file is over the 1 MB limit',
    );
    expect(caught(() => importStructure(' '.repeat(MAX_SPEC_BYTES + 1), single)).message).toBe(
      'structure: file is over the 1 MB limit',
    );
    // Exactly at the limit is read (and is then only whitespace: not valid JSON).
    expect(caught(() => importStructure(' '.repeat(MAX_SPEC_BYTES), single)).message).toMatch(
      /^structure: not valid JSON: /,
    );
  });
});

describe('the latency target where a FLOPs or size path is asked for', () => {
  const term = buildPlan(single).terms[0]!;
  it('has no per-term coefficient: termCoef refuses it by name', () => {
    expect(termCoef(term, 'flops')).toBe(term.flopCoef);
    expect(termCoef(term, 'size')).toBe(term.sizeCoef);
    expect(caught(() => termCoef(term, 'latency')).message).toBe(
      'termCoef: the latency target prices ops, not terms',
    );
  });
  it('needs a cost computed with a device: targetCost refuses one without latencyNs', () => {
    const cost = { flops: 1 as Flops, params: 2 as Params };
    expect(targetCost({ ...cost, latencyNs: 3 }, 'latency')).toBe(3);
    expect(caught(() => targetCost(cost, 'latency')).message).toBe(
      'targetCost: latency asked of a cost computed without LatencySettings',
    );
  });
});
