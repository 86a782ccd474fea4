import { describe, expect, it } from 'vitest';
import { inferShapes } from './shape.ts';
import { parseSpec, SpecError, validateSpec } from './spec.ts';

const base = (layers: unknown[], extra: Record<string, unknown> = {}) => ({
  name: 't',
  input: { height: 28, width: 28, channels: 1 },
  classes: 10,
  layers,
  ...extra,
});
const head = (from: string) => [
  { name: 'pool', type: 'gap', from },
  { name: 'logits', type: 'dense', from: 'pool', units: 10 },
];
const message = (value: unknown): string => {
  try {
    validateSpec(value, 'spec.json');
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return (e as Error).message;
  }
  throw new Error('expected a SpecError');
};

describe('validateSpec', () => {
  it('fills the defaults and infers shapes with same padding', () => {
    const spec = validateSpec(
      base([
        { name: 'c', type: 'conv', from: 'input', filters: 8, kernel: 3, stride: 2 },
        { name: 'p', type: 'maxpool', from: 'c', kernel: 2 },
        { name: 'd', type: 'depthwise', from: 'p', kernel: 3, multiplier: 2 },
        { name: 'sum', type: 'add', from: ['d', 'd'] },
        ...head('sum'),
      ]),
      's',
    );
    expect(spec.layers[0]).toEqual({
      name: 'c',
      type: 'conv',
      from: 'input',
      filters: 8,
      kernel: 3,
      stride: 2,
      bn: true,
      relu: true,
    });
    expect(spec.layers[1]).toMatchObject({ stride: 2 });
    expect(spec.layers[5]).toMatchObject({ relu: false });
    const shapes = inferShapes(spec);
    expect(shapes['c']).toEqual({ kind: 'map', height: 14, width: 14, channels: 8 });
    expect(shapes['p']).toEqual({ kind: 'map', height: 7, width: 7, channels: 8 });
    expect(shapes['d']).toEqual({ kind: 'map', height: 7, width: 7, channels: 16 });
    expect(shapes['pool']).toEqual({ kind: 'flat', units: 16 });
  });

  it('reports an add of unequal widths naming the layer and the field', () => {
    const m = message(
      base([
        { name: 'a', type: 'conv', from: 'input', filters: 16, kernel: 3 },
        { name: 'b', type: 'conv', from: 'input', filters: 32, kernel: 3 },
        { name: 's1b1/add', type: 'add', from: ['a', 'b'] },
        ...head('s1b1/add'),
      ]),
    );
    expect(m).toBe('spec.json: layer "s1b1/add": field "from": inputs have unequal widths (16, 32)');
  });

  it.each([
    [[{ name: 'x', type: 'pool', from: 'input' }], /layer "x": field "type": unknown type "pool"/],
    [[{ name: 'x', type: 'conv', from: 'input', kernel: 3 }], /layer "x": field "filters": missing$/],
    [
      [{ name: 'x', type: 'conv', from: 'input', filters: 0, kernel: 3 }],
      /field "filters": must be a positive integer, got 0/,
    ],
    [
      [{ name: 'x', type: 'conv', from: 'input', filters: 2.5, kernel: 3 }],
      /field "filters": must be a positive integer, got 2.5/,
    ],
    [
      [{ name: 'x', type: 'conv', from: 'input', filters: 4, kernel: '3' }],
      /field "kernel": must be a positive integer, got "3"/,
    ],
    [
      [{ name: 'x', type: 'conv', from: 'input', filters: 4, kernel: 3, bn: 'no' }],
      /field "bn": must be true or false/,
    ],
    [
      [{ name: 'x', type: 'conv', from: 'input', filters: 4, kernel: 3, strid: 2 }],
      /field "strid": unknown field/,
    ],
    [
      [{ name: 'x', type: 'conv', from: 'nope', filters: 4, kernel: 3 }],
      /layer "x": field "from": unknown layer "nope"/,
    ],
    [
      [
        { name: 'x', type: 'conv', from: 'y', filters: 4, kernel: 3 },
        { name: 'y', type: 'conv', from: 'x', filters: 4, kernel: 3 },
      ],
      /layer "x": field "from": names "y", which comes later.*cycles/,
    ],
    [
      [{ name: 'x', type: 'conv', from: 'x', filters: 4, kernel: 3 }],
      /field "from": names the layer itself: a cycle/,
    ],
    [
      [
        { name: 'x', type: 'conv', from: 'input', filters: 4, kernel: 3 },
        { name: 'x', type: 'gap', from: 'x' },
      ],
      /layer "x": field "name": duplicate name/,
    ],
    [[{ name: 'x', type: 'add', from: 'input' }], /field "from": a add layer takes an array/],
    [[{ type: 'gap', from: 'input' }], /layer #1: field "name": missing/],
    [
      [{ name: 'd', type: 'dense', from: 'input', units: 10 }],
      /layer "d": field "from": needs a flat input.*gap layer first/,
    ],
  ])('rejects %j', (layers, pattern) => {
    const m = message(
      base([...layers, ...head(((layers[layers.length - 1] ?? {}) as { name: string }).name)]),
    );
    expect(m).toMatch(pattern);
    expect(m.startsWith('spec.json: ')).toBe(true);
    expect(m).not.toContain('\n');
  });

  it('checks the logits and the top-level fields', () => {
    const c = { name: 'c', type: 'conv', from: 'input', filters: 4, kernel: 3 };
    expect(message(base([c]))).toBe(
      'spec.json: layer "c": field "type": the last layer gives the logits and must be dense, got "conv"',
    );
    expect(
      message(
        base([
          c,
          { name: 'pool', type: 'gap', from: 'c' },
          { name: 'l', type: 'dense', from: 'pool', units: 9 },
        ]),
      ),
    ).toMatch(/layer "l": field "units": .*must have 10 units \(classes\), got 9/);
    expect(message(base([c, ...head('c')], { classes: -1 }))).toBe(
      'spec.json: field "classes": must be a positive integer, got -1',
    );
    expect(message(base([c, ...head('c')], { input: { height: 28, width: 28 } }))).toBe(
      'spec.json: field "input.channels": missing',
    );
    expect(message([])).toBe('spec.json: must be a JSON object');
  });
});

describe('parseSpec', () => {
  it('reports bad JSON with its position', () => {
    expect(() => parseSpec('{\n  "name": "x",\n  oops\n}', 'my.json')).toThrow(
      /^my\.json: not valid JSON: .*line 3, column 3/,
    );
  });
  it('refuses a file over 1 MB', () => {
    expect(() => parseSpec(' '.repeat(1024 * 1024 + 1), 'big.json')).toThrow(
      'big.json: file is 1048577 bytes, over the 1 MB limit',
    );
  });
});

describe('formatSpec', () => {
  it('writes one layer per line and parses back to the same spec', async () => {
    const { formatSpec } = await import('./spec.ts');
    const spec = validateSpec(
      base([{ name: 'c', type: 'conv', from: 'input', filters: 4, kernel: 3 }, ...head('c')]),
      's',
    );
    const text = formatSpec(spec);
    expect(text.split('\n')[5]).toBe(
      '    {"name":"c","type":"conv","from":"input","filters":4,"kernel":3,"stride":1,"bn":true,"relu":true},',
    );
    expect(parseSpec(text, 'x')).toEqual(spec);
  });
});
