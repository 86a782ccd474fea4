import { describe, expect, it } from 'vitest';
import { seedSpec } from './seeds.ts';
import { exportStructure, importStructure, StructureError } from './structure.ts';
import { MAX_SPEC_BYTES, validateSpec } from './spec.ts';
import { workedExample } from './testing/fixtures.ts';

describe('structure files (MORPHNET.md §6)', () => {
  it('writes the reference format: sorted keys, 2-space indent, convs only', () => {
    expect(exportStructure(workedExample, { conv2: 7, conv1: 13 })).toBe(
      '{\n  "conv1/Conv2D": 13,\n  "conv2/Conv2D": 7\n}',
    );
  });

  it('round-trips every seed, with depthwise layers under /depthwise', () => {
    const dw = validateSpec(
      {
        name: 'dw',
        input: { height: 8, width: 8, channels: 2 },
        classes: 2,
        layers: [
          { name: 'pw', type: 'conv', from: 'input', filters: 6, kernel: 1 },
          { name: 'dw', type: 'depthwise', from: 'pw', kernel: 3 },
          { name: 'pool', type: 'gap', from: 'dw' },
          { name: 'logits', type: 'dense', from: 'pool', units: 2 },
        ],
      },
      'dw',
    );
    expect(exportStructure(dw, { pw: 4, dw: 4 })).toBe('{\n  "dw/depthwise": 4,\n  "pw/Conv2D": 4\n}');
    const resnet = seedSpec('resnet-mini');
    const alive = { stem: 0, 's3b2/conv1': 64, 's2b1/proj': 17 };
    const text = exportStructure(resnet, alive);
    const back = importStructure(text, resnet, 'alive_300');
    expect(Object.keys(back)).toHaveLength(15);
    expect(back).toMatchObject({ stem: 0, 's3b2/conv1': 64, 's2b1/proj': 17, 's1b1/conv1': 16 });
    expect(exportStructure(resnet, back)).toBe(text);
  });

  it.each([
    [
      '{"nope/Conv2D": 1}',
      'alive_1: key "nope/Conv2D": spec "worked-example" has no such conv (keys are "<layer>/Conv2D" or "<layer>/depthwise")',
    ],
    [
      '{"conv1": 1}',
      'alive_1: key "conv1": spec "worked-example" has no such conv (keys are "<layer>/Conv2D" or "<layer>/depthwise")',
    ],
    ['{"conv1/Conv2D": 17}', 'alive_1: key "conv1/Conv2D": count must be an integer from 0 to 16, got 17'],
    ['{"conv1/Conv2D": 1.5}', 'alive_1: key "conv1/Conv2D": count must be an integer from 0 to 16, got 1.5'],
    ['{"conv2/Conv2D": -1}', 'alive_1: key "conv2/Conv2D": count must be an integer from 0 to 32, got -1'],
    ['[1]', 'alive_1: must be a JSON object from "<layer>/Conv2D" to an alive count'],
  ])('rejects %s in one line', (text, message) => {
    expect(() => importStructure(text, workedExample, 'alive_1')).toThrow(new StructureError(message));
  });

  it('reads {} as every layer fully alive, and refuses null like any other non-object', () => {
    expect(importStructure('{}', workedExample)).toEqual({});
    expect(exportStructure(workedExample, importStructure('{}', workedExample))).toBe(
      '{\n  "conv1/Conv2D": 16,\n  "conv2/Conv2D": 32\n}',
    );
    for (const text of ['null', '3', '"x"'])
      expect(() => importStructure(text, workedExample, 'alive_1')).toThrow(
        new StructureError('alive_1: must be a JSON object from "<layer>/Conv2D" to an alive count'),
      );
  });

  it('reads a file of exactly 1 MB and refuses one byte more', () => {
    const body = '{"conv1/Conv2D": 3}';
    const at = body + ' '.repeat(MAX_SPEC_BYTES - body.length);
    expect(at.length).toBe(1024 * 1024);
    expect(importStructure(at, workedExample)).toEqual({ conv1: 3 });
    expect(() => importStructure(`${at} `, workedExample, 'alive_1')).toThrow(
      new StructureError('alive_1: file is over the 1 MB limit'),
    );
  });

  it('rejects bad JSON naming the file', () => {
    expect(() => importStructure('{', workedExample, 'alive_1')).toThrow(/^alive_1: not valid JSON: /);
  });
});
