import { describe, expect, it } from 'vitest';
import { buildPlan } from './plan.ts';
import { validateSpec } from './spec.ts';
import { residualStage, workedExample } from './testing/fixtures.ts';

const spec = (layers: unknown[], channels = 3) =>
  validateSpec({ name: 't', input: { height: 8, width: 8, channels }, classes: 2, layers }, 't');
const head = (from: string) => [
  { name: 'pool', type: 'gap', from },
  { name: 'logits', type: 'dense', from: 'pool', units: 2 },
];

describe('buildPlan (MORPHNET.md §2, §4)', () => {
  it('gives the worked example its coefficients and segments', () => {
    const plan = buildPlan(workedExample);
    expect(plan.terms.map((t) => [t.layer, t.kind, t.flopCoef, t.sizeCoef])).toEqual([
      ['conv1', 'conv', 18_432, 9],
      ['conv2', 'conv', 4_608, 9],
      ['logits', 'dense', 2, 1],
    ]);
    expect(plan.terms[0]?.input).toEqual([{ kind: 'static', size: 3 }]);
    expect(plan.terms[2]?.output).toEqual([{ kind: 'static', size: 10 }]);
    expect(plan.groups).toEqual([
      { id: 0, members: ['conv1'], size: 16, pinned: false },
      { id: 1, members: ['conv2'], size: 32, pinned: false },
    ]);
  });

  it("ties a residual stage: the stem and each block's last conv form one group", () => {
    const plan = buildPlan(residualStage);
    expect(plan.groups.map((g) => g.members)).toEqual([
      ['stem', 'b1/conv2', 'b2/conv2'],
      ['b1/conv1'],
      ['b2/conv1'],
    ]);
    expect(plan.groupOf).toEqual({ stem: 0, 'b1/conv1': 1, 'b1/conv2': 0, 'b2/conv1': 2, 'b2/conv2': 0 });
    // b2/conv1 reads the first add's output: the trunk group.
    expect(plan.terms.find((t) => t.layer === 'b2/conv1')?.input).toEqual([
      { kind: 'group', group: 0, size: 8 },
    ]);
  });

  it('lays concatenated segments end to end and passes them through maxpool', () => {
    const plan = buildPlan(
      spec([
        { name: 'a', type: 'conv', from: 'input', filters: 4, kernel: 1 },
        { name: 'p', type: 'maxpool', from: 'input', kernel: 3, stride: 1 },
        { name: 'b', type: 'conv', from: 'p', filters: 6, kernel: 1 },
        { name: 'cat', type: 'concat', from: ['a', 'b', 'p'] },
        { name: 'c', type: 'conv', from: 'cat', filters: 5, kernel: 3, stride: 2 },
        ...head('c'),
      ]),
    );
    const c = plan.terms.find((t) => t.layer === 'c');
    expect(c?.input).toEqual([
      { kind: 'group', group: 0, size: 4 },
      { kind: 'group', group: 1, size: 6 },
      { kind: 'static', size: 3 },
    ]);
    expect(c?.flopCoef).toBe(2 * 4 * 4 * 9);
  });

  it('ties a depthwise to its input channel by channel: pinned on the image, a slice with multiplier 2', () => {
    const plan = buildPlan(
      spec([
        { name: 'dw0', type: 'depthwise', from: 'input', kernel: 3 },
        { name: 'pw', type: 'conv', from: 'dw0', filters: 4, kernel: 1 },
        { name: 'dw1', type: 'depthwise', from: 'pw', kernel: 3 },
        { name: 'dw2', type: 'depthwise', from: 'dw1', kernel: 3, multiplier: 2 },
        { name: 'raw', type: 'conv', from: 'dw2', filters: 8, kernel: 1, bn: false },
        ...head('raw'),
      ]),
    );
    // dw2's output channels 2i, 2i+1 follow pw's channel i: one group, dw2 a strided member.
    expect(plan.groups).toEqual([
      { id: 0, members: ['dw0'], size: 3, pinned: true },
      {
        id: 1,
        members: ['pw', 'dw1', 'dw2'],
        slices: [
          { offset: 0, multiplier: 1 },
          { offset: 0, multiplier: 1 },
          { offset: 0, multiplier: 2 },
        ],
        size: 4,
        pinned: false,
      },
    ]);
    const dw2 = plan.terms.find((t) => t.layer === 'dw2');
    expect(dw2?.kind).toBe('depthwise');
    expect(dw2?.input).toEqual([{ kind: 'group', group: 1, size: 4 }]);
    expect(dw2?.output).toEqual([
      { kind: 'group', group: 1, size: 4 },
      { kind: 'group', group: 1, size: 4 },
    ]);
    expect(plan.terms.find((t) => t.layer === 'dw0')?.output).toEqual([{ kind: 'static', size: 3 }]);
    expect(plan.terms.find((t) => t.layer === 'raw')?.output).toEqual([{ kind: 'static', size: 8 }]);
    expect(plan.widths).toEqual({ dw0: 3, pw: 4, dw1: 4, dw2: 8, raw: 8 });
    expect(plan.groupOf).toEqual({ dw0: 0, pw: 1, dw1: 1, dw2: 1 });
  });

  it('cuts a depthwise reading a concat along its inputs, each piece in its tower', () => {
    const plan = buildPlan(
      spec([
        { name: 'a', type: 'conv', from: 'input', filters: 2, kernel: 1 },
        { name: 'd', type: 'depthwise', from: 'a', kernel: 3, multiplier: 3 },
        { name: 'b', type: 'conv', from: 'input', filters: 4, kernel: 1, bn: false },
        { name: 'cat', type: 'concat', from: ['d', 'b'] },
        { name: 'dw', type: 'depthwise', from: 'cat', kernel: 3, multiplier: 2 },
        ...head('dw'),
      ]),
    );
    // cat = d's 6 channels (each of a's repeated 3 times) then b's 4; dw doubles each: a's
    // channel i feeds dw channels 6i … 6i+5, b (no batch norm) pins dw's channels 12 … 19.
    expect(plan.groups).toEqual([
      {
        id: 0,
        members: ['a', 'd', 'dw'],
        slices: [
          { offset: 0, multiplier: 1 },
          { offset: 0, multiplier: 3 },
          { offset: 0, multiplier: 6 },
        ],
        size: 2,
        pinned: false,
      },
      { id: 1, members: ['dw'], slices: [{ offset: 12, multiplier: 2 }], size: 4, pinned: true },
    ]);
    expect(plan.terms.find((t) => t.layer === 'dw')?.output).toEqual([
      ...Array.from({ length: 6 }, () => ({ kind: 'group', group: 0, size: 2 })),
      { kind: 'static', size: 8 },
    ]);
    expect(plan.groupOf).toEqual({ a: 0, d: 0, dw: 0 });
  });

  it('keeps the seed widths of an add of a multiplier-2 depthwise and a conv (repeated differently)', () => {
    const plan = buildPlan(
      spec([
        { name: 'pw', type: 'conv', from: 'input', filters: 4, kernel: 1 },
        { name: 'dw', type: 'depthwise', from: 'pw', kernel: 3, multiplier: 2 },
        { name: 'c', type: 'conv', from: 'input', filters: 8, kernel: 1 },
        { name: 'sum', type: 'add', from: ['dw', 'c'] },
        ...head('sum'),
      ]),
    );
    expect(plan.groups.map((g) => [g.members, g.pinned])).toEqual([
      [['pw', 'dw'], true],
      [['c'], true],
    ]);
    expect(plan.terms.find((t) => t.layer === 'dw')?.output).toEqual([{ kind: 'static', size: 8 }]);
  });

  it('pins a group tied by an add to a conv without batch norm', () => {
    const plan = buildPlan(
      spec([
        { name: 'a', type: 'conv', from: 'input', filters: 4, kernel: 3 },
        { name: 'b', type: 'conv', from: 'input', filters: 4, kernel: 3, bn: false },
        { name: 'sum', type: 'add', from: ['a', 'b'] },
        ...head('sum'),
      ]),
    );
    expect(plan.groups).toEqual([{ id: 0, members: ['a'], size: 4, pinned: true }]);
    expect(plan.terms.find((t) => t.layer === 'a')?.output).toEqual([{ kind: 'static', size: 4 }]);
  });
});
