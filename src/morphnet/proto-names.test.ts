// Layer names that are Object.prototype keys are ordinary names: every result must be the one the
// same network gets with plain names (issue 9). A plain `{}` record reads `constructor` as a
// function and swallows a write to `__proto__`, so each function is run on both and compared.
import { describe, expect, it } from 'vitest';
import { aliveCounts } from './alive.ts';
import { networkCost } from './cost.ts';
import { expandSpec } from './expand.ts';
import { networkLatency } from './latency.ts';
import { buildPlan } from './plan.ts';
import { marginalCosts } from './regularizer.ts';
import { pruneByMagnitude, uniformSpec, seedWidths } from './baselines.ts';
import { inferShapes } from './shape.ts';
import { parseSpec, validateSpec } from './spec.ts';
import { exportStructure, importStructure } from './structure.ts';
import type { NetworkSpec } from './types.ts';

const KEYS = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  '__defineGetter__',
];
const PLAIN = KEYS.map((_, i) => `layer${i}`);

/** A residual block, a depthwise layer tied to it (§4), a gap and the logits: seven named layers. */
function specWith(n: readonly string[]): NetworkSpec {
  const [stem, c1, c2, add, dw, pool, logits] = n as [string, string, string, string, string, string, string];
  return validateSpec(
    {
      name: 'proto-names',
      input: { height: 8, width: 8, channels: 1 },
      classes: 4,
      layers: [
        { name: stem, type: 'conv', from: 'input', filters: 8, kernel: 3 },
        { name: c1, type: 'conv', from: stem, filters: 4, kernel: 3 },
        { name: c2, type: 'conv', from: c1, filters: 8, kernel: 3, relu: false },
        { name: add, type: 'add', from: [stem, c2] },
        { name: dw, type: 'depthwise', from: add, kernel: 3 },
        { name: pool, type: 'gap', from: dw },
        { name: logits, type: 'dense', from: pool, units: 4 },
      ],
    },
    'test',
  );
}

/** Each rotation puts every key in every slot once. */
const rotations = KEYS.map((_, r) => KEYS.map((__, i) => KEYS[(i + r) % KEYS.length] as string));

/** A caller's record as callers build it: Object.fromEntries (own keys, Object.prototype behind). */
const plainRecord = <T,>(names: readonly string[], values: readonly T[]) =>
  Object.fromEntries(names.map((n, i) => [n, values[i] as T]));

describe('layer names that are Object.prototype keys', () => {
  const plain = specWith(PLAIN);
  const rename = (names: readonly string[]) => {
    const to = new Map(PLAIN.map((p, i) => [p, names[i] as string]));
    return (x: unknown): unknown =>
      JSON.parse(JSON.stringify(x), function (this: unknown, _k, v: unknown) {
        return typeof v === 'string' ? (to.get(v) ?? v) : v;
      });
  };
  /** Entries keep the key order and survive `__proto__`, which a JSON reviver would not. */
  const entries = (rec: Record<string, unknown>, map?: (s: string) => string) =>
    Object.entries(rec).map(([k, v]) => [map === undefined ? k : map(k), v]);

  it('the plain-named network costs what it should (so equality below means right, not equally wrong)', () => {
    const c = networkCost(plain);
    expect(c.layers.map((l) => [l.name, l.flops, l.params])).toEqual([
      ['layer0', 9216, 72],
      ['layer1', 36864, 288],
      ['layer2', 36864, 288],
      ['layer4', 9216, 72],
      ['layer6', 64, 32],
    ]);
    expect([c.flops, c.params]).toEqual([92224, 752]);
  });

  it.each(rotations.map((names) => [names.join(' '), names]))('%s', (_, names) => {
    const spec = specWith(names);
    const byPlain = new Map(PLAIN.map((p, i) => [p, names[i] as string]));
    const map = (s: string) => byPlain.get(s) ?? s;
    const rn = rename(names);

    // Shapes and the plan: same groups, terms, widths and groupOf.
    expect(entries(inferShapes(spec))).toEqual(entries(inferShapes(plain), map));
    const plan = buildPlan(spec);
    const plainPlan = buildPlan(plain);
    expect(plan.groups).toEqual(rn(plainPlan.groups));
    expect(plan.terms).toEqual(rn(plainPlan.terms));
    expect(entries(plan.widths)).toEqual(entries(plainPlan.widths, map));
    expect(entries(plan.groupOf)).toEqual(entries(plainPlan.groupOf, map));
    expect(plan.ops).toEqual(rn(plainPlan.ops));

    // Costs, full and with alive counts handed in as a caller's plain object.
    expect(networkCost(spec)).toEqual(rn(networkCost(plain)));
    const counts = [5, 3, 2, 4];
    const convs = [0, 1, 2, 4];
    const alive = plainRecord(
      convs.map((i) => names[i] as string),
      counts,
    );
    const plainAlive = plainRecord(
      convs.map((i) => PLAIN[i] as string),
      counts,
    );
    const cost = networkCost(spec, alive);
    expect(cost).toEqual(rn(networkCost(plain, plainAlive)));
    // The group (stem, c2, dw) has max(5, 2, 4) = 5 alive, c1 has 3.
    expect([cost.flops, cost.params]).toEqual([5760 + 17280 + 17280 + 5760 + 40, 45 + 135 + 135 + 45 + 20]);

    // Alive counts from |γ| (stem, c2 and dw are one group; c1 its own).
    const g8 = [0.9, 0, 0.5, 0, 0, 0.2, 0, 0];
    const gammaValues = [g8, [1, 1, 0, 0], g8.map((x) => x / 2), g8];
    const bnLayers = [0, 1, 2, 4];
    const gammas = plainRecord(
      bnLayers.map((i) => names[i] as string),
      gammaValues,
    );
    const plainGammas = plainRecord(
      bnLayers.map((i) => PLAIN[i] as string),
      gammaValues,
    );
    const found = aliveCounts(spec, gammas, 0.1);
    expect(entries(found)).toEqual(entries(aliveCounts(plain, plainGammas, 0.1), map));
    expect(entries(found)).toEqual(bnLayers.map((i, k) => [names[i], [3, 2, 3, 3][k]]));
    expect(entries(marginalCosts(spec, gammas, 0.1, 'flops'))).toEqual(
      entries(marginalCosts(plain, plainGammas, 0.1, 'flops'), map),
    );
    // Latency per layer, its regularizer's gradient and expansion (a P4-like device, batch 2).
    const lat = { hardware: { name: 'custom', peakGflops: 5500, bandwidthGbs: 192 }, batch: 2 };
    const latency = networkLatency(spec, alive, lat);
    expect(latency).toEqual(rn(networkLatency(plain, plainAlive, lat)));
    expect(latency.layers.map((l) => l.name)).toEqual([0, 1, 2, 3, 4, 6].map((i) => names[i]));
    expect(entries(marginalCosts(spec, gammas, 0.1, 'latency', lat))).toEqual(
      entries(marginalCosts(plain, plainGammas, 0.1, 'latency', lat), map),
    );
    const exLat = expandSpec(spec, alive, { target: 'latency', latency: lat });
    expect(exLat.spec).toEqual(rn(expandSpec(plain, plainAlive, { target: 'latency', latency: lat }).spec));

    // Expansion and the baselines.
    const ex = expandSpec(spec, alive, { target: 'flops' });
    const plainEx = expandSpec(plain, plainAlive, { target: 'flops' });
    expect([ex.omega, ex.cost]).toEqual([plainEx.omega, plainEx.cost]);
    expect(ex.spec).toEqual(rn(plainEx.spec));
    expect(entries(ex.widths)).toEqual(entries(plainEx.widths, map));
    expect(entries(seedWidths(spec, ex.spec))).toEqual(entries(seedWidths(plain, plainEx.spec), map));
    expect(uniformSpec(spec, 0.5)).toEqual(rn(uniformSpec(plain, 0.5)));
    const norms = [
      [1, 2, 3, 4, 5, 6, 7, 8],
      [4, 3, 2, 1],
      [8, 7, 6, 5, 4, 3, 2, 1],
    ];
    const pruned = pruneByMagnitude(spec, plainRecord([names[0], names[1], names[2]] as string[], norms), 0.5);
    const plainPruned = pruneByMagnitude(plain, plainRecord(['layer0', 'layer1', 'layer2'], norms), 0.5);
    expect(pruned.spec).toEqual(rn(plainPruned.spec));
    expect(entries(pruned.alive)).toEqual(entries(plainPruned.alive, map));
    expect(entries(pruned.kept)).toEqual(entries(plainPruned.kept, map));

    // The structure file round-trips with its counts; the text is the plain one's, renamed.
    const text = exportStructure(spec, alive);
    expect(entries(importStructure(text, spec)).sort()).toEqual(entries(alive).sort());
    const opKey = (i: number) => `${names[i]}/${i === 4 ? 'depthwise' : 'Conv2D'}`;
    expect(JSON.parse(text)).toEqual(Object.fromEntries(convs.map((i, k) => [opKey(i), counts[k]])));
  });

  it('parses a spec file whose layers and layer types are such keys', () => {
    const text = JSON.stringify({ name: 'p', input: { height: 4, width: 4, channels: 1 }, classes: 2, layers: [
      { name: 'constructor', type: 'gap', from: 'input' },
      { name: '__proto__', type: 'dense', from: 'constructor', units: 2 },
    ] });
    expect(parseSpec(text, 'p.json').layers.map((l) => l.name)).toEqual(['constructor', '__proto__']);
    expect(() =>
      parseSpec(text.replace('"gap"', '"constructor"'), 'p.json'),
    ).toThrow('p.json: layer "constructor": field "type": unknown type "constructor" (one of conv, depthwise, add, concat, maxpool, gap, dense)');
  });
});
