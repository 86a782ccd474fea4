// The recording's bins match the page's histogram bins, a malformed file is one plain line, and
// the player: plays, stops at the end, seeks (clamped), changes speed, and reports itself.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { layoutHistogram } from '../../viz/layout/histogram.ts';
import { seedSpec } from '../../morphnet/seeds.ts';
import {
  binGammas,
  binOf,
  HIST_BINS,
  HIST_DOMAIN,
  parseRecording,
  valuesFromBins,
  type Recording,
} from './recording.ts';
import {
  closeReplay,
  openReplay,
  pause,
  seek,
  setSpeed,
  useReplay,
  replayTestState,
  FRAMES_PER_SECOND,
} from './store.ts';

function fakeRecording(frames = 3): Recording {
  const frame = (k: number, width: number) => ({
    step: k * 10,
    taskLoss: 1 / (k + 1),
    regLoss: 0.1,
    trainAccuracy: 0.5,
    flops: 1000 - k,
    params: 500 - k,
    alive: { conv1: width - k },
    hist: { conv1: [1, 2, 3] },
  });
  const run = (target: 'flops' | 'size', width: number) => ({
    target,
    frames: Array.from({ length: frames }, (_, k) => frame(k, width)),
    expansion: { omega: 1.5, widths: { conv1: 20 }, flops: 1000, params: 500 },
  });
  return {
    format: 'morphnet-recording',
    version: 1,
    settings: {
      net: 'plain-cnn',
      dataset: 'mnist',
      strength: 5,
      threshold: 0.01,
      lr: 0.05,
      batch: 32,
      seed: 1,
    },
    spec: seedSpec('plain-cnn'),
    seedCost: { flops: 1000, params: 500 },
    runs: { flops: run('flops', 16), size: run('size', 12) },
  };
}

const fetcherOf =
  (body: unknown, ok = true) =>
  () =>
    Promise.resolve({ ok, status: ok ? 200 : 404, json: () => Promise.resolve(body) });

afterEach(() => {
  closeReplay();
  vi.useRealTimers();
});

describe('recording bins', () => {
  it('puts the 0.01 threshold on a bin edge, so a bin is all dead or all alive', () => {
    expect(binOf(0.0099)).toBe(13);
    expect(binOf(0.0101)).toBe(14);
    expect(binOf(0)).toBe(0);
    expect(binOf(1e6)).toBe(HIST_BINS - 1);
  });

  it('gives values that the page histogram draws back into the recorded counts', () => {
    const gammas = Float32Array.from([1e-6, 0.003, 0.004, 0.02, 0.5, 0.6, 2, 9]);
    const counts = binGammas(gammas);
    const drawn = layoutHistogram(valuesFromBins(counts), {
      domain: HIST_DOMAIN,
      bins: HIST_BINS,
      width: 200,
      height: 50,
      threshold: 0.01,
    });
    expect(drawn.counts).toEqual(counts);
    expect(drawn.alive).toBe(5);
  });
});

describe('parseRecording', () => {
  it('names what is wrong in one line', () => {
    expect(() => parseRecording({ format: 'x' })).toThrow('the file is not a MorphNet Studio recording');
    expect(() => parseRecording({ ...fakeRecording(), version: 9 })).toThrow(
      'recording version 9 is not one this page plays',
    );
    const r = fakeRecording();
    const bad = { ...r, runs: { ...r.runs, size: { ...r.runs.size, frames: [] } } };
    expect(() => parseRecording(bad)).toThrow('the recording has no size run');
  });
});

describe('the player', () => {
  it('loads, plays to the last frame and stops there', async () => {
    vi.useFakeTimers();
    await openReplay('rec.json', fetcherOf(fakeRecording(3)));
    expect(replayTestState()).toEqual({ playing: true, step: 0, steps: 20, source: 'rec.json' });
    vi.advanceTimersByTime(1000 / FRAMES_PER_SECOND);
    expect(replayTestState()?.step).toBe(10);
    vi.advanceTimersByTime(3000);
    expect(replayTestState()).toEqual({ playing: false, step: 20, steps: 20, source: 'rec.json' });
  });

  it('seeks to a clamped frame and plays faster at speed 4', async () => {
    vi.useFakeTimers();
    await openReplay('rec.json', fetcherOf(fakeRecording(10)));
    pause();
    seek(99);
    expect(useReplay.getState().index).toBe(9);
    seek(-3);
    expect(useReplay.getState().index).toBe(0);
    setSpeed(4);
    useReplay.setState({ playing: false });
    const { play } = await import('./store.ts');
    play();
    vi.advanceTimersByTime(1000 / FRAMES_PER_SECOND);
    expect(useReplay.getState().index).toBe(4);
  });

  it('says in one line when the recording cannot be loaded', async () => {
    await openReplay('gone.json', fetcherOf({}, false));
    expect(useReplay.getState().error).toBe('Recorded run: the recording could not be loaded (HTTP 404).');
    expect(replayTestState()).toBeNull();
  });
});

describe('the shipped recording', () => {
  it('parses, and shows the paper pattern: FLOPs thins the early layers, size the late ones', async () => {
    const { readFileSync } = await import('node:fs');
    const r = parseRecording(JSON.parse(readFileSync('public/recordings/mnist-resnet-mini.json', 'utf8')));
    expect(r.settings).toEqual({
      net: 'resnet-mini',
      dataset: 'mnist',
      strength: 5,
      threshold: 0.01,
      lr: 0.05,
      batch: 32,
      seed: 1,
    });
    const flops = r.runs.flops.frames.at(-1)!;
    const size = r.runs.size.frames.at(-1)!;
    expect([flops.step, size.step, r.runs.flops.frames.length]).toEqual([300, 300, 31]);
    // Both runs start from the one initialization: the same first readback.
    expect(r.runs.flops.frames[0]!.hist).toEqual(r.runs.size.frames[0]!.hist);
    const sum = (alive: Record<string, number>, prefix: string) =>
      Object.entries(alive).reduce((a, [k, v]) => a + (k.startsWith(prefix) ? v : 0), 0);
    expect(sum(flops.alive, 's1')).toBeLessThan(sum(size.alive, 's1'));
    expect(sum(flops.alive, 's3')).toBeGreaterThan(sum(size.alive, 's3'));
    // Each histogram holds every channel of its layer.
    for (const [layer, counts] of Object.entries(flops.hist)) {
      const l = r.spec.layers.find((x) => x.name === layer);
      if (l?.type === 'conv') expect(counts.reduce((a, b) => a + b, 0)).toBe(l.filters);
    }
    expect(flops.flops / r.seedCost.flops).toBeLessThan(size.flops / r.seedCost.flops);
    expect(size.params / r.seedCost.params).toBeLessThan(flops.params / r.seedCost.params);
  });
});
