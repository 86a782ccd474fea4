import { describe, expect, it } from 'vitest';
import { seedSpec, withInput } from '../../src/morphnet/seeds.ts';
import type { SweepFile } from '../../src/morphnet/sweep.ts';
import { renderReport, renderResults, seedSpread, type ResultsInput } from './render.ts';
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
  noise: [],
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

describe('the trade-off section', () => {
  const uni = (multiplier: number, flops: number, testAccuracy: number) => ({
    family: 'uniform',
    label: `×${multiplier}`,
    settings: { family: 'uniform', multiplier },
    flops,
    params: flops / 10,
    testAccuracy,
  });
  const sweep = (seed: number, points: object[]) =>
    ({
      format: 'morphnet-sweep',
      settings: {
        spec: 'resnet-mini',
        dataset: 'mnist',
        seed,
        steps: 300,
        batch: 32,
        finetune: 100,
        target: 'flops',
        backend: 'wasm',
      },
      seed: { flops: 400, params: 40 },
      testExamples: 10000,
      points,
      skipped: [],
      seconds: 60,
    }) as unknown as SweepFile;
  const main = sweep(1, [
    uni(0.5, 100, 0.8),
    uni(1, 400, 0.9),
    {
      family: 'morphnet',
      label: 'strength 5, budget 50%',
      settings: { family: 'morphnet' },
      flops: 200,
      params: 30,
      testAccuracy: 0.88,
    },
  ]);

  it('measures the seed-to-seed spread and weighs each win against it', () => {
    const noise = [sweep(2, [uni(1, 400, 0.86)])];
    expect(seedSpread(main, noise)).toEqual([
      { seed: 1, accuracy: 0.9 },
      { seed: 2, accuracy: 0.86 },
    ]);
    const doc = renderResults({
      ...input(run('flops', {}, 0.9), run('size', {}, 0.9)),
      sweep: main,
      noise,
      commands: { train: [], sweep: ['npx morphnet sweep x'], report: 'r' },
    });
    // +3 points over uniform at 200 FLOPs (0.85 interpolated in log FLOPs), but the seeds spread 4.
    expect(doc).toContain('| strength 5, budget 50% | 50.0% | 88.0% | +3.0 points | – |');
    expect(doc).toContain(
      'more accurate at 1 of 1 comparable points (mean difference +3.0 points; by more than the seed-to-seed spread at 0, behind by more than it at 0)',
    );
    expect(doc).toContain('scored 90.0%, 86.0%, a spread of 4.0 points');
    // The uniform family spans 10 points, 2.5× the spread: too little room to rank the families.
    expect(doc).toContain(
      'accuracy moves 10.0 points, 2.5× the seed spread: here most networks sit near the same ceiling',
    );
  });

  it('puts several datasets in one report: the verdicts side by side, then each in full', () => {
    const mnist: ResultsInput = {
      ...input(run('flops', { stem: 4, 's1b1/conv1': 4 }, 0.93), run('size', { 's3b1/conv1': 16 }, 0.885)),
      sweep: main,
      noise: [sweep(2, [uni(1, 400, 0.86)])],
    };
    const fashionRun = (t: 'flops' | 'size', alive: Record<string, number>, acc: number) => {
      const r = run(t, alive, acc);
      return { ...r, settings: { ...r.settings, dataset: 'fashion' } };
    };
    const fashion: ResultsInput = {
      ...input(fashionRun('flops', { 's3b1/conv1': 8 }, 0.8), fashionRun('size', { stem: 8 }, 0.78)),
    };
    const doc = renderReport([mnist, fashion]);
    expect(doc).toContain('## At a glance');
    expect(doc).toContain(
      '| MNIST | holds | 93.0% / 88.5% | +3.0 points (ahead at 1 of 1) | no comparable point | 4.0 points | 10.0 points |',
    );
    expect(doc).toContain('| Fashion-MNIST | 0 of 3 checks hold | 80.0% / 78.0% | – | – | – | – |');
    // Each dataset is a section, its headings one level deeper than in a one-dataset report.
    expect(doc).toMatch(/\n## MNIST\n\n### FLOPs against size, same seed, same length\n/);
    expect(doc).toContain('#### Per layer');
    expect(doc).toContain('### MorphNet against a uniform width multiplier and magnitude pruning');
    expect(doc).toMatch(/\n## Fashion-MNIST\n/);
    expect(doc.match(/^# /gm)).toHaveLength(1);
    // One dataset: the report as before.
    expect(renderReport([mnist])).toBe(renderResults(mnist));
  });
});

describe('which engine produced each run', () => {
  const torchRun = (t: 'flops' | 'size') => {
    const r = run(t, {}, 0.9);
    return { ...r, settings: { ...r.settings, engine: 'pytorch' as const, backend: 'cpu' } };
  };
  const sweepOn = (settings: Record<string, unknown>) =>
    ({
      format: 'morphnet-sweep',
      version: 1,
      settings: {
        spec: 'resnet-mini',
        dataset: 'mnist',
        seed: 1,
        steps: 300,
        batch: 32,
        finetune: 100,
        target: 'flops',
        backend: 'wasm',
        ...settings,
      },
      seed: { flops: 400, params: 40 },
      testExamples: 10000,
      points: [],
      skipped: [],
      seconds: 60,
    }) as unknown as SweepFile;

  it('a run.json from before --engine is tfjs; one from --engine pytorch says PyTorch and its device', () => {
    expect(run('flops', {}, 0.9).settings.engine).toBe('tfjs');
    expect(renderResults(input(run('flops', {}, 0.9), run('size', {}, 0.9)))).toContain(
      '300 steps on tfjs (wasm). The two runs',
    );
    expect(renderResults(input(torchRun('flops'), torchRun('size')))).toContain(
      '300 steps on PyTorch (cpu). The two runs',
    );
    expect(renderResults(input(torchRun('flops'), run('size', {}, 0.9)))).toContain(
      '300 steps on PyTorch (cpu) (the FLOPs run) and tfjs (wasm) (the size run). The two runs',
    );
  });

  it('a sweep names its engine, and the tfjs one its pruning family ran on', () => {
    const doc = (s: SweepFile) =>
      renderResults({
        ...input(run('flops', {}, 0.9), run('size', {}, 0.9)),
        sweep: s,
        commands: { train: [], sweep: [], report: 'r' },
      });
    expect(doc(sweepOn({}))).toContain('Whole sweep: 1.0 min on tfjs (wasm).');
    expect(doc(sweepOn({ engine: 'pytorch', torchDevice: 'cuda', pruningEngine: 'tfjs' }))).toContain(
      'Whole sweep: 1.0 min on PyTorch (cuda), the pruning family on tfjs (wasm).',
    );
    expect(doc(sweepOn({ engine: 'pytorch', torchDevice: 'cpu', pruningEngine: null }))).toContain(
      'Whole sweep: 1.0 min on PyTorch (cpu).',
    );
  });

  it('refuses an engine it does not know', () => {
    expect(() =>
      parseTrainRun({ command: 'train', settings: { target: 'flops', engine: 'jax' } }, 'x/run.json'),
    ).toThrow(new ResultsInputError('x/run.json: settings.engine: expected tfjs or pytorch'));
  });
});
