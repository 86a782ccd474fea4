import { describe, expect, it } from 'vitest';
import type { NetworkSpec } from '../../morphnet/types.ts';
import { inceptionSpec, resnetSpec } from '../test/fixtures.ts';
import { layoutStructure, type StructureLayout } from './structure.ts';

const size = { width: 360, height: 560 };
const byName = (l: StructureLayout, name: string) => {
  const r = l.rects.find((x) => x.name === name);
  if (!r) throw new Error(`no rect ${name}`);
  return r;
};
const convNames = (spec: NetworkSpec) =>
  spec.layers.filter((l) => l.type === 'conv' || l.type === 'depthwise').map((l) => l.name);

describe('layoutStructure on a resnet-like spec', () => {
  const alive = { 's1b1/conv1': 8, 's2b2/conv1': 0 };
  const l = layoutStructure(resnetSpec, { ...size, alive });

  it('draws one rectangle per conv layer, in topological order', () => {
    expect(l.rects.map((r) => r.name)).toEqual(convNames(resnetSpec));
  });

  it('gives a 16-channel layer with 8 alive half the width of its seed rect, centred on it', () => {
    const r = byName(l, 's1b1/conv1');
    expect(r.total).toBe(16);
    expect(r.width).toBeCloseTo(r.seedWidth / 2, 1);
    expect(r.x + r.width / 2).toBeCloseTo(r.seedX + r.seedWidth / 2, 1);
    // Full layers of the same width get the same rectangle as that layer's seed.
    expect(byName(l, 's1b1/conv2').width).toBeCloseTo(r.seedWidth, 1);
  });

  it('stacks the trunk bottom-up above the purple input bar', () => {
    const trunk = l.rects.filter((r) => r.role === 'trunk');
    expect(trunk.length).toBe(9);
    for (let i = 1; i < trunk.length; i++) {
      expect(trunk[i]!.y + trunk[i]!.height).toBeLessThan(trunk[i - 1]!.y);
    }
    expect(trunk[0]!.y + trunk[0]!.height).toBeLessThan(l.input.y);
    expect(l.input.label).toBe('input 28×28×1');
  });

  it('flags a layer with no alive channel as gone', () => {
    const gone = byName(l, 's2b2/conv1');
    expect(gone.gone).toBe(true);
    expect(gone.width).toBe(0);
    expect(gone.seedWidth).toBeGreaterThan(0);
    expect(l.rects.filter((r) => r.gone).map((r) => r.name)).toEqual(['s2b2/conv1']);
  });

  it('draws a skip path into every add and puts the projection conv on its skip path', () => {
    expect(l.joins.map((j) => j.name)).toEqual(['s1b1/add', 's1b2/add', 's2b1/add', 's2b2/add']);
    const skips = l.paths.filter((p) => p.kind === 'skip');
    expect(skips.map((p) => p.to)).toEqual(['s1b1/add', 's1b2/add', 's2b1/add', 's2b2/add']);
    const proj = byName(l, 's2b1/proj');
    expect(proj.role).toBe('shortcut');
    const projSkip = skips.find((p) => p.to === 's2b1/add')!;
    const side = proj.seedX + proj.seedWidth / 2;
    // The vertical segment of the skip runs through the box's centre.
    expect(projSkip.d).toContain(`Q${side},`);
    const join = l.joins.find((j) => j.name === 's2b1/add')!;
    expect(proj.y).toBeLessThan(byName(l, 's1b2/conv2').y);
    expect(proj.y).toBeGreaterThan(join.y);
  });

  it('marks the stage boundary where the resolution halves', () => {
    expect(l.stages.map((s) => s.resolution)).toEqual([28, 14]);
    const boundary = l.stages[1]!.y0;
    const below = l.joins.find((j) => j.name === 's1b2/add')!;
    const above = byName(l, 's2b1/conv1');
    expect(boundary).toBeLessThan(below.y);
    expect(boundary).toBeGreaterThan(above.y + above.height);
  });

  it('stays inside the drawing area', () => {
    for (const r of l.rects) {
      expect(r.seedX).toBeGreaterThanOrEqual(0);
      expect(r.seedX + r.seedWidth).toBeLessThanOrEqual(size.width);
      expect(r.y).toBeGreaterThanOrEqual(0);
    }
    expect(l.height).toBeLessThanOrEqual(size.height);
  });
});

describe('layoutStructure options', () => {
  it('draws the seed width faint behind an expanded layer and uses a shared scale', () => {
    const a = layoutStructure(resnetSpec, { ...size, maxChannels: 48, seedWidths: { 's2b1/conv1': 24 } });
    const b = layoutStructure(resnetSpec, { ...size, maxChannels: 48, alive: { stem: 4 } });
    expect(a.scale).toBeCloseTo(b.scale, 6);
    const r = byName(a, 's2b1/conv1');
    expect(r.seed).toBe(24);
    expect(r.seedWidth).toBeCloseTo(24 * a.scale, 1);
    expect(r.width).toBeCloseTo(32 * a.scale, 1);
  });

  it('places concat towers side by side between the stem and the concat', () => {
    const l = layoutStructure(inceptionSpec, size);
    const firsts = ['mix/b1', 'mix/b2a', 'mix/b3a', 'mix/b4'].map((n) => byName(l, n));
    expect(new Set(firsts.map((r) => r.y)).size).toBe(1);
    for (let i = 1; i < firsts.length; i++) {
      expect(firsts[i]!.seedX).toBeGreaterThan(firsts[i - 1]!.seedX + firsts[i - 1]!.seedWidth);
    }
    expect(byName(l, 'mix/b2b').y).toBeLessThan(byName(l, 'mix/b2a').y);
    const concat = l.joins.find((j) => j.kind === 'concat')!;
    expect(concat.y).toBeLessThan(byName(l, 'mix/b2b').y);
    expect(concat.y).toBeGreaterThan(byName(l, 'head').y);
    expect(l.paths.filter((p) => p.kind === 'edge').length).toBeGreaterThanOrEqual(8);
    expect(firsts.every((r) => r.role === 'tower')).toBe(true);
  });

  it('starts a new stage after a max pool, whose stride defaults to its kernel', () => {
    const spec: NetworkSpec = {
      name: 'plain',
      input: { height: 28, width: 28, channels: 1 },
      classes: 10,
      layers: [
        { type: 'conv', name: 'c1', from: 'input', filters: 16, kernel: 3 },
        { type: 'maxpool', name: 'p1', from: 'c1', kernel: 2 },
        { type: 'conv', name: 'c2', from: 'p1', filters: 32, kernel: 3 },
        { type: 'gap', name: 'gap', from: 'c2' },
        { type: 'dense', name: 'out', from: 'gap', units: 10 },
      ],
    };
    const l = layoutStructure(spec, size);
    expect(l.stages.map((s) => s.resolution)).toEqual([28, 14]);
    const [c1, c2] = [byName(l, 'c1'), byName(l, 'c2')];
    expect(l.stages[1]!.y0).toBeGreaterThan(c2.y + c2.height);
    expect(l.stages[1]!.y0).toBeLessThan(c1.y);
  });

  it('sizes a depthwise layer by its input channels times its multiplier', () => {
    const spec: NetworkSpec = {
      name: 'dw',
      input: { height: 8, width: 8, channels: 3 },
      classes: 2,
      layers: [
        { type: 'conv', name: 'c1', from: 'input', filters: 8, kernel: 3 },
        { type: 'depthwise', name: 'dw', from: 'c1', kernel: 3, multiplier: 2, stride: 2 },
        { type: 'gap', name: 'gap', from: 'dw' },
        { type: 'dense', name: 'out', from: 'gap', units: 2 },
      ],
    };
    const l = layoutStructure(spec, size);
    expect(byName(l, 'dw').total).toBe(16);
    expect(byName(l, 'dw').kind).toBe('depthwise');
    expect(l.stages.map((s) => s.resolution)).toEqual([8, 4]);
  });
});
