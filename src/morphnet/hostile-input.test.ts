// Inputs from outside the method (files, saved runs, a diverged run's weights) that are wrong in
// ways a careless or hostile user finds: each gets one line, nothing raw reaches a terminal.
import { describe, expect, it } from 'vitest';
import { pruneByMagnitude } from './baselines.ts';
import { expandSpec } from './expand.ts';
import { parseSpec } from './spec.ts';
import { importStructure } from './structure.ts';
import { workedExample } from './testing/fixtures.ts';

describe('hostile input', () => {
  it.each([
    ['an escape code in a key', '{"\\u001b[2J/Conv2D": 1}', 'alive: key "\\u001b[2J/Conv2D": spec "worked-example" has no such conv (keys are "<layer>/Conv2D" or "<layer>/depthwise")'],
    ['1e400 (Infinity)', '{"conv1/Conv2D": 1e400}', 'alive: key "conv1/Conv2D": count must be an integer from 0 to 16, got Infinity'],
    ['a count above the width', '{"conv2/Conv2D": 33}', 'alive: key "conv2/Conv2D": count must be an integer from 0 to 32, got 33'],
    ['a nested count', `{"conv1/Conv2D": ${'['.repeat(100000)}${']'.repeat(100000)}}`, 'alive: key "conv1/Conv2D": count must be an integer from 0 to 16, got a value nested too deeply to show'],
  ])('structure file with %s', (_, text, expected) => {
    expect(() => importStructure(text, workedExample, 'alive')).toThrow(expected);
  });

  it.each([
    [{ conv1: NaN }, 'the alive count of layer "conv1" must be an integer from 0 to 16, got NaN'],
    [{ conv1: -1 }, 'the alive count of layer "conv1" must be an integer from 0 to 16, got -1'],
    [{ conv2: 33 }, 'the alive count of layer "conv2" must be an integer from 0 to 32, got 33'],
    [{ conv2: 2.5 }, 'the alive count of layer "conv2" must be an integer from 0 to 32, got 2.5'],
    [{ logits: 3 }, 'the alive counts name "logits", which is no conv or depthwise layer of spec "worked-example"'],
    [{ 'x\u001b[31m': 3 }, 'the alive counts name "x\\u001b[31m", which is no conv or depthwise layer of spec "worked-example"'],
  ])('expandSpec refuses alive counts %j', (alive, expected) => {
    expect(() => expandSpec(workedExample, alive, { target: 'flops' })).toThrow(expected);
  });

  it.each([NaN, Infinity, -5, 0])('expandSpec refuses a budget of %s', (budget) => {
    expect(() => expandSpec(workedExample, { conv1: 4 }, { target: 'flops', budget })).toThrow(
      `the budget must be a positive number, got ${String(budget)}`,
    );
  });

  it('pruneByMagnitude refuses a NaN filter norm (its sort would order nothing)', () => {
    const norms = { conv1: new Float32Array(16).fill(1), conv2: Float32Array.from({ length: 32 }, (_, i) => (i === 7 ? NaN : i)) };
    expect(() => pruneByMagnitude(workedExample, norms, 0.5)).toThrow(
      'pruneByMagnitude: layer "conv2" has a non-finite filter norm (NaN) at 7',
    );
  });

  it('a spec value nested 100,000 deep is named, not a stack overflow', () => {
    const deep = `${'['.repeat(100000)}${']'.repeat(100000)}`;
    const text = `{"name":"t","input":{"height":8,"width":8,"channels":1},"classes":2,"layers":[{"name":"c","type":"conv","from":"input","filters":${deep},"kernel":3}]}`;
    expect(() => parseSpec(text, 'd.json')).toThrow(
      'd.json: layer "c": field "filters": must be a positive integer, got a value nested too deeply to show',
    );
  });
});
