import { describe, expect, it } from 'vitest';
import { seedSpec, withInput } from '../../src/morphnet/seeds.ts';
import { renderResults, type ResultsInput } from './render.ts';
import { parseTrainRun, ResultsInputError, type TrainRun } from './runs.ts';

const spec = withInput(seedSpec('resnet-mini'), { height: 28, width: 28, channels: 1 }, 10);

function run(target: 'flops' | 'size', alive: Record<string, number>, accuracy: number): TrainRun {
  return parseTrainRun(
    {
      command: 'train',
      settings: {
        spec: 'resnet-mini',
        dataset: 'mnist',
        target,
        strength: 5,
        threshold: 0.01,
        lr: 0.05,
        batch: 32,
        seed: 1,
        steps: 300,
        backend: 'wasm',
      },
      spec,
      seed: { flops: 1000, params: 100 },
      final: {
        step: 300,
        alive,
        flops: 400,
        params: 60,
        testAccuracy: accuracy,
        testExamples: 10000,
        seconds: 120,
      },
    },
    `${target}/run.json`,
  );
}

const input = (flops: TrainRun, size: TrainRun): ResultsInput => ({
  flops,
  size,
  sweep: null,
  commands: {
    train: ['npx morphnet train a', 'npx morphnet train b'],
    sweep: null,
    report: 'npm run results',
  },
  date: '2026-11-23',
  device: 'test CPU',
});

describe('renderResults', () => {
  it('reports the runs and judges the pattern from them', () => {
    const doc = renderResults(
      input(run('flops', { stem: 4, 's1b1/conv1': 4 }, 0.93), run('size', { 's3b1/conv1': 16 }, 0.885)),
    );
    expect(doc).toContain('| target FLOPs | 40.0% | 60.0% | 93.0% | 300 | 120 s |');
    expect(doc).toContain('| stem | 28×28 | 16 | 4 (25.0%) | 16 (100.0%) |');
    expect(doc).toContain('Targeting FLOPs thins the early layers more than the late ones: holds.');
    expect(doc).toContain("The paper's pattern shows in this pair of runs.");
    expect(doc).toContain('npx morphnet train a');
  });

  it('says plainly when the pattern does not show', () => {
    const doc = renderResults(input(run('flops', { 's3b1/conv1': 8 }, 0.9), run('size', { stem: 8 }, 0.9)));
    expect(doc).toContain(
      'Targeting FLOPs thins the early layers more than the late ones: **does not hold**.',
    );
    expect(doc).toContain("The paper's pattern shows only in part here");
  });
});

describe('parseTrainRun', () => {
  it('names the file and field that is wrong', () => {
    expect(() => parseTrainRun({ command: 'train', settings: {} }, 'x/run.json')).toThrow(
      new ResultsInputError('x/run.json: settings.target: expected a string'),
    );
    expect(() => parseTrainRun({ command: 'cost' }, 'y.json')).toThrow(
      'y.json: not a run.json written by morphnet train',
    );
  });
});
