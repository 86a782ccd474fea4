// Leaving a recording: "Train it yourself" writes the recorded settings (the run on screen's
// target) beside the page's other keys, starts the live studio once, and trains when it is ready.
import { afterEach, describe, expect, it } from 'vitest';
import { seedSpec } from '../../morphnet/seeds.ts';
import { useStudio } from '../store.ts';
import { DEFAULTS } from '../url.ts';
import type { Recording } from './recording.ts';
import { recordedSettings, registerLivePort, trainItYourself } from './live.ts';
import { closeReplay, sourceFor, useReplay } from './store.ts';

function recording(): Recording {
  const run = (target: 'flops' | 'size') => ({
    target,
    frames: [
      { step: 0, taskLoss: 1, regLoss: 0, trainAccuracy: 0, flops: 1, params: 1, alive: {}, hist: {} },
    ],
    expansion: { omega: 1, widths: {}, flops: 1, params: 1 },
  });
  return {
    format: 'morphnet-recording',
    version: 1,
    settings: {
      net: 'resnet-mini',
      dataset: 'mnist',
      strength: 7,
      threshold: 0.01,
      lr: 0.05,
      batch: 16,
      seed: 3,
    },
    spec: seedSpec('resnet-mini'),
    seedCost: { flops: 1, params: 1 },
    runs: { flops: run('flops'), size: run('size') },
  };
}

afterEach(() => {
  closeReplay();
  useStudio.setState({ settings: { ...DEFAULTS }, ready: false, running: false });
});

describe('trainItYourself', () => {
  it('starts the live studio with the recorded settings and trains once it is ready', () => {
    useReplay.setState({ active: true, source: '/recordings/a.json', recording: recording(), shown: 'size' });
    expect(recordedSettings()).toMatchObject({ target: 'size', strength: 7, batch: 16, seed: 3 });
    const calls: string[] = [];
    let started = false;
    registerLivePort({
      started: () => started,
      start: () => {
        started = true;
        calls.push('start');
      },
      readQuery: () => '?replay=1&present=1&strength=2',
      writeQuery: (q) => calls.push(`write ${q}`),
    });
    trainItYourself();
    expect(calls).toEqual(['write ?present=1&target=size&strength=7&batch=16&seed=3', 'start']);
    expect(useReplay.getState().active).toBe(false);
    expect(useStudio.getState().running).toBe(false);
    // The worker reports the network built: training starts, once.
    useStudio.setState({ ready: true });
    expect(useStudio.getState().running).toBe(true);
    useStudio.setState({ running: false });
    useStudio.setState({ ready: true, step: 1 });
    expect(useStudio.getState().running).toBe(false);
  });
});

describe('sourceFor', () => {
  it('finds another recording beside the one on screen', () => {
    expect(sourceFor('b.json', '/studio/recordings/a.json')).toBe('/studio/recordings/b.json');
  });
});
